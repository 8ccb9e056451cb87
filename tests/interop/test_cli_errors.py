"""Bad input to the `floe` CLI: every failure exits non-zero with one clear
line on stderr, prints no rows, and leaves the table as it was (metadata
file, snapshots and row count checked before and after)."""
import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from floe_cli import FLOE, Warehouse, one_line_error

SCHEMA = "id long not null, name string, amount double, d date"
DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def wh(tmp_path):
    """A fresh warehouse with ns.t (partitioned by d) holding 3 rows."""
    w = Warehouse(tmp_path)
    w.run("namespace", "create", "ns")
    w.run("create", "ns.t", "--schema", SCHEMA, "--partition-by", "d")
    pq.write_table(pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": ["a", "b", None],
                             "amount": [1.5, None, -2.0], "d": [DAY, DAY, None]}),
                   tmp_path / "good.parquet")
    w.run("append", "ns.t", tmp_path / "good.parquet")
    return w


def fails(w, *args, table="ns.t"):
    """Runs a command that must fail; returns its one-line message after
    checking that it printed nothing on stdout and left `table` unchanged."""
    before = w.state(table) if table else None
    proc = w.run(*args, check=False)
    err = one_line_error(proc)
    assert proc.stdout == "", f"printed on failure: {proc.stdout[:300]}"
    if table:
        assert w.state(table) == before, "the table changed"
    return err


# ---------------------------------------------------------------- appends

def write_input(folder, stem, fmt, rows, schema=None):
    """rows: list of dicts. Parquet through pyarrow (with `schema` if given),
    CSV through pyarrow's writer, NDJSON as JSON lines."""
    path = folder / f"{stem}.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    elif fmt == "csv":
        import pyarrow.csv as pacsv
        pacsv.write_csv(pa.Table.from_pylist(rows, schema=schema), path)
    else:
        with open(path, "w") as f:
            for r in rows:
                f.write(json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                    for k, v in r.items()}) + "\n")
    return path


