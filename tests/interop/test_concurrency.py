"""Many `floe append` processes commit to one table at once: on SQLite, on
PostgreSQL (a private server from tests/tools/floe_pg_server), and on
PostgreSQL with the warehouse on SeaweedFS's S3 gateway.

4 writers x 25 appends, each of a tiny Parquet file with distinct marker
values. Afterwards every commit must be there exactly once: 100 snapshots in
one line of ancestry, sequence numbers 1..100, the exact row count, every
marker exactly once, no file left over from a lost attempt, and PyIceberg
(SqlCatalog on the same database) sees the same table.

The table raises commit.retry.num-retries so that contention never exhausts
the retries; the attempts each commit took (the CLI prints "committed on
attempt N" when N > 1) are reported on stdout (run pytest with -s)."""
import collections
import json
import os
import pathlib
import re
import subprocess
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyiceberg.catalog.sql import SqlCatalog as PySqlCatalog

from conftest import BUILD, postgres_server
from seaweedfs import ACCESS_KEY, SECRET_KEY

WRITERS = 4
APPENDS_PER_WRITER = 25
ROWS_PER_FILE = 3
SCHEMA = "marker long not null, writer int, seq int, note string"
RETRY_PROPERTIES = ["commit.retry.num-retries=50", "commit.retry.min-wait-ms=10",
                    "commit.retry.max-wait-ms=500"]


@pytest.fixture(scope="module")
def pg_uri():
    with postgres_server() as uri:
        yield uri


class Setup:
    """Where the table lives: the catalog URI for Floe and for SQLAlchemy,
    the warehouse, the environment for floe, and file access by location."""

    def __init__(self, uri, sqlalchemy_uri, warehouse, env=None, s3=None):
        self.uri, self.sqlalchemy_uri, self.warehouse = uri, sqlalchemy_uri, warehouse
        self.env = dict(os.environ, **(env or {}))
        self.s3 = s3

    def read_text(self, location):
        if self.s3:
            with self.s3.pyarrow_fs().open_input_stream(location.removeprefix("s3://")) as f:
                return f.read().decode()
        return pathlib.Path(location.removeprefix("file://")).read_text()

    def files_under(self, location):
        """The names of all files under a table location."""
        if self.s3:
            from pyarrow.fs import FileSelector, FileType
            infos = self.s3.pyarrow_fs().get_file_info(
                FileSelector(location.removeprefix("s3://"), recursive=True))
            return [pathlib.PurePosixPath(i.path) for i in infos if i.type == FileType.File]
        return [p for p in pathlib.Path(location.removeprefix("file://")).rglob("*")
                if p.is_file()]

    def pyiceberg_properties(self):
        if not self.s3:
            return {"warehouse": f"file://{self.warehouse}"}
        return {"warehouse": self.warehouse, "s3.endpoint": self.s3.endpoint,
                "s3.access-key-id": ACCESS_KEY, "s3.secret-access-key": SECRET_KEY,
                "s3.region": "us-east-1"}


@pytest.fixture(params=["sqlite", "postgresql", "postgresql+s3"])
def catalog(request, tmp_path):
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path / 'catalog.db'}"
        return Setup(uri, uri, tmp_path / "warehouse")
    uri = request.getfixturevalue("pg_uri")
    sqlalchemy_uri = uri.replace("postgresql://", "postgresql+psycopg2://", 1)
    if request.param == "postgresql":
        return Setup(uri, sqlalchemy_uri, tmp_path / "warehouse")
    # A fresh catalog database per run: the table is db.t in every case.
    s3 = request.getfixturevalue("seaweed")
    s3.create_bucket("concurrency")
    prefix = f"s3://concurrency/{tmp_path.name}"
    env = {"FLOE_S3_ENDPOINT": s3.endpoint, "FLOE_S3_ACCESS_KEY_ID": ACCESS_KEY,
           "FLOE_S3_SECRET_ACCESS_KEY": SECRET_KEY}
    setup = Setup(uri, sqlalchemy_uri, prefix, env=env, s3=s3)
    setup.catalog_name = "s3_" + tmp_path.name.replace("-", "_")
    return setup


def floe(setup, *args, check=True):
    name = getattr(setup, "catalog_name", "default")
    proc = subprocess.run([str(BUILD / "floe"), "--catalog", setup.uri, "--catalog-name", name,
                           "--warehouse", str(setup.warehouse), *map(str, args)],
                          capture_output=True, text=True, env=setup.env)
    if check:
        assert proc.returncode == 0, f"floe {' '.join(map(str, args))}: {proc.stderr}"
    return proc


def marker(writer, seq, row):
    return writer * 1_000_000 + seq * 1_000 + row


def write_inputs(folder):
    """One tiny Parquet file per (writer, seq) with distinct markers."""
    folder.mkdir()
    files = {}
    for w in range(WRITERS):
        for s in range(APPENDS_PER_WRITER):
            rows = range(ROWS_PER_FILE)
            table = pa.table({
                "marker": pa.array([marker(w, s, r) for r in rows], pa.int64()),
                "writer": pa.array([w] * ROWS_PER_FILE, pa.int32()),
                "seq": pa.array([s] * ROWS_PER_FILE, pa.int32()),
                "note": pa.array([f"w{w}s{s}r{r}" for r in rows], pa.string()),
            }, schema=pa.schema([pa.field("marker", pa.int64(), nullable=False),
                                 pa.field("writer", pa.int32()), pa.field("seq", pa.int32()),
                                 pa.field("note", pa.string())]))
            path = folder / f"w{w}-s{s:02d}.parquet"
            pq.write_table(table, path)
            files[(w, s)] = path
    return files


