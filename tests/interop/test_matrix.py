"""The interoperability matrix: Spark, Flink, DuckDB, ClickHouse (chdb) and
PyIceberg read what Floe writes, and Floe reads what Spark, Flink and
PyIceberg write, row for row (full sorted results), on one SQLite catalog
shared through Iceberg's JdbcCatalog / PyIceberg's SqlCatalog. Each test is one cell (engine x feature x
direction). The run writes docs/INTEROP.md with every cell's outcome:

  pass              the engine's rows equal the expected rows
  not supported     the engine documents that it lacks the feature (the cell
                    says where); the test checks that it refuses, not that it
                    silently returns something else
  fail              a known engine bug (KNOWN_BUGS: the test expects the
                    failure and turns red if the engine starts to pass)

Spark runs in one session for the whole run and Flink in one job run
(streaming writes, then batch reads of every table), see engines.py."""
import datetime
import decimal
import json
import os
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import engines
from conftest import ROOT
from floe_cli import Warehouse, canon_rows, sorted_rows

UTC = datetime.timezone.utc
D = decimal.Decimal
ENGINES = ["Spark", "Flink", "DuckDB", "ClickHouse", "PyIceberg"]
RESULTS = {}  # (direction, feature, engine) -> (outcome, note)
ORDER = []    # features in the order the tests ran, per direction

# Engine facts from the engines' own documentation, with where it says so.
NOT_SUPPORTED = {
    ("Spark", "time type"): "Spark SQL has no TIME type; Iceberg's Spark integration refuses "
                            "tables with time columns (iceberg.apache.org/docs/latest/spark-getting-started, type compatibility)",
    ("PyIceberg", "equality deletes (v2, upsert)"): "PyIceberg refuses to read equality deletes "
                                      "(py.iceberg.apache.org, 'does not yet support equality deletes')",
}
NOT_SUPPORTED[("ClickHouse", "deletion vectors (v3, merge-on-read)")] = (
    "ClickHouse 26.9 (chdb 4.4) reads position deletes only from Parquet delete files and "
    "refuses Puffin deletion vectors ('Position deletes are supported only for parquet format')")
NOT_SUPPORTED[("ClickHouse", "compact-deletes: to deletion vectors (v3)")] = (
    "ClickHouse 26.9 (chdb 4.4) refuses Puffin deletion vectors, which a v3 table's deletes "
    "become; `floe compact` (rewriting the data) makes the table readable for it")
NOT_SUPPORTED[("ClickHouse", "null struct, list, map values")] = (
    "ClickHouse cannot make composite types Nullable, so a null struct reads as a struct of "
    "nulls and a null list or map as empty (clickhouse.com/docs/sql-reference/data-types/nullable)")
# Known engine bugs: (engine, feature) -> what happens. The cell is "fail".
KNOWN_BUGS = {
    ("Flink", "time type"): "Iceberg 1.11's Flink connector maps Iceberg `time` to Flink TIME "
                            "without fractional seconds: 12:30:05.250000 reads as 12:30:05",
    ("ClickHouse", "time type"): "ClickHouse 26.9 (chdb 4.4) returns Iceberg `time` values as "
                                 "integer seconds since midnight (12:30:05.250000 reads as 45005): "
                                 "the type and the fraction of a second are lost",
}


def record(direction, feature, engine, outcome, note=""):
    RESULTS[(direction, feature, engine)] = (outcome, note)
    key = (direction, feature)
    if key not in ORDER:
        ORDER.append(key)


def check_cell(direction, feature, engine, read, want):
    """Runs one cell: `read()` gives the engine's rows; they must equal `want`
    (both in floe's JSON form, compared sorted)."""
    unsupported = NOT_SUPPORTED.get((engine, feature))
    bug = KNOWN_BUGS.get((engine, feature))
    try:
        got = read()
        ok, detail = same_rows(got, want)
        error = None
    except Exception as e:  # noqa: BLE001 - engines raise their own types
        ok, detail, error = False, "", e
    if ok:
        if unsupported or bug:
            record(direction, feature, engine, "fail", "now works: update the matrix")
            pytest.fail(f"{engine} now handles '{feature}'; remove it from "
                        f"{'NOT_SUPPORTED' if unsupported else 'KNOWN_BUGS'}")
        record(direction, feature, engine, "pass")
        return
    if unsupported:
        record(direction, feature, engine, "not supported", unsupported)
        return
    if bug:
        record(direction, feature, engine, "fail", bug)
        return
    record(direction, feature, engine, "fail", str(error or detail)[:200])
    if error is not None:
        raise error
    pytest.fail(f"{engine} {direction} '{feature}': {detail}")