FORMATS = ["parquet", "csv", "ndjson"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_append_missing_required_column(wh, fmt):
    path = write_input(wh.root, "missing", fmt, [{"name": "x", "amount": 1.0, "d": DAY}])
    err = fails(wh, "append", "ns.t", path)
    assert "'id'" in err and ("missing" in err or "required" in err), err


@pytest.mark.parametrize("fmt,rows,schema,column", [
    ("parquet", [{"id": 1.5}], pa.schema([("id", pa.float64())]), "id"),
    ("parquet", [{"id": 1, "d": True}], pa.schema([("id", pa.int64()), ("d", pa.bool_())]), "d"),
    ("parquet", [{"id": 1, "name": 5}], pa.schema([("id", pa.int64()), ("name", pa.int64())]),
     "name"),
    ("parquet", [{"id": 1, "amount": {"x": 1}}],
     pa.schema([("id", pa.int64()), ("amount", pa.struct([("x", pa.int64())]))]), "amount"),
    ("parquet", [{"id": 1, "d": datetime.datetime(2024, 1, 1)}],
     pa.schema([("id", pa.int64()), ("d", pa.timestamp("us"))]), "d"),
    ("parquet", [{"id": "x1"}], pa.schema([("id", pa.string())]), "id"),
    ("csv", [{"id": 1, "amount": "abc"}], pa.schema([("id", pa.int64()), ("amount", pa.string())]),
     "abc"),
    ("ndjson", [{"id": 1, "d": "not-a-date"}], None, "d"),
    ("ndjson", [{"id": "abc"}], None, "id"),
], ids=["double-into-long", "bool-into-date", "int-into-string", "struct-into-double",
        "timestamp-into-date", "text-into-long", "csv-text-into-double", "ndjson-bad-date",
        "ndjson-text-into-long"])
def test_append_incompatible_type(wh, fmt, rows, schema, column):
    path = write_input(wh.root, "badtype", fmt, rows, schema)
    err = fails(wh, "append", "ns.t", path)
    assert column in err, err


@pytest.mark.parametrize("fmt", FORMATS)
def test_append_nulls_in_required_column(wh, fmt):
    rows = [{"id": 7, "name": "x", "amount": 1.0, "d": DAY},
            {"id": None, "name": "y", "amount": 2.0, "d": DAY}]
    path = write_input(wh.root, "nulls", fmt, rows,
                       pa.schema([("id", pa.int64()), ("name", pa.string()),
                                  ("amount", pa.float64()), ("d", pa.date32())]))
    err = fails(wh, "append", "ns.t", path)
    assert "'id'" in err and "null" in err, err


@pytest.mark.parametrize("fmt", FORMATS)
def test_append_unknown_extra_column(wh, fmt):
    rows = [{"id": 7, "name": "x", "amount": 1.0, "d": DAY, "extra": 5}]
    path = write_input(wh.root, "extra", fmt, rows)
    err = fails(wh, "append", "ns.t", path)
    assert "'extra'" in err, err


NESTED_SCHEMA = ("id long not null, st struct<x: int, z: double not null>, "
                 "li list<int not null>, m map<string, int not null>")
NESTED_CASES = {
    "extra-struct-field": (
        pa.schema([pa.field("id", pa.int64(), False),
                   ("st", pa.struct([("x", pa.int32()), pa.field("z", pa.float64(), False),
                                     ("w", pa.int32())]))]),
        [{"id": 1, "st": {"x": 1, "z": 1.0, "w": 3}}], ["'st.w'"]),
    "missing-required-struct-field": (
        pa.schema([pa.field("id", pa.int64(), False), ("st", pa.struct([("x", pa.int32())]))]),
        [{"id": 1, "st": {"x": 1}}], ["'st.z'"]),
    "null-in-required-struct-field": (
        pa.schema([pa.field("id", pa.int64(), False),
                   ("st", pa.struct([("x", pa.int32()), ("z", pa.float64())]))]),
        [{"id": 1, "st": {"x": 1, "z": None}}], ["'st.z'", "null"]),
    "null-list-element": (
        pa.schema([pa.field("id", pa.int64(), False), ("li", pa.list_(pa.int32()))]),
        [{"id": 1, "li": [1, None]}], ["'li.element'", "null"]),
    "null-map-value": (
        pa.schema([pa.field("id", pa.int64(), False), ("m", pa.map_(pa.string(), pa.int32()))]),
        [{"id": 1, "m": [("a", None)]}], ["'m.value'", "null"]),
    "list-for-struct": (
        pa.schema([pa.field("id", pa.int64(), False), ("st", pa.list_(pa.int32()))]),
        [{"id": 1, "st": [1]}], ["'st'"]),
}


@pytest.mark.parametrize("case", list(NESTED_CASES))
def test_append_wrong_nested_schema(tmp_path, case):
    w = Warehouse(tmp_path)
    w.run("namespace", "create", "ns")
    w.run("create", "ns.n", "--schema", NESTED_SCHEMA)
    good = pa.schema([pa.field("id", pa.int64(), False),
                      ("st", pa.struct([("x", pa.int32()), ("z", pa.float64())])),
                      ("li", pa.list_(pa.int32())), ("m", pa.map_(pa.string(), pa.int32()))])
    pq.write_table(pa.Table.from_pylist([{"id": 0, "st": {"x": 1, "z": 0.5}, "li": [1],
                                          "m": [("k", 1)]}], schema=good), tmp_path / "g.parquet")
    w.run("append", "ns.n", tmp_path / "g.parquet")
    schema, rows, needles = NESTED_CASES[case]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "bad.parquet")
    err = fails(w, "append", "ns.n", tmp_path / "bad.parquet", table="ns.n")
    for needle in needles:
        assert needle in err, err


def test_append_a_good_file_and_a_bad_one_commits_nothing(wh):
    good = write_input(wh.root, "good2", "parquet", [{"id": 9, "name": "z", "amount": 0.5,
                                                      "d": DAY}])
    bad = write_input(wh.root, "bad2", "ndjson", [{"id": 10, "extra": True}])
    err = fails(wh, "append", "ns.t", good, bad)
    assert "'extra'" in err, err


@pytest.mark.parametrize("content,name,needle", [
    (b"not parquet at all", "corrupt.parquet", "corrupt.parquet"),
    (None, "nothere.parquet", "nothere.parquet"),
    (b"id\n1\n", "data.txt", "data.txt"),
])
def test_append_unreadable_input(wh, content, name, needle):
    path = wh.root / name
    if content is not None:
        path.write_bytes(content)
    err = fails(wh, "append", "ns.t", path)
    assert needle in err, err


# ---------------------------------------------------------------- filters

BAD_FILTERS = {
    "missing-literal": ("id =", 4),
    "double-operator": ("id = = 3", 5),
    "unclosed-paren": ("(id = 1", None),
    "unterminated-string": ("name = 'abc", 7),
    "missing-operator": ("id 3", 3),
    "unclosed-in-list": ("id in (1, 2", None),
    "bad-date-literal": ("d = date 'xx'", None),
    "trailing-junk": ("id = 1 )", None),
    "dangling-and": ("id = 1 and", None),
    "starts-without-with": ("name starts 'a'", None),
}


