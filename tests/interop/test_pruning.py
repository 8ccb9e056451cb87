"""Partition pruning on a table with 30 daily partitions (floe-datagen,
300,000 rows in 3 files): a one-day filter reads only that day's data files.
`floe scan --explain` says how many files were considered, skipped and read;
the files read must be exactly that day's files as `floe files` lists them,
and the rows returned must equal `floe count --where`, the rows `floe scan`
prints, and PyIceberg's count."""
import csv
import datetime
import io
import os
import re
import subprocess

import pyarrow.parquet as pq
import pytest
from pyiceberg.expressions import And, EqualTo, GreaterThanOrEqual, LessThan

from conftest import BUILD
from floe_cli import DATAGEN, Warehouse

SCHEMA = ("event_id string not null, event_type string, user_id string, payload string, "
          "created_at timestamp, event_date date")
START = datetime.date(2024, 6, 1)
DAY = datetime.date(2024, 6, 15)
EXPLAIN_FILES = re.compile(r"^files\s+(\d+) considered, (\d+) skipped by partition, "
                           r"(\d+) skipped by metrics, (\d+) read$", re.M)
EXPLAIN_ROWS = re.compile(r"^rows\s+(\d+) read, (\d+) returned", re.M)


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    """Two tables over the same generated events: by identity(event_date),
    appended in three commits (one per file), and by day(created_at), in one
    commit. Returns (warehouse, input files, rows per day)."""
    root = tmp_path_factory.mktemp("pruning")
    out = root / "events"
    subprocess.run([str(DATAGEN), "--rows", "300000", "--days", "30", "--files", "3",
                    "--start", START.isoformat(), "--out", str(out)],
                   check=True, capture_output=True)
    files = sorted(out.glob("*.parquet"))
    assert len(files) == 3
    per_day = {}
    for f in files:
        for d in pq.read_table(f, columns=["event_date"]).column("event_date").to_pylist():
            per_day[d] = per_day.get(d, 0) + 1
    assert len(per_day) == 30 and sum(per_day.values()) == 300000
    wh = Warehouse(root)
    wh.run("namespace", "create", "analytics")
    wh.run("create", "analytics.by_date", "--schema", SCHEMA, "--partition-by", "event_date")
    for f in files:
        wh.run("append", "analytics.by_date", f)
    wh.run("create", "analytics.by_day", "--schema", SCHEMA, "--partition-by", "day(created_at)")
    wh.run("append", "analytics.by_day", *files)
    return wh, files, per_day


def explain(wh, table, where):
    text = wh.run("scan", table, "--where", where, "--explain=analyze,files").stdout
    m = EXPLAIN_FILES.search(text)
    assert m, text
    considered, skipped_partition, skipped_metrics, read = map(int, m.groups())
    rows = EXPLAIN_ROWS.search(text)
    assert rows, text
    return considered, skipped_partition, skipped_metrics, read, int(rows.group(2)), text


CASES = {
    "by_date": ("event_date", f"event_date = date '{DAY.isoformat()}'",
                EqualTo("event_date", DAY.isoformat())),
    "by_day": ("created_at_day",
               f"created_at >= timestamp '{DAY.isoformat()} 00:00:00' and "
               f"created_at < timestamp '{(DAY + datetime.timedelta(days=1)).isoformat()} 00:00:00'",
               And(GreaterThanOrEqual("created_at", f"{DAY.isoformat()}T00:00:00"),
                   LessThan("created_at",
                            f"{(DAY + datetime.timedelta(days=1)).isoformat()}T00:00:00"))),
}