def metadata_of(setup):
    """The current metadata JSON of db.t (via `floe describe`)."""
    out = floe(setup, "describe", "db.t").stdout
    location = re.search(r"^metadata\s+(\S+)$", out, re.M).group(1)
    return location, json.loads(setup.read_text(location))


def test_concurrent_appends(catalog, tmp_path):
    setup = catalog
    kind = "postgresql+s3" if setup.s3 else setup.uri.split(":")[0]
    started = time.monotonic()
    inputs = write_inputs(tmp_path / "inputs")
    floe(setup, "namespace", "create", "db")
    props = [a for p in RETRY_PROPERTIES for a in ("--property", p)]
    floe(setup, "create", "db.t", "--schema", SCHEMA, *props)

    results = []  # (writer, seq, returncode, attempts, stdout, stderr)
    lock = threading.Lock()

    def writer(w):
        for s in range(APPENDS_PER_WRITER):
            proc = floe(setup, "append", "db.t", inputs[(w, s)], check=False)
            m = re.search(r"committed on attempt (\d+)", proc.stdout)
            with lock:
                results.append((w, s, proc.returncode, int(m.group(1)) if m else 1,
                                proc.stdout, proc.stderr))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writing = time.monotonic() - started

    failed = [r for r in results if r[2] != 0]
    assert not failed, "appends failed:\n" + "\n".join(f"w{r[0]} s{r[1]}: {r[5]}" for r in failed)
    assert len(results) == WRITERS * APPENDS_PER_WRITER
    attempts = collections.Counter(r[3] for r in results)
    print(f"\n[{kind}] {len(results)} appends by {WRITERS} processes in "
          f"{writing:.1f} s; attempts per commit: {dict(sorted(attempts.items()))}; "
          f"lost races retried: {sum((n - 1) * c for n, c in attempts.items())}; "
          f"max attempts {max(attempts)}")

    total = WRITERS * APPENDS_PER_WRITER
    location, md = metadata_of(setup)
    # 100 snapshots, all on main's line, sequence numbers 1..100.
    snapshots = {s["snapshot-id"]: s for s in md["snapshots"]}
    assert len(snapshots) == total
    chain = []
    sid = md["current-snapshot-id"]
    while sid is not None:
        chain.append(snapshots[sid])
        sid = snapshots[sid].get("parent-snapshot-id")
    assert len(chain) == total, "a commit is missing from main's ancestry"
    assert sorted(s["sequence-number"] for s in chain) == list(range(1, total + 1))
    assert md["last-sequence-number"] == total
    assert [s["sequence-number"] for s in chain] == list(range(total, 0, -1))
    assert all(s["summary"]["operation"] == "append" for s in chain)
    assert all(s["summary"]["added-records"] == str(ROWS_PER_FILE) for s in chain)
    assert chain[0]["summary"]["total-records"] == str(total * ROWS_PER_FILE)
    # The create plus one metadata file per commit; the log holds all earlier ones.
    assert re.search(r"/(\d{5})-[^/]*\.metadata\.json$", location).group(1) == f"{total:05d}"
    assert len(md["metadata-log"]) == total
    assert len(md["snapshot-log"]) == total

    # `floe snapshots` agrees.
    lines = floe(setup, "snapshots", "db.t").stdout.splitlines()
    assert len(lines) == total + 1
    assert sum(int(line.split()[5]) for line in lines[1:]) == total * ROWS_PER_FILE

    # Every row exactly once.
    count = floe(setup, "count", "db.t").stdout.strip()
    assert count == str(total * ROWS_PER_FILE)
    out = tmp_path / "rows.csv"
    floe(setup, "scan", "db.t", "--select", "marker", "--format", "csv",
         "--output", out)
    markers = collections.Counter(int(v) for v in out.read_text().split()[1:])
    expected = {marker(w, s, r) for w in range(WRITERS) for s in range(APPENDS_PER_WRITER)
                for r in range(ROWS_PER_FILE)}
    assert set(markers) == expected
    assert all(n == 1 for n in markers.values()), [m for m, n in markers.items() if n > 1]

    # Lost attempts left nothing: exactly one manifest list, manifest, data
    # file and metadata file per commit (plus the create's metadata file).
    files = setup.files_under(md["location"])
    kinds = collections.Counter(
        "metadata" if p.name.endswith(".metadata.json") else
        "manifest-list" if p.name.startswith("snap-") else
        "manifest" if p.suffix == ".avro" else
        "data" if p.suffix == ".parquet" else f"other:{p.name}" for p in files)
    assert kinds == {"metadata": total + 1, "manifest-list": total, "manifest": total,
                     "data": total}, kinds

    # PyIceberg on the same catalog database sees the same table.
    py = PySqlCatalog(getattr(setup, "catalog_name", "default"), uri=setup.sqlalchemy_uri,
                      **setup.pyiceberg_properties())
    table = py.load_table("db.t")
    assert table.metadata_location == location
    assert len(table.metadata.snapshots) == total
    arrow = table.scan().to_arrow()
    assert arrow.num_rows == total * ROWS_PER_FILE
    assert set(arrow.column("marker").to_pylist()) == expected
    elapsed = time.monotonic() - started
    print(f"[{kind}] checked in {elapsed:.1f} s total")
    assert elapsed < 60, f"took {elapsed:.0f} s"