@pytest.mark.parametrize("kind", list(BAD_FILTERS))
def test_unparsable_filter(wh, kind):
    text, position = BAD_FILTERS[kind]
    before = wh.state("ns.t")
    for command in ("scan", "count", "delete"):
        err = fails(wh, command, "ns.t", "--where", text, table=None)
        assert text in err, err  # the filter is quoted
        assert "position" in err, err
        if position is not None:
            assert f"position {position}" in err, err
    assert wh.state("ns.t") == before


@pytest.mark.parametrize("args", [
    ["scan", "ns.t", "--where", "nope = 1"],
    ["count", "ns.t", "--where", "nope > 1"],
    ["delete", "ns.t", "--where", "nope is null"],
    ["scan", "ns.t", "--select", "id,nope"],
    ["scan", "ns.t", "--select", "nope", "--where", "id = 1"],
], ids=["scan-where", "count-where", "delete-where", "select", "select-with-where"])
def test_unknown_column(wh, args):
    err = fails(wh, *args)
    assert "'nope'" in err or '"nope"' in err, err


@pytest.mark.parametrize("args", [
    ["scan", "ns.t", "--where", "id = 'abc'"],
    ["count", "ns.t", "--where", "d = 5"],
], ids=["string-for-long", "int-for-date"])
def test_filter_literal_of_wrong_type(wh, args):
    err = fails(wh, *args)
    assert "id" in err or "d" in err, err


# ---------------------------------------------------------------- tables, namespaces

def test_unknown_table(wh):
    before = wh.state("ns.t")
    for args in (["scan", "ns.nope"], ["count", "ns.nope"], ["describe", "ns.nope"],
                 ["snapshots", "ns.nope"], ["files", "ns.nope"], ["history", "ns.nope"],
                 ["delete", "ns.nope", "--where", "true"], ["drop", "ns.nope"],
                 ["rename", "ns.nope", "ns.other"], ["tag", "create", "ns.nope", "v1"],
                 ["append", "ns.nope", "good.parquet"]):
        err = fails(wh, *args, table=None)
        assert "ns.nope" in err and "not found" in err.lower(), err
    assert wh.state("ns.t") == before
    assert wh.run("list").stdout.split() == ["ns.t"]


def test_unknown_namespace(wh):
    before = wh.state("ns.t")
    for args in (["scan", "nope.t"], ["count", "nope.t"], ["list", "nope"],
                 ["create", "nope.t", "--schema", "id long"], ["namespace", "drop", "nope"],
                 ["append", "nope.t", "good.parquet"], ["rename", "ns.t", "nope.t"]):
        err = fails(wh, *args, table=None)
        assert "nope" in err, err
    assert wh.run("namespace", "list").stdout.split() == ["ns"]
    assert wh.state("ns.t") == before


def test_create_existing_table(wh):
    err = fails(wh, "create", "ns.t", "--schema", "other int")
    assert "ns.t" in err and "exist" in err, err
    assert "amount" in wh.run("describe", "ns.t").stdout


def test_drop_non_empty_namespace(wh):
    err = fails(wh, "namespace", "drop", "ns")
    assert "ns" in err and "empty" in err, err
    assert wh.run("namespace", "list").stdout.split() == ["ns"]
    assert wh.run("list", "ns").stdout.split() == ["ns.t"]


def test_create_namespace_twice(wh):
    err = fails(wh, "namespace", "create", "ns")
    assert "ns" in err and "exist" in err, err


# ---------------------------------------------------------------- time travel

@pytest.mark.parametrize("travel,needle", [
    (["--snapshot", "123456789"], "123456789"),
    (["--snapshot", "-1"], "-1"),
    (["--as-of", "2000-01-01"], "2000-01-01"),
    (["--as-of", "946684800000"], "2000-01-01"),
    (["--as-of", "yesterday"], "yesterday"),
    (["--ref", "nope"], "nope"),
], ids=["snapshot", "negative-snapshot", "as-of-date", "as-of-millis", "as-of-garbage", "ref"])
def test_time_travel_to_nothing(wh, travel, needle):
    before = wh.state("ns.t")
    for command in ("scan", "count", "files"):
        err = fails(wh, command, "ns.t", *travel, table=None)
        assert needle in err, err
    assert wh.state("ns.t") == before