@pytest.mark.parametrize("table", list(CASES))
def test_one_day_filter_reads_only_that_days_files(events, table):
    wh, _files, per_day = events
    name = f"analytics.{table}"
    field, where, _py_filter = CASES[table]
    all_files = wh.files(name)
    partitions = {p for _, p, _ in all_files}
    assert len(partitions) == 30, sorted(partitions)
    day_files = [f for f in all_files if f[1] == f"{field}={DAY.isoformat()}"]
    assert day_files, all_files[:3]
    expected_rows = per_day[DAY]
    assert sum(r for r, _, _ in day_files) == expected_rows

    considered, skipped_partition, skipped_metrics, read, returned, text = explain(wh, name, where)
    assert read == len(day_files), text
    # Every other file was skipped by its partition (no manifest was skipped
    # whole here: each manifest spans all 30 days), not read and filtered.
    assert considered == len(all_files), text
    assert skipped_partition == len(all_files) - len(day_files), text
    assert skipped_metrics == 0, text
    # The files it read are that day's files.
    read_paths = set(re.findall(r"^\s+file (\S+) \[[^\]]*\] \d+ rows: read", text, re.M))
    assert read_paths == {p for _, _, p in day_files}, text
    assert returned == expected_rows
    assert wh.count(name, "--where", where) == expected_rows
    # `floe files --where` lists the same files, planned without reading;
    # plain --explain plans only (no rows line, the same file counts).
    assert sorted(wh.files(name, "--where", where)) == sorted(day_files)
    plan = wh.run("scan", name, "--where", where, "--explain").stdout
    assert EXPLAIN_FILES.search(plan).groups() == (str(len(all_files)), str(len(all_files) - len(day_files)),
                                                   "0", str(len(day_files))), plan
    assert not EXPLAIN_ROWS.search(plan) and "  file " not in plan, plan
    scanned = list(csv.reader(io.StringIO(wh.run(
        "scan", name, "--where", where, "--select", "event_id,created_at",
        "--format", "csv").stdout)))
    assert scanned[0] == ["event_id", "created_at"]
    assert len(scanned) == expected_rows + 1
    assert all(row[1].startswith(DAY.isoformat() + "T") for row in scanned[1:])
    assert len({row[0] for row in scanned[1:]}) == expected_rows


@pytest.mark.parametrize("table", list(CASES))
def test_pyiceberg_agrees_on_the_day(events, table):
    wh, _files, per_day = events
    name = f"analytics.{table}"
    field, where, py_filter = CASES[table]
    py = wh.pyiceberg().load_table(name)
    scan = py.scan(row_filter=py_filter, selected_fields=("event_id",))
    planned = list(scan.plan_files())
    day_files = [f for f in wh.files(name) if f[1] == f"{field}={DAY.isoformat()}"]
    assert {t.file.file_path for t in planned} == {p for _, _, p in day_files}
    assert scan.to_arrow().num_rows == per_day[DAY] == wh.count(name, "--where", where)
    assert wh.count(name) == 300000


def test_range_and_other_predicates_prune(events):
    """A week, and a filter on a non-partition column combined with the day."""
    wh, _files, per_day = events
    week = [START + datetime.timedelta(days=i) for i in range(7)]
    where = f"event_date < date '{(START + datetime.timedelta(days=7)).isoformat()}'"
    considered, skipped_partition, _m, read, returned, text = explain(wh, "analytics.by_date",
                                                                       where)
    assert returned == sum(per_day[d] for d in week) == wh.count("analytics.by_date",
                                                                "--where", where)
    files = wh.files("analytics.by_date")
    week_files = [f for f in files if f[1] in {f"event_date={d.isoformat()}" for d in week}]
    assert read == len(week_files) and skipped_partition == considered - read, text
    where = f"event_date = date '{DAY.isoformat()}' and event_type = 'purchase'"
    _c, _s, _m, read, returned, text = explain(wh, "analytics.by_date", where)
    assert read == len([f for f in files if f[1] == f"event_date={DAY.isoformat()}"]), text
    assert returned == wh.count("analytics.by_date", "--where", where) > 0


def test_scan_as_an_arrow_stream_is_what_pyiceberg_reads(events, tmp_path):
    """`floe scan --format arrow` writes the Arrow IPC stream format (to
    stdout, or --output): pyarrow reads it without a re-encode, with the
    table's Arrow types, and holds the rows PyIceberg reads."""
    import pyarrow as pa
    wh, _files, per_day = events
    name = "analytics.by_date"
    where = f"event_date = date '{DAY.isoformat()}'"
    proc = subprocess.run([str(BUILD / "floe"), *wh.global_args(), "scan", name, "--where", where,
                           "--format", "arrow"], capture_output=True, cwd=wh.root, check=True)
    got = pa.ipc.open_stream(proc.stdout).read_all()
    assert got.num_rows == per_day[DAY]
    py = wh.pyiceberg().load_table(name).scan(row_filter=EqualTo("event_date", DAY.isoformat())).to_arrow()
    assert got.schema.names == py.schema.names
    assert got.sort_by("event_id").column("event_id").to_pylist() == \
        py.sort_by("event_id").column("event_id").to_pylist()
    assert got.schema.field("created_at").type == pa.timestamp("us")
    out = tmp_path / "day.arrows"
    wh.run("scan", name, "--where", where, "--format", "arrow", "--output", out)
    with pa.ipc.open_stream(pa.OSFile(str(out))) as reader:
        assert reader.read_all().equals(got)