def comparable(v):
    """Values that engines legitimately spell differently made equal: uuids
    (text or 16 bytes), floats (float32 widened)."""
    if isinstance(v, dict):
        return {k: comparable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [comparable(x) for x in v]
    if isinstance(v, float):
        return float(f"{v:.7g}")
    if isinstance(v, str) and len(v) == 36 and v.count("-") == 4:
        try:
            return uuid.UUID(v).hex
        except ValueError:
            return v
    return v


def same_rows(got, want):
    g = sorted_rows([comparable(r) for r in got])
    w = sorted_rows([comparable(r) for r in want])
    if g == w:
        return True, ""
    if len(g) != len(w):
        return False, f"{len(g)} rows, expected {len(w)}"
    for a, b in zip(g, w):
        if a != b:
            keys = [k for k in sorted(set(a) | set(b)) if a.get(k, "<absent>") != b.get(k, "<absent>")]
            diff = "; ".join(f"{k}: got {a.get(k, '<absent>')!r}, expected {b.get(k, '<absent>')!r}"
                             for k in keys)
            return False, f"row id={b.get('id')}: {diff}"[:600]
    return False, "rows differ"


# ---------------------------------------------------------------- data

TYPES_SCHEMA = ("id long not null, b boolean, i int, l long, f float, d double, "
                "dec decimal(9,2), big decimal(38,10), dt date, ts timestamp, tstz timestamptz, "
                "s string, u uuid, fx fixed[4], bin binary, "
                "st struct<x: int, y: string>, li list<long>, m map<string, int>")
TYPES_ARROW = pa.schema([
    pa.field("id", pa.int64(), nullable=False), ("b", pa.bool_()), ("i", pa.int32()),
    ("l", pa.int64()), ("f", pa.float32()), ("d", pa.float64()), ("dec", pa.decimal128(9, 2)),
    ("big", pa.decimal128(38, 10)), ("dt", pa.date32()), ("ts", pa.timestamp("us")),
    ("tstz", pa.timestamp("us", tz="UTC")), ("s", pa.string()), ("u", pa.uuid()),
    ("fx", pa.binary(4)), ("bin", pa.binary()),
    ("st", pa.struct([("x", pa.int32()), ("y", pa.string())])), ("li", pa.list_(pa.int64())),
    ("m", pa.map_(pa.string(), pa.int32()))])


def type_rows():
    rows = []
    for k in range(8):
        rows.append(dict(
            id=k, b=k % 2 == 0, i=-1000 + k * 333, l=2**40 + k, f=1.5 * k, d=-0.25 * k,
            dec=D(f"{k * 11}.{k:02d}"), big=D(f"12345678901234567890.{k:010d}"),
            dt=datetime.date(2024, 1, 1) + datetime.timedelta(days=k * 40),
            ts=datetime.datetime(2024, 6, 1, 12, 0) + datetime.timedelta(hours=k * 7, microseconds=k),
            tstz=datetime.datetime(2023, 12, 31, 23, 0, tzinfo=UTC) + datetime.timedelta(minutes=k * 91),
            s=["alpha", "naïve", "中文", "", "quote'd", "x" * 40, "b", "🐇"][k],
            u=uuid.UUID(int=k * 7919 + 1).bytes, fx=bytes([k, 1, 2, 3]), bin=bytes(range(k)),
            st={"x": k, "y": None if k == 3 else f"y{k}"}, li=list(range(k % 4)),
            m=[("a", k), ("b", None)] if k % 3 else []))
    rows.append(dict(id=100, **{f.name: None for f in TYPES_ARROW if f.name != "id"}))
    return rows


EVENTS_SCHEMA = "id long not null, cat string, amount double, day date, ts timestamptz"


def event(i, amount=None):
    return {"id": i, "cat": None if i % 7 == 3 else "abc"[i % 3],
            "amount": float(i) * 0.5 if amount is None else amount,
            "day": (datetime.date(2024, 6, 1) + datetime.timedelta(days=i % 10)).isoformat(),
            "ts": f"2024-06-{1 + i % 10:02d}T{i % 24:02d}:00:00+00:00"}


def write_events(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def events_canon(rows):
    return [{**r, "ts": r["ts"].replace("+00:00", ".000000+00:00")} for r in rows]


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def wh(tmp_path_factory, request):
    w = Warehouse(tmp_path_factory.mktemp("matrix"), catalog_name="matrix")
    w.run("namespace", "create", "m")
    yield w
    # Only a whole run may rewrite the document (not one narrowed by -k or -m).
    if not request.config.getoption("keyword") and not request.config.getoption("markexpr"):
        write_doc()


@pytest.fixture(scope="module")
def spark_cat(wh):
    return engines.spark_catalog(wh)


def clickhouse_values(rows, naive, binary):
    """ClickHouse spells some types its own way: it has no time-zone-less
    DateTime64, so Iceberg `timestamp` values come as UTC instants (the same
    wall-clock values); binary columns come as String (the same bytes) ."""
    def fix(k, v):
        if not isinstance(v, str):
            return v
        if k in naive:
            return v.removesuffix("+00:00")
        if k in binary:  # binary as raw bytes; fixed already as hex text
            return v.encode("utf-8", "surrogateescape").hex()
        return v
    return [{k: fix(k, v) for k, v in r.items()} for r in rows]


FLINK_QUERIES = set()  # (table, columns) Flink reads, from all_floe_tables
FLINK_RESULTS = {}


def flink_read(wh, table, columns, tstz):
    """Flink's rows of m.<table>, from the one Flink run of the module (all
    queries at once: a Flink start costs half a minute). Flink returns
    TIMESTAMP_LTZ values as local date-times of its session zone (UTC)."""
    rows = flink_results(wh)[f"{table}|{columns}"]
    if isinstance(rows, Exception):
        raise rows
    return [{k: (v + "+00:00" if k in tstz and isinstance(v, str) and not v.endswith("+00:00")
                 else v) for k, v in r.items()} for r in rows]


def readers(wh, table, spark_cat, columns="*"):
    """Each engine's read of Floe table `table` (m.<name>)."""
    meta = wh.metadata_location(f"m.{table}")
    location = meta.rsplit("/metadata/", 1)[0]
    cols = columns
    schema = wh.pyiceberg().load_table(f"m.{table}").schema()
    naive = {f.name for f in schema.fields if str(f.field_type) == "timestamp"}
    binary = {f.name for f in schema.fields if str(f.field_type) == "binary"}
    tstz = {f.name for f in schema.fields if str(f.field_type) == "timestamptz"}
    return {
        "Spark": lambda: engines.spark_rows(f"SELECT {cols} FROM {spark_cat}.m.{table}"),
        "Flink": lambda: flink_read(wh, table, cols, tstz),
        "DuckDB": lambda: engines.duckdb_rows(
            f"SELECT {cols} FROM iceberg_scan('{meta.removeprefix('file://')}')"),
        "ClickHouse": lambda: clickhouse_values(engines.chdb_table(location, cols), naive, binary),
        "PyIceberg": lambda: canon_rows(
            wh.pyiceberg().load_table(f"m.{table}").scan(
                selected_fields=tuple(c.strip() for c in cols.split(",")) if cols != "*" else ("*",)
            ).to_arrow()),
    }


@pytest.fixture(scope="module", autouse=True)
def all_floe_tables(types_table, time_table, transform_tables, delete_tables, evolved,
                    maintained_tables):
    """Every Floe-written table exists before any cell runs: Flink reads them
    all in one run."""
    FLINK_QUERIES.update({("types_v1", PRIMITIVES), ("types_v2", PRIMITIVES),
                          ("types_v3", PRIMITIVES), ("types_v2", NESTED), ("times", "*"),
                          ("evolved", "*")})
    FLINK_QUERIES.update((f"by_{name}", "*") for name in TRANSFORMS)
    FLINK_QUERIES.update((table, "*") for table, _ in delete_tables.values())
    FLINK_QUERIES.update((table, "*") for table, _ in maintained_tables.values())


def floe_writes(wh, spark_cat, feature, table, want, engine, columns="*"):
    check_cell("Floe writes", feature, engine, readers(wh, table, spark_cat, columns)[engine], want)


# ---------------------------------------------------------------- Floe writes, engines read

@pytest.fixture(scope="module")
def types_table(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("types")
    table = pa.Table.from_pylist(type_rows(), schema=TYPES_ARROW)
    pq.write_table(table.slice(0, 5), folder / "a.parquet")
    pq.write_table(table.slice(5), folder / "b.parquet")
    want = canon_rows(table)
    for v in (1, 2, 3):
        wh.run("create", f"m.types_v{v}", "--schema", TYPES_SCHEMA, "--format-version", v)
        wh.run("append", f"m.types_v{v}", folder / "a.parquet")
        wh.run("append", f"m.types_v{v}", folder / "b.parquet")
        assert sorted_rows(wh.scan_json(f"m.types_v{v}")) == sorted_rows(want)
    return want


PRIMITIVES = "id, b, i, l, f, d, dec, big, dt, ts, tstz, s, u, fx, bin"
NESTED = "id, st, li, m"


@pytest.mark.parametrize("engine", ENGINES)
def test_primitive_types(wh, spark_cat, types_table, engine):
    want = [{k: r[k] for k in PRIMITIVES.split(", ")} for r in types_table]
    floe_writes(wh, spark_cat, "primitive types (v2)", "types_v2", want, engine, PRIMITIVES)


@pytest.mark.parametrize("engine", ENGINES)
def test_nested_types(wh, spark_cat, types_table, engine):
    want = [{k: r[k] for k in NESTED.split(", ")} for r in types_table if r["id"] != 100]
    check_cell("Floe writes", "struct, list, map (v2)", engine,
               lambda: [r for r in readers(wh, "types_v2", spark_cat, NESTED)[engine]()
                        if r["id"] != 100], want)


@pytest.mark.parametrize("engine", ENGINES)
def test_null_nested_values(wh, spark_cat, types_table, engine):
    want = [{k: r[k] for k in NESTED.split(", ")} for r in types_table if r["id"] == 100]
    check_cell("Floe writes", "null struct, list, map values", engine,
               lambda: [r for r in readers(wh, "types_v2", spark_cat, NESTED)[engine]()
                        if r["id"] == 100], want)


@pytest.fixture(scope="module")
def time_table(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("time")
    table = pa.table({"id": pa.array([1, 2, 3], pa.int64()),
                      "t": pa.array([datetime.time(0, 0), datetime.time(12, 30, 5, 250000), None],
                                    pa.time64("us"))})
    pq.write_table(table, folder / "t.parquet")
    wh.run("create", "m.times", "--schema", "id long not null, t time")
    wh.run("append", "m.times", folder / "t.parquet")
    return canon_rows(table)


@pytest.mark.parametrize("engine", ENGINES)
def test_time_type(wh, spark_cat, time_table, engine):
    floe_writes(wh, spark_cat, "time type", "times", time_table, engine)


@pytest.mark.parametrize("version", [1, 3])
@pytest.mark.parametrize("engine", ENGINES)
def test_format_versions(wh, spark_cat, types_table, engine, version):
    want = [{k: r[k] for k in PRIMITIVES.split(", ")} for r in types_table]
    floe_writes(wh, spark_cat, f"format v{version}", f"types_v{version}", want, engine, PRIMITIVES)


TRANSFORMS = {"identity": "cat", "bucket": "bucket(4, id)", "truncate": "truncate(2, cat)",
              "year": "year(day)", "month": "month(ts)", "day": "day(ts)", "hour": "hour(ts)"}


@pytest.fixture(scope="module")
def transform_tables(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("transforms")
    rows = [event(i) for i in range(40)]
    src = write_events(folder / "e.json", rows)
    for name, spec in TRANSFORMS.items():
        wh.run("create", f"m.by_{name}", "--schema", EVENTS_SCHEMA, "--partition-by", spec)
        wh.run("append", f"m.by_{name}", src)
    return events_canon(rows)


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@pytest.mark.parametrize("engine", ENGINES)
def test_partition_transforms(wh, spark_cat, transform_tables, engine, transform):
    floe_writes(wh, spark_cat, f"partitioned by {TRANSFORMS[transform]}", f"by_{transform}",
                transform_tables, engine)


DELETES = {
    "position deletes (v2, merge-on-read)": (2, "merge-on-read", False),
    "deletion vectors (v3, merge-on-read)": (3, "merge-on-read", False),
    "equality deletes (v2, upsert)": (2, "merge-on-read", True),
    "copy-on-write delete and upsert (v2)": (2, "copy-on-write", False),
}


@pytest.fixture(scope="module")
def delete_tables(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deletes")
    out = {}
    for n, (feature, (version, mode, equality)) in enumerate(DELETES.items()):
        table = f"del{n}"
        wh.run("create", f"m.{table}", "--schema", EVENTS_SCHEMA, "--format-version", version,
               "--partition-by", "bucket(2, id)",
               "--property", f"write.delete.mode={mode}", "--property", f"write.merge.mode={mode}")
        oracle = {i: event(i) for i in range(60)}
        wh.run("append", f"m.{table}", write_events(folder / f"{table}.json", list(oracle.values())))
        if not equality:
            wh.run("delete", f"m.{table}", "--where", "id < 10 or cat = 'b'")
            for i in [i for i, r in oracle.items() if i < 10 or r["cat"] == "b"]:
                del oracle[i]
        new = [event(i, amount=-1.0) for i in range(20, 30)] + [event(i, -2.0) for i in range(60, 65)]
        args = ["--equality-deletes"] if equality else []
        wh.run("upsert", f"m.{table}", write_events(folder / f"{table}-u.json", new), "--key", "id", *args)
        for r in new:
            oracle[r["id"]] = r
        want = events_canon(list(oracle.values()))
        assert sorted_rows(wh.scan_json(f"m.{table}")) == sorted_rows(want)
        out[feature] = (table, want)
    return out


@pytest.mark.parametrize("feature", list(DELETES))
@pytest.mark.parametrize("engine", ENGINES)
def test_row_level_deletes(wh, spark_cat, delete_tables, engine, feature):
    table, want = delete_tables[feature]
    floe_writes(wh, spark_cat, feature, table, want, engine)


# Tables that Floe's maintenance went over: small files and every kind of
# delete, then the steps; every engine must read the rows the table had.
MAINTAINED = {
    "compacted: position deletes (v2)": (2, False, ["compact"]),
    "compacted: deletion vectors (v3)": (3, False, ["compact"]),
    "compacted: equality deletes (v2)": (2, True, ["compact"]),
    "compact-deletes: equality deletes to position deletes (v2)": (2, True, ["compact-deletes"]),
    "compact-deletes: to deletion vectors (v3)": (3, True, ["compact-deletes"]),
    "expired and orphans removed (v2)": (2, False, ["compact", "expire", "remove-orphans"]),
    "manifests rewritten (v2)": (2, False, ["rewrite-manifests"]),
}
MAINTENANCE_ARGS = {
    "compact": ["--min-input-files", "2"], "compact-deletes": [],
    "expire": ["--older-than", "0s", "--retain-last", "1"], "remove-orphans": ["--older-than", "0s"],
    "rewrite-manifests": ["--force"],
}


@pytest.fixture(scope="module")
def maintained_tables(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("maintained")
    out = {}
    for n, (feature, (version, equality, steps)) in enumerate(MAINTAINED.items()):
        table = f"mnt{n}"
        wh.run("create", f"m.{table}", "--schema", EVENTS_SCHEMA, "--format-version", version,
               "--partition-by", "bucket(2, id)", "--property", "write.delete.mode=merge-on-read",
               "--property", "write.merge.mode=merge-on-read",
               "--property", "commit.manifest.min-count-to-merge=1000")
        oracle = {}
        for part in range(4):  # small files
            rows = [event(i) for i in range(part * 15, part * 15 + 15)]
            wh.run("append", f"m.{table}", write_events(folder / f"{table}-{part}.json", rows))
            oracle.update({r["id"]: r for r in rows})
        if equality:
            new = [event(i, amount=-1.0) for i in (3, 20, 31, 47)]
            wh.run("upsert", f"m.{table}", write_events(folder / f"{table}-u.json", new), "--key", "id",
                   "--equality-deletes")
            oracle.update({r["id"]: r for r in new})
        else:
            wh.run("delete", f"m.{table}", "--where", "id < 6 or id in (20, 33, 50)")
            for i in [i for i in oracle if i < 6 or i in (20, 33, 50)]:
                del oracle[i]
        for step in steps:
            wh.run(step, f"m.{table}", *MAINTENANCE_ARGS[step])
        files = [json.loads(line) for line in wh.run("metadata", f"m.{table}", "delete-files",
                                                     "--format", "json").stdout.splitlines()]
        if "compact" in steps:
            assert files == [], f"{feature}: delete files left after compaction"
        if "compact-deletes" in steps:
            assert all(f["content"] != "equality-deletes" for f in files), files
        want = events_canon(list(oracle.values()))
        assert sorted_rows(wh.scan_json(f"m.{table}")) == sorted_rows(want)
        out[feature] = (table, want)
    return out


@pytest.mark.parametrize("feature", list(MAINTAINED))
@pytest.mark.parametrize("engine", ENGINES)
def test_engines_read_after_floe_maintenance(wh, spark_cat, maintained_tables, engine, feature):
    table, want = maintained_tables[feature]
    check_cell("Floe maintains, engines read", feature, engine,
               readers(wh, table, spark_cat)[engine], want)


@pytest.fixture(scope="module")
def evolved(wh, tmp_path_factory):
    folder = tmp_path_factory.mktemp("evolved")
    rows = [event(i) for i in range(30)]
    wh.run("create", "m.evolved", "--schema", EVENTS_SCHEMA, "--partition-by", "day(ts)")
    wh.run("append", "m.evolved", write_events(folder / "a.json", rows[:15]))
    wh.run("alter", "m.evolved", "add column region string after id", "rename column cat to category",
           "drop column amount", "add partition field bucket(4, id)", "drop partition field ts_day")
    later = [{"id": r["id"], "region": "eu", "category": r["cat"], "day": r["day"], "ts": r["ts"]}
             for r in rows[15:]]
    wh.run("append", "m.evolved", write_events(folder / "b.json", later))
    want = [{"id": r["id"], "region": None, "category": r["cat"], "day": r["day"], "ts": r["ts"]}
            for r in rows[:15]] + later
    return events_canon(want)


@pytest.mark.parametrize("engine", ENGINES)
def test_schema_and_partition_evolution(wh, spark_cat, evolved, engine):
    floe_writes(wh, spark_cat, "schema and partition evolution", "evolved", evolved, engine)


# ---------------------------------------------------------------- engines write, Floe reads

def spark_sql(*statements):
    for s in statements:
        engines.spark().sql(s)


@pytest.fixture(scope="module")
def spark_tables(wh, spark_cat):
    """Tables Spark writes, with the rows Spark itself reads back."""
    c = spark_cat
    out = {}
    base = ("INSERT INTO {t} VALUES " + ", ".join(
        f"({i}, '{'abc'[i % 3]}', {i * 0.5}, DATE '2024-06-{1 + i % 9:02d}')" for i in range(30)))
    for name, version, props, ops in [
        ("sp_cow", 2, "'write.delete.mode'='copy-on-write'", ["DELETE FROM {t} WHERE id < 5"]),
        ("sp_mor", 2, "'write.delete.mode'='merge-on-read'", ["DELETE FROM {t} WHERE id < 5 OR cat = 'b'"]),
        ("sp_dv", 3, "'write.delete.mode'='merge-on-read'", ["DELETE FROM {t} WHERE id < 5",
                                                               "DELETE FROM {t} WHERE id = 7"]),
        ("sp_update", 2, "'write.update.mode'='merge-on-read'",
         ["UPDATE {t} SET amount = -1 WHERE cat = 'a'"]),
        ("sp_merge", 2, "'write.merge.mode'='merge-on-read'",
         ["MERGE INTO {t} USING (SELECT id, 'z' AS cat, -5.0D AS amount, DATE '2024-07-01' AS day "
          "FROM range(25, 35)) s ON {t}.id = s.id WHEN MATCHED THEN UPDATE SET * "
          "WHEN NOT MATCHED THEN INSERT *"]),
        ("sp_evolve", 2, "'write.format.default'='parquet'",
         ["ALTER TABLE {t} ADD COLUMN region string AFTER id",
          "ALTER TABLE {t} RENAME COLUMN cat TO category",
          "INSERT INTO {t} VALUES (100, 'eu', 'q', 1.0, DATE '2024-06-01')",
          "ALTER TABLE {t} DROP COLUMN amount"]),
        ("sp_partition", 2, "'write.format.default'='parquet'",
         ["ALTER TABLE {t} ADD PARTITION FIELD bucket(4, id)",
          "INSERT INTO {t} VALUES (101, 'q', 1.0, DATE '2024-06-01')",
          "ALTER TABLE {t} DROP PARTITION FIELD day",
          "INSERT INTO {t} VALUES (102, 'r', 2.0, DATE '2024-06-02')"]),
    ]:
        t = f"{c}.m.{name}"
        spark_sql(f"CREATE TABLE {t} (id bigint NOT NULL, cat string, amount double, day date) "
                  f"USING iceberg PARTITIONED BY (day) "
                  f"TBLPROPERTIES ('format-version'='{version}', {props})",
                  base.format(t=t), *[op.format(t=t) for op in ops])
        out[name] = engines.spark_rows(f"SELECT * FROM {t}")
    return out


SPARK_CELLS = {
    "copy-on-write DELETE (v2)": "sp_cow",
    "merge-on-read DELETE, position deletes (v2)": "sp_mor",
    "merge-on-read DELETE, deletion vectors (v3)": "sp_dv",
    "merge-on-read UPDATE (v2)": "sp_update",
    "MERGE INTO (v2)": "sp_merge",
    "schema evolution": "sp_evolve",
    "partition evolution": "sp_partition",
}


@pytest.mark.parametrize("feature", list(SPARK_CELLS))
def test_floe_reads_spark(wh, spark_tables, feature):
    table = SPARK_CELLS[feature]
    check_cell("engine writes", feature, "Spark",
               lambda: wh.scan_json(f"m.{table}"), spark_tables[table])


def test_floe_reads_spark_branches_and_tags(wh, spark_cat):
    t = f"{spark_cat}.m.sp_refs"
    spark_sql(f"CREATE TABLE {t} (id bigint, v string) USING iceberg",
              f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b')",
              f"ALTER TABLE {t} CREATE TAG v1",
              f"ALTER TABLE {t} CREATE BRANCH dev",
              f"INSERT INTO {t}.branch_dev VALUES (3, 'dev')",
              f"INSERT INTO {t} VALUES (4, 'main')")
    tag = engines.spark_rows(f"SELECT * FROM {t} VERSION AS OF 'v1'")
    dev = engines.spark_rows(f"SELECT * FROM {t} VERSION AS OF 'dev'")
    main = engines.spark_rows(f"SELECT * FROM {t}")
    check_cell("engine writes", "branches and tags", "Spark",
               lambda: [{"ref": "v1", **r} for r in wh.scan_json("m.sp_refs", "--ref", "v1")]
               + [{"ref": "dev", **r} for r in wh.scan_json("m.sp_refs", "--ref", "dev")]
               + [{"ref": "main", **r} for r in wh.scan_json("m.sp_refs")],
               [{"ref": "v1", **r} for r in tag] + [{"ref": "dev", **r} for r in dev]
               + [{"ref": "main", **r} for r in main])


def test_floe_reads_pyiceberg(wh):
    from pyiceberg.schema import Schema
    from pyiceberg.types import LongType, NestedField, StringType
    cat = wh.pyiceberg()
    t = cat.create_table("m.py_writes", schema=Schema(
        NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType()),
        identifier_field_ids=[1]))
    schema = t.schema().as_arrow()
    t.append(pa.table({"id": list(range(20)), "v": [f"a{i}" for i in range(20)]}, schema=schema))
    t.overwrite(pa.table({"id": [100], "v": ["over"]}, schema=schema), overwrite_filter="id < 5")
    t.upsert(pa.table({"id": [10, 200], "v": ["up", "new"]}, schema=schema))
    t.delete("id = 11")
    want = canon_rows(cat.load_table("m.py_writes").scan().to_arrow())
    check_cell("engine writes", "append, overwrite, upsert, delete", "PyIceberg",
               lambda: wh.scan_json("m.py_writes"), want)


FLINK_STATEMENTS = [
    # A streaming job: 200 generated rows at 50 a second, a commit per
    # checkpoint (every second), as the design note's Flink writer does.
    "CREATE TABLE {c}.m.fl_stream (id BIGINT, cat STRING, amount DOUBLE) "
    "WITH ('format-version'='2')",
    "CREATE TEMPORARY TABLE gen (id BIGINT, cat STRING, amount DOUBLE) WITH ("
    "'connector'='datagen', 'rows-per-second'='50', 'number-of-rows'='200', "
    "'fields.id.kind'='sequence', 'fields.id.start'='1', 'fields.id.end'='200', "
    "'fields.cat.length'='3', 'fields.amount.min'='0', 'fields.amount.max'='100')",
    "INSERT INTO {c}.m.fl_stream SELECT id, cat, amount FROM gen",
    # Upserts on a primary key: Flink writes equality deletes.
    "CREATE TABLE {c}.m.fl_upsert (id BIGINT, v STRING, d DATE, PRIMARY KEY (id) NOT ENFORCED) "
    "WITH ('format-version'='2', 'write.upsert.enabled'='true')",
    "INSERT INTO {c}.m.fl_upsert VALUES (1, 'a', DATE '2024-06-01'), (2, 'b', DATE '2024-06-01'), "
    "(3, 'c', DATE '2024-06-02')",
    "INSERT INTO {c}.m.fl_upsert VALUES (2, 'B', DATE '2024-06-01'), (4, 'd', DATE '2024-06-03')",
    "INSERT INTO {c}.m.fl_upsert VALUES (3, 'C', DATE '2024-06-02'), (2, 'BB', DATE '2024-06-01')",
]


def flink_results(wh):
    """The module's one Flink run (its failure, too, is kept: not retried per cell)."""
    if not FLINK_RESULTS:
        try:
            FLINK_RESULTS.update(run_flink(wh))
        except Exception as e:  # noqa: BLE001
            FLINK_RESULTS["error"] = e
    if "error" in FLINK_RESULTS:
        raise FLINK_RESULTS["error"]
    return FLINK_RESULTS


def flink_columns(cols):
    """Columns quoted for Flink SQL (b, dec, ts... are keywords there)."""
    return cols if cols == "*" else ", ".join(f"`{c.strip()}`" for c in cols.split(","))


def run_flink(wh):
    queries = {f"{t}|{cols}": f"SELECT {flink_columns(cols)} FROM {wh.catalog_name}.m.{t}"
               for t, cols in sorted(FLINK_QUERIES)}
    for t in ("fl_stream", "fl_upsert"):
        queries[f"{t}|*"] = f"SELECT * FROM {wh.catalog_name}.m.{t}"
    return engines.flink(wh, [s.format(c=wh.catalog_name) for s in FLINK_STATEMENTS], queries)


@pytest.mark.parametrize("feature,table", [
    ("streaming appends, a commit per checkpoint", "fl_stream"),
    ("upserts on a primary key (equality deletes)", "fl_upsert")])
def test_floe_reads_flink(wh, feature, table):
    flink_rows = flink_results(wh)[f"{table}|*"]
    if isinstance(flink_rows, Exception):
        raise flink_rows
    if table == "fl_stream":
        assert len(flink_rows) == 200
        appends = [s for s in wh.snapshots("m.fl_stream") if s[2] == "append"]
        assert len(appends) >= 2, f"one streaming job should commit several times: {appends}"
    else:
        assert sorted((r["id"], r["v"]) for r in flink_rows) == [
            (1, "a"), (2, "BB"), (3, "C"), (4, "d")]
        explain = wh.run("scan", "m.fl_upsert", "--explain").stdout
        assert "0 delete files" not in explain, explain
    check_cell("engine writes", feature, "Flink", lambda: wh.scan_json(f"m.{table}"), flink_rows)


def test_spark_maintains_a_floe_table(wh, spark_cat, tmp_path):
    """Spark's rewrite_data_files and expire_snapshots procedures on a table
    Floe wrote (small files, merge-on-read deletes): Floe reads the rows."""
    wh.run("create", "m.sp_maint", "--schema", EVENTS_SCHEMA, "--format-version", 2,
           "--property", "write.delete.mode=merge-on-read")
    oracle = {}
    for part in range(5):
        rows = [event(i) for i in range(part * 10, part * 10 + 10)]
        wh.run("append", "m.sp_maint", write_events(tmp_path / f"{part}.json", rows))
        oracle.update({r["id"]: r for r in rows})
    wh.run("delete", "m.sp_maint", "--where", "id in (1, 12, 23)")
    for i in (1, 12, 23):
        del oracle[i]
    want = events_canon(list(oracle.values()))

    def maintain_then_read():
        spark_sql(f"CALL {spark_cat}.system.rewrite_data_files(table => 'm.sp_maint', "
                  f"options => map('min-input-files', '2', 'delete-file-threshold', '1'))",
                  f"CALL {spark_cat}.system.expire_snapshots(table => 'm.sp_maint', "
                  f"older_than => current_timestamp(), retain_last => 1)")
        snaps = wh.snapshots("m.sp_maint")
        assert len(snaps) == 1 and snaps[0][2] in ("replace", "overwrite"), snaps
        return wh.scan_json("m.sp_maint")
    check_cell("engines maintain, Floe reads", "rewrite_data_files + expire_snapshots", "Spark",
               maintain_then_read, want)


def test_floe_maintains_a_spark_table(wh, spark_cat, spark_tables):
    """Floe compacts and expires a table Spark wrote with merge-on-read
    deletes: Spark reads the same rows, without delete files."""
    def maintain_then_read():
        wh.run("compact", "m.sp_mor", "--min-input-files", "2")
        wh.run("expire", "m.sp_mor", "--older-than", "0s", "--retain-last", "1")
        deletes = wh.run("metadata", "m.sp_mor", "delete-files", "--format", "json").stdout
        assert deletes.strip() == "", deletes
        return engines.spark_rows(f"SELECT * FROM {spark_cat}.m.sp_mor")
    check_cell("Floe maintains, engines read", "a Spark-written table (MoR deletes)", "Spark",
               maintain_then_read, spark_tables["sp_mor"])


def test_floe_maintains_a_flink_table(wh):
    """Floe converts and compacts the equality deletes of Flink's upsert
    table: Flink reads the same rows (a second Flink run), and PyIceberg,
    which cannot read equality deletes, can now read the table too."""
    before = flink_results(wh)["fl_upsert|*"]
    if isinstance(before, Exception):
        raise before
    def maintain_then_read():
        wh.run("compact-deletes", "m.fl_upsert")
        wh.run("compact", "m.fl_upsert", "--min-input-files", "2")
        deletes = wh.run("metadata", "m.fl_upsert", "delete-files", "--format", "json").stdout
        assert deletes.strip() == "", deletes
        got = engines.flink(wh, [], {"q": f"SELECT * FROM {wh.catalog_name}.m.fl_upsert"})["q"]
        if isinstance(got, Exception):
            raise got
        return got
    check_cell("Floe maintains, engines read", "a Flink upsert table (equality deletes)", "Flink",
               maintain_then_read, before)
    check_cell("Floe maintains, engines read", "a Flink upsert table (equality deletes)", "PyIceberg",
               lambda: canon_rows(wh.pyiceberg().load_table("m.fl_upsert").scan().to_arrow()), before)


def test_duckdb_writes_are_not_supported(wh):
    def write():
        # DuckDB writes Iceberg only into catalogs it attaches (REST); a
        # table by path is read-only (duckdb.org/docs/stable/core_extensions/iceberg).
        engines.duckdb_rows(f"INSERT INTO iceberg_scan('{wh.metadata_location('m.by_day')}') "
                            f"VALUES (1)")
    NOT_SUPPORTED[("DuckDB", "writes by path")] = (
        "DuckDB's iceberg extension writes only to attached Iceberg REST catalogs "
        "(duckdb.org/docs/stable/core_extensions/iceberg/iceberg_rest_catalogs)")
    check_cell("engine writes", "writes by path", "DuckDB", write, [])


def test_commits_interleave_across_engines(wh, spark_cat, tmp_path):
    """Floe, Spark, PyIceberg and Floe commit in turn to one table: every
    snapshot is kept, in order, and every engine reads all rows."""
    wh.run("create", "m.shared", "--schema", "id long not null, who string")
    wh.run("append", "m.shared", write_events(tmp_path / "f1.json", [{"id": 1, "who": "floe"}]))
    spark_sql(f"INSERT INTO {spark_cat}.m.shared VALUES (2, 'spark')")
    t = wh.pyiceberg().load_table("m.shared")
    t.append(pa.table({"id": [3], "who": ["pyiceberg"]}, schema=t.schema().as_arrow()))
    wh.run("append", "m.shared", write_events(tmp_path / "f2.json", [{"id": 4, "who": "floe"}]))
    snaps = wh.snapshots("m.shared")
    assert len(snaps) == 4
    assert [s[1] for s in snaps[1:]] == [s[0] for s in snaps[:-1]]  # a parent chain
    want = [{"id": 1, "who": "floe"}, {"id": 2, "who": "spark"}, {"id": 3, "who": "pyiceberg"},
            {"id": 4, "who": "floe"}]
    check_cell("both", "Floe, Spark, PyIceberg, Floe commits on one table", "Spark",
               lambda: engines.spark_rows(f"SELECT * FROM {spark_cat}.m.shared"), want)
    check_cell("both", "Floe, Spark, PyIceberg, Floe commits on one table", "PyIceberg",
               lambda: canon_rows(wh.pyiceberg().load_table("m.shared").scan().to_arrow()), want)
    assert sorted_rows(wh.scan_json("m.shared")) == sorted_rows(want)


def test_spark_and_floe_share_a_postgresql_catalog(tmp_path):
    """The design note's catalog: Iceberg's JdbcCatalog on PostgreSQL (the
    PostgreSQL JDBC driver) and Floe on the same database."""
    import urllib.parse
    from conftest import postgres_server
    with postgres_server() as uri:
        u = urllib.parse.urlparse(uri)
        wh = Warehouse(tmp_path, catalog_name="pgmatrix")
        wh.uri = uri
        wh.run("namespace", "create", "m")
        wh.run("create", "m.pg", "--schema", "id long not null, who string")
        wh.run("append", "m.pg", write_events(tmp_path / "a.json", [{"id": 1, "who": "floe"}]))
        props = {"jdbc.user": urllib.parse.unquote(u.username or ""),
                 "jdbc.password": urllib.parse.unquote(u.password or "")}
        name = engines.spark_jdbc_catalog(
            "pgmatrix", f"jdbc:postgresql://{u.hostname}:{u.port}{u.path}", f"file://{wh.path}",
            **props)
        spark_sql(f"INSERT INTO {name}.m.pg VALUES (2, 'spark')")
        want = [{"id": 1, "who": "floe"}, {"id": 2, "who": "spark"}]
        check_cell("both", "PostgreSQL catalog: Floe and Spark commit, both read", "Spark",
                   lambda: engines.spark_rows(f"SELECT * FROM {name}.m.pg"), want)
        assert sorted_rows(wh.scan_json("m.pg")) == sorted_rows(want)


# ---------------------------------------------------------------- the document

def write_doc():
    if os.environ.get("FLOE_INTEROP_DOC", "1") == "0" or not RESULTS:
        return
    engines_used = ENGINES
    lines = ["# Interoperability matrix", "",
             "Written by `tests/interop/test_matrix.py` (run by `scripts/test.sh` and "
             "`scripts/interop.sh`); do not edit by hand.",
             "Floe's own reads are checked against the same expected rows in every cell.", "",
             "Engines: Spark 4.1.4 with Iceberg 1.12.0 and Flink 2.1.1 (PyFlink, local mini "
             "cluster) with Iceberg 1.11.0, both through Iceberg's JdbcCatalog on the same SQLite "
             "catalog database; DuckDB 1.5.5 with its iceberg extension (by metadata path); "
             "ClickHouse through chdb 4.4 (icebergLocal, by table path); PyIceberg 0.12 "
             "(SqlCatalog).", ""]
    notes = []
    for direction in ("Floe writes", "engine writes", "Floe maintains, engines read",
                      "engines maintain, Floe reads", "both"):
        features = [f for d, f in ORDER if d == direction]
        if not features:
            continue
        title = {"Floe writes": "Floe writes, the engine reads",
                 "engine writes": "The engine writes, Floe reads",
                 "Floe maintains, engines read": "Floe maintains (compact, compact-deletes, "
                                                 "expire, remove-orphans, rewrite-manifests), "
                                                 "the engine reads",
                 "engines maintain, Floe reads": "The engine maintains a Floe table, Floe reads",
                 "both": "Commits from several engines on one table"}[direction]
        lines += [f"## {title}", "", "| feature | " + " | ".join(engines_used) + " |",
                  "|---|" + "---|" * len(engines_used)]
        for f in features:
            cells = []
            for e in engines_used:
                outcome, note = RESULTS.get((direction, f, e), ("", ""))
                if outcome == "not supported":
                    notes.append(f"- {e}, {f}: not supported by {e}: {note}")
                    outcome = f"not supported by {e} [{len(notes)}]"
                elif outcome == "fail":
                    notes.append(f"- {e}, {f}: fails: {note}")
                    outcome = f"fail [{len(notes)}]"
                cells.append(outcome or "—")
            lines.append(f"| {f} | " + " | ".join(cells) + " |")
        lines.append("")
    if notes:
        lines += ["## Notes", ""] + [f"{i + 1}. {n[2:]}" for i, n in enumerate(notes)] + [""]
    lines += ["— means the cell does not apply (the engine does not write, or the test is "
              "for another engine).", ""]
    (ROOT / "docs" / "INTEROP.md").write_text("\n".join(lines))