def test_tag_at_missing_snapshot(wh):
    for sid in ("42", "-7"):
        err = fails(wh, "tag", "create", "ns.t", "v1", "--snapshot", sid)
        assert sid in err, err
    assert "v1" not in wh.run("snapshots", "ns.t").stdout


def test_bad_option_values_are_one_line_errors(wh):
    for args in (["count", "ns.t", "--snapshot", "abc"], ["scan", "ns.t", "--limit", "-2"],
                 ["scan", "ns.t", "--format", "xml"], ["scan", "ns.t", "--bogus"],
                 ["create", "ns.t2", "--schema", "id long", "--format-version", "9"]):
        err = fails(wh, *args)
        assert err.startswith("floe"), err
    assert wh.run("list", "ns").stdout.split() == ["ns.t"]


# ---------------------------------------------------------------- corrupt metadata

@pytest.fixture(scope="module")
def good_metadata(tmp_path_factory):
    """A valid metadata file's bytes (ns.t with one snapshot), to damage."""
    w = Warehouse(tmp_path_factory.mktemp("good_metadata"))
    w.run("namespace", "create", "ns")
    w.run("create", "ns.t", "--schema", SCHEMA, "--partition-by", "d")
    pq.write_table(pa.table({"id": pa.array([1], pa.int64())}), w.root / "one.parquet")
    w.run("append", "ns.t", w.root / "one.parquet")
    return pathlib.Path(w.catalog_pointer("ns.t").removeprefix("file://")).read_bytes()