def test_threads_change_speed_not_rows(events):
    """`--threads N` caps every pool (Floe's loops, Arrow's CPU and I/O
    pools): a full scan and a --limit scan return the same rows in the same
    order with 1, 2 and the default thread count (0); 257 is refused."""
    import pyarrow as pa
    wh, _files, _per_day = events

    def scan(*flags, extra=()):
        proc = subprocess.run([str(BUILD / "floe"), *wh.global_args(), *flags, "scan",
                               "analytics.by_date", *extra, "--format", "arrow"],
                              capture_output=True, cwd=wh.root, check=True)
        return pa.ipc.open_stream(proc.stdout).read_all()

    default = scan()
    assert default.num_rows == 300000
    for n in ("1", "2"):
        assert scan("--threads", n).equals(default), f"--threads {n} changed the rows or their order"
        limited = scan("--threads", n, extra=("--limit", "150001"))
        assert limited.equals(default.slice(0, 150001))
    assert scan("--threads", "0").equals(default)  # 0: the default
    bad = wh.run("--threads", "257", "count", "analytics.by_date", check=False)
    assert bad.returncode != 0 and "threads must be between 1 and 256" in bad.stderr
    # FLOE_THREADS keeps its old leniency: unparsable or 0 is ignored.
    for value in ("auto", "0", "512"):
        proc = subprocess.run([str(BUILD / "floe"), *wh.global_args(), "count", "analytics.by_date"],
                              capture_output=True, text=True, cwd=wh.root,
                              env={**os.environ, "FLOE_THREADS": value})
        assert proc.returncode == 0 and proc.stdout.strip() == "300000", (value, proc.stderr)


def _spread_ids(n):
    """0..n-1 in an order that puts nearly the whole range in every row
    group, so min/max statistics cannot skip any group for `id = X`."""
    return [(i * 7919) % n for i in range(n)]


def test_bloom_filters_skip_row_groups_in_floe_and_pyarrow_files(tmp_path):
    """Bloom filters, written by Floe (write.parquet.bloom-filter-enabled.
    column.id) and by pyarrow (a file added to a table), skip row groups
    for `=` and `in` in `--explain=analyze`; the rows are exact and PyIceberg
    reads Floe's files with filters identically."""
    import pyarrow as pa
    from pyiceberg.expressions import In
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    n = 20000
    rows = [{"id": i, "tag": f"t{i % 97}"} for i in _spread_ids(n)]
    src = tmp_path / "rows.json"
    src.write_text("\n".join(f'{{"id": {r["id"]}, "tag": "{r["tag"]}"}}' for r in rows) + "\n")
    wh.run("create", "db.floe_bloom", "--schema", "id long, tag string",
           "--property", "write.parquet.row-group-size-bytes=16384",
           "--property", "write.parquet.bloom-filter-enabled.column.id=true")
    wh.run("append", "db.floe_bloom", src)

    def analyze(table, where):
        text = wh.run("scan", table, "--where", where, "--explain=analyze").stdout
        m = re.search(r"row groups (\d+) read, (\d+) skipped by statistics, (\d+) skipped by bloom filter", text)
        assert m, text
        return tuple(int(x) for x in m.groups())

    read, by_stats, by_bloom = analyze("db.floe_bloom", "id = 4242")
    assert by_stats == 0 and read + by_bloom > 4 and read <= 2, (read, by_stats, by_bloom)
    assert [r["id"] for r in wh.scan_json("db.floe_bloom", "--where", "id in (7, 4242)")] in ([7, 4242], [4242, 7])
    t = wh.pyiceberg().load_table("db.floe_bloom")
    assert t.scan().to_arrow().num_rows == n
    assert sorted(t.scan(row_filter=In("id", [7, 4242])).to_arrow().column("id").to_pylist()) == [7, 4242]

    # A file another writer made, with its own bloom filters.
    f = tmp_path / "pyarrow.parquet"
    pq.write_table(pa.table({"id": pa.array(_spread_ids(n), pa.int64()),
                             "tag": pa.array([f"t{i % 97}" for i in _spread_ids(n)])}),
                   f, row_group_size=2000, bloom_filter_options={"id": {"ndv": n, "fpp": 0.01}})
    wh.run("import", "db.pa_bloom", f)
    read, by_stats, by_bloom = analyze("db.pa_bloom", "id = 4242")
    assert (read, by_stats, by_bloom)[0] <= 2 and by_bloom >= 8, (read, by_stats, by_bloom)
    assert wh.count("db.pa_bloom", "--where", "id = 4242") == 1
    # Without filters on the column nothing is skipped by them.
    read, by_stats, by_bloom = analyze("db.pa_bloom", "tag = 't5'")
    assert by_bloom == 0 and read == 10, (read, by_stats, by_bloom)