CORRUPTIONS = {
    "truncated": lambda raw, _: raw[:200],
    "binary": bytes(range(256)) * 4,
    "multi-line-garbage": b'{\n  "format-version": 2,\n  "location": "x\n\n}\n',
    "empty": b"",
    "not-metadata": b'{"hello": "world"}',
    "missing-field": lambda _, md: json.dumps({k: v for k, v in md.items()
                                              if k != "schemas"}).encode(),
    "bad-version": lambda _, md: json.dumps({**md, "format-version": 7}).encode(),
    "dangling-snapshot": lambda _, md: json.dumps({**md, "current-snapshot-id": 12345}).encode(),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupt_metadata_by_path(tmp_path, good_metadata, kind):
    """A damaged metadata file named directly, or the newest one of a table
    folder: scan, count and describe fail and name the file."""
    w = Warehouse(tmp_path)
    content = CORRUPTIONS[kind]
    if callable(content):
        content = content(good_metadata, json.loads(good_metadata))
    bad = tmp_path / "table" / "metadata" / "00009-corrupt.metadata.json"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(content)
    for target in (bad, tmp_path / "table"):
        for command in ("scan", "count", "describe"):
            err = fails(w, command, target, table=None)
            assert "00009-corrupt.metadata.json" in err, err


def test_corrupt_metadata_of_a_catalog_table(wh):
    """The catalog points at a metadata file that was damaged: reads and
    writes fail clearly, and the pointer stays where it was."""
    location = wh.catalog_pointer("ns.t")
    path = pathlib.Path(location.removeprefix("file://"))
    path.write_bytes(path.read_bytes()[:100])
    for args in (["scan", "ns.t"], ["count", "ns.t"], ["append", "ns.t", wh.root / "good.parquet"],
                 ["delete", "ns.t", "--where", "id = 1"]):
        err = fails(wh, *args, table=None)
        assert path.name in err, err
    assert wh.catalog_pointer("ns.t") == location


# ---------------------------------------------------------------- read-only catalog

def unprivileged_prefix():
    """Root ignores file permissions, so as root the command runs as nobody
    (setpriv, else runuser); as any other user it runs as is."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    pytest.skip("running as root without setpriv/runuser: cannot drop privileges")


@pytest.fixture
def readonly_catalog():
    """A warehouse whose catalog file and its folder are read-only to the
    user floe runs as; the warehouse folder stays writable, so only the
    catalog can refuse. pytest's tmp dirs are private to root (0700), which
    `nobody` cannot enter, hence a world-readable temporary folder here."""
    prefix = unprivileged_prefix()
    root = pathlib.Path(tempfile.mkdtemp(prefix="floe-readonly-"))
    try:
        root.chmod(0o755)
        w = Warehouse(root)
        w.db = root / "catalog" / "catalog.db"
        w.uri = f"sqlite:///{w.db}"
        w.run("namespace", "create", "ns")
        w.run("create", "ns.t", "--schema", SCHEMA)
        pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64())}), root / "in.parquet")
        w.run("append", "ns.t", root / "in.parquet")
        for dirpath, dirnames, filenames in os.walk(w.path):
            os.chmod(dirpath, 0o777)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o666)
        (root / "in.parquet").chmod(0o644)
        for extra in ("-wal", "-shm"):
            assert not pathlib.Path(str(w.db) + extra).exists()
        w.db.chmod(0o444)
        w.db.parent.chmod(0o555)
        # Only the catalog is protected: the unprivileged user can write the warehouse.
        probe = subprocess.run([*prefix, "touch", str(w.path / "ns" / "t" / "probe")])
        assert probe.returncode == 0
        (w.path / "ns" / "t" / "probe").unlink()
        yield w, prefix
    finally:
        for dirpath, _dirs, _files in os.walk(root):
            os.chmod(dirpath, 0o755)
        shutil.rmtree(root)


@pytest.mark.parametrize("args", [
    ["append", "ns.t", "in.parquet"],
    ["delete", "ns.t", "--where", "id = 1"],
    ["create", "ns.t2", "--schema", "id long"],
    ["namespace", "create", "ns2"],
    ["tag", "create", "ns.t", "v1"],
    ["drop", "ns.t"],
    ["rename", "ns.t", "ns.t3"],
], ids=lambda a: "-".join(a[:2]))
def test_catalog_not_writable(readonly_catalog, args):
    w, prefix = readonly_catalog
    before = w.state("ns.t")
    files_before = sorted(p for p in w.path.rglob("*") if p.is_file())
    args = [str(w.root / a) if a.endswith(".parquet") else a for a in args]
    proc = w.run(*args, check=False, prefix=prefix)
    err = one_line_error(proc)
    assert proc.stdout == ""
    assert str(w.db) in err and ("read-only" in err or "permission" in err.lower()), err
    assert w.state("ns.t") == before
    assert w.run("list").stdout.split() == ["ns.t"]
    # Nothing was left behind in the warehouse either.
    assert sorted(p for p in w.path.rglob("*") if p.is_file()) == files_before


# ---------------------------------------------------------------- hints in messages

SUBCOMMANDS = {"inspect", "namespace", "list", "create", "describe", "snapshots", "files",
               "history", "drop", "rename", "register", "append", "delete", "overwrite", "scan",
               "count", "tag", "branch", "alter", "upsert", "import", "add-files", "metadata",
               "compact", "compact-deletes", "rewrite-manifests", "expire", "remove-orphans",
               "maintain", "rewrite-table-path"}


def test_error_hints_name_existing_commands(wh):
    path = write_input(wh.root, "extra", "ndjson", [{"id": 7, "extra": 5}])
    err = fails(wh, "append", "ns.t", path)
    for word in re.findall(r"\bfloe ([a-z]+)", err):
        assert word in SUBCOMMANDS, f"message suggests 'floe {word}': {err}"


def test_version_names_the_memory_pool_and_the_user_may_choose_it():
    """Floe's programs make jemalloc Arrow's pool (mimalloc's huge-page
    faults made system time swing run to run); ARROW_DEFAULT_MEMORY_POOL
    still decides when set."""
    floe = str(FLOE)
    out = subprocess.run([floe, "--version"], capture_output=True, text=True, check=True).stdout
    assert "memory pool jemalloc" in out, out
    env = dict(os.environ, ARROW_DEFAULT_MEMORY_POOL="system")
    out = subprocess.run([floe, "--version"], capture_output=True, text=True, check=True, env=env).stdout
    assert "memory pool system" in out, out


def test_drop_purge_dry_run_lists_the_files_and_keeps_the_table(wh, tmp_path):
    """`floe drop --purge --dry-run` names every file the purge would delete
    (the metadata file, manifest list, manifest and data files) and changes
    nothing; --dry-run alone is refused; the purge then deletes those files."""
    out = wh.run("drop", "ns.t", "--purge", "--dry-run").stdout.splitlines()
    listed = [l for l in out if not l.startswith("would delete")]
    assert out[-1].startswith(f"would delete {len(listed)} files of table ns.t"), out
    assert any(l.endswith(".metadata.json") for l in listed), listed
    assert any(l.endswith(".parquet") for l in listed), listed
    assert any(l.endswith(".avro") for l in listed), listed
    paths = [pathlib.Path(l.removeprefix("file://")) for l in listed]
    assert all(p.exists() for p in paths), listed
    assert len(wh.scan_json("ns.t")) == 3
    assert "--purge" in fails(wh, "drop", "ns.t", "--dry-run")
    wh.run("drop", "ns.t", "--purge")
    assert not any(p.exists() for p in paths)
