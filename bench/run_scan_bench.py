#!/usr/bin/env python3
"""The read path's acceptance figures: an events table of --rows rows
(floe-datagen; 20M rows are ~1 GB of zstd Parquet), partitioned by day,
with a bloom filter on event_id, written and read by Floe, PyIceberg,
DuckDB and raw Arrow on the same files, in one run, on local disk and
(--storage local,s3) on SeaweedFS.

  append      `floe append T FILES` (a whole process, reading the source
              files) vs PyIceberg `Table.append` and Arrow's own partitioned
              write (`pyarrow.dataset.write_dataset`, zstd), both timed from
              reading the same source files; output sizes compared
  full scan   `floe scan T --format arrow --output /dev/null` (a whole
              process) vs PyIceberg `scan().to_arrow()`, Arrow's
              multi-threaded dataset read of the table's data files, and
              DuckDB's `iceberg_scan` into Arrow
  one day     the same with `event_date = DAY`
  point       `event_id = X` (bloom filter on event_id) vs PyIceberg

Floe is timed with GNU time (wall, system seconds, peak RSS); the others
in this process (PyIceberg, Arrow; after loading the table) or in a child
(DuckDB, query only). Medians of --repeat runs, runs alternated. Not a CI
assertion: the numbers depend on the machine.

    .venv/bin/python bench/run_scan_bench.py [--rows 20000000] [--repeat 3] [--storage local]
"""
import argparse
import datetime
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from benchlib import BUILD, DAY, EVENTS_SCHEMA as SCHEMA, timed_process as timed
from engines import DUCKDB_PRELUDE  # noqa: E402 (benchlib puts tests/interop on the path)

_DUCKDB = DUCKDB_PRELUDE + r"""
for stmt in sys.argv[2:]:
    con.execute(stmt)
s = time.perf_counter()
t = con.execute(sys.argv[1]).fetch_arrow_table()
print(time.perf_counter() - s, t.num_rows)
"""


def clock(fn):
    s = time.perf_counter()
    result = fn()
    return time.perf_counter() - s, result


def med(xs):
    return statistics.median(xs)


def run(storage, a, work):
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.expressions import EqualTo
    props, py_props, arrow_fs, duck_setup = {}, {}, None, []
    seaweed = None
    if storage == "s3":
        from seaweedfs import ACCESS_KEY, SECRET_KEY, SeaweedFS
        from pyarrow import fs as pafs
        seaweed = SeaweedFS(work / "seaweedfs").start()
        seaweed.create_bucket("bench")
        props = seaweed.client_properties()
        py_props = dict(props)
        arrow_fs = pafs.S3FileSystem(access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                     endpoint_override=seaweed.endpoint, region="us-east-1",
                                     scheme="http")
        host = seaweed.endpoint.split("://", 1)[1]
        duck_setup = [f"CREATE SECRET s3 (TYPE s3, KEY_ID '{ACCESS_KEY}', SECRET '{SECRET_KEY}', "
                      f"ENDPOINT '{host}', URL_STYLE 'path', USE_SSL false, REGION 'us-east-1')"]
        floe_wh, py_wh, arrow_root = "s3://bench/floe", "s3://bench/pyiceberg", "bench/arrow"
    else:
        floe_wh, py_wh, arrow_root = str(work / "floe-wh"), f"file://{work}/py-wh", str(work / "arrow")
    try:
        src = sorted((work / "src").glob("*.parquet"))
        catalog = f"sqlite:///{work}/floe-{storage}.db"
        common = ["--catalog", catalog, "--warehouse", floe_wh, "--catalog-name", "bench"]
        for k, v in props.items():
            common += ["--property", f"{k}={v}"]
        floe = [BUILD / "floe", *common]
        subprocess.run([*floe, "namespace", "create", "bench"], check=True, capture_output=True)
        table_props = ["--property", "write.parquet.bloom-filter-enabled.column.event_id=true"]
        subprocess.run([*floe, "create", "bench.events", "--schema", SCHEMA, "--partition-by",
                        "event_date", *table_props], check=True, capture_output=True)
        r = {}
        wall, sys_s, rss, _ = timed([*floe, "append", "bench.events", *src])
        r["append floe"] = (wall, sys_s, rss)

        # PyIceberg writes its own table from the same rows.
        cat = SqlCatalog("py", uri=f"sqlite:///{work}/py-{storage}.db", warehouse=py_wh, **py_props)
        cat.create_namespace("bench")
        src_schema = pq.read_schema(src[0])
        from pyiceberg.transforms import IdentityTransform
        py_table = cat.create_table("bench.events", schema=src_schema)
        with py_table.update_spec() as u:
            u.add_field("event_date", IdentityTransform(), "event_date")
        py_table = cat.load_table("bench.events")
        t_py, _ = clock(lambda: py_table.append(pq.read_table(src)))
        r["append pyiceberg"] = t_py

        def arrow_write():
            table = pq.read_table(src)
            ds.write_dataset(table, arrow_root, format="parquet", filesystem=arrow_fs,
                             partitioning=ds.partitioning(pa.schema([("event_date", pa.date32())]),
                                                          flavor="hive"),
                             file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
                             existing_data_behavior="overwrite_or_ignore")
        r["append arrow"], _ = clock(arrow_write)

        # Sizes: what each wrote.
        py_table = cat.load_table("bench.events")
        r["size pyiceberg"] = sum(t.file.file_size_in_bytes for t in py_table.scan().plan_files())
        floe_table = SqlCatalog("bench", uri=catalog, warehouse=floe_wh, **py_props).load_table("bench.events")
        floe_files = list(floe_table.scan().plan_files())
        r["size floe"] = sum(t.file.file_size_in_bytes for t in floe_files)
        paths = [f.file.file_path.split("://", 1)[1] if storage == "s3" else
                 f.file.file_path.removeprefix("file://") for f in floe_files]
        from pyarrow import fs as pafs
        files_fs = arrow_fs or pafs.LocalFileSystem()
        written = ds.dataset(arrow_root, filesystem=arrow_fs, format="parquet").files
        r["size arrow"] = sum(f.size for f in files_fs.get_file_info(written))
        metadata = floe_table.metadata_location
        point_id = pq.read_table(src[len(src) // 2], columns=["event_id"]).column(0)[12345].as_py()

        queries = {
            "full scan": ([], None, ""),
            "one day": (["--where", f"event_date = date '{DAY}'"], EqualTo("event_date", DAY),
                        f" WHERE event_date = DATE '{DAY}'"),
            "point": (["--where", f"event_id = '{point_id}'"], EqualTo("event_id", point_id),
                      f" WHERE event_id = '{point_id}'"),
        }
        for q, (where, py_filter, sql_where) in queries.items():
            runs = {"floe": [], "floe sys": [], "floe rss": [], "pyiceberg": [], "arrow": [], "duckdb": []}
            rows = {}
            for _ in range(a.repeat):
                wall, sys_s, rss, _ = timed([*floe, "scan", "bench.events", *where, "--format", "arrow",
                                             "--output", "/dev/null"])
                runs["floe"].append(wall)
                runs["floe sys"].append(sys_s)
                runs["floe rss"].append(rss)
                t, table = clock(lambda: (floe_table.scan(row_filter=py_filter) if py_filter is not None
                                          else floe_table.scan()).to_arrow())
                runs["pyiceberg"].append(t)
                rows["pyiceberg"] = table.num_rows
                del table
                if q != "point":
                    expr = (ds.field("event_date") == pa.scalar(datetime.date.fromisoformat(DAY))
                            if q == "one day" else None)
                    t, table = clock(lambda: ds.dataset(paths, filesystem=arrow_fs, format="parquet")
                                     .to_table(filter=expr))
                    runs["arrow"].append(t)
                    rows["arrow"] = table.num_rows
                    del table
                loc = metadata if storage == "s3" else metadata.removeprefix("file://")
                out = subprocess.run([sys.executable, "-c", _DUCKDB,
                                      f"SELECT * FROM iceberg_scan('{loc}'){sql_where}", *duck_setup],
                                     capture_output=True, text=True)
                if out.returncode == 0:
                    secs, n = out.stdout.strip().splitlines()[-1].split()
                    runs["duckdb"].append(float(secs))
                    rows["duckdb"] = int(n)
                else:
                    print(f"DuckDB failed on {q} ({storage}): {out.stderr.strip()[-300:]}", file=sys.stderr)
            r[q] = runs
            r["rows " + q] = rows
        return r
    finally:
        if seaweed:
            seaweed.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--storage", default="local")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="floe-scan-bench-") as tmp:
        work = pathlib.Path(tmp)
        subprocess.run([BUILD / "floe-datagen", "--rows", str(a.rows), "--days", "30", "--start",
                        "2024-06-01", "--files", str(a.files), "--out", work / "src"], check=True,
                       capture_output=True)
        mb = sum(f.stat().st_size for f in (work / "src").glob("*.parquet")) / 2**20
        print(f"\n## Read path: {a.rows:,} events ({mb:.0f} MiB of zstd Parquet), "
              f"medians of {a.repeat}\n")
        for storage in a.storage.split(","):
            r = run(storage, a, work)
            fa = r["append floe"]
            print(f"### {'SeaweedFS (S3)' if storage == 's3' else 'local disk'}\n")
            print("| operation | Floe s (sys s, RSS MiB) | PyIceberg s | ratio | Arrow s | ratio | DuckDB s | ratio |")
            print("|---|---|---|---|---|---|---|---|")
            print(f"| append | {fa[0]:.2f} ({fa[1]:.2f}, {fa[2]:.0f}) | {r['append pyiceberg']:.2f} | "
                  f"{r['append pyiceberg'] / fa[0]:.2f}× | {r['append arrow']:.2f} | "
                  f"{r['append arrow'] / fa[0]:.2f}× | - | - |")
            for q in ("full scan", "one day", "point"):
                x = r[q]
                f = med(x["floe"])
                cells = [f"| {q} | {f:.2f} ({med(x['floe sys']):.2f}, {med(x['floe rss']):.0f})"]
                for k in ("pyiceberg", "arrow", "duckdb"):
                    cells.append(f"{med(x[k]):.2f} | {med(x[k]) / f:.2f}×" if x[k] else "- | -")
                print(" | ".join(cells) + " |")
            print(f"\nrows: {r['rows full scan']} full, {r['rows one day']} one day, {r['rows point']} point; "
                  f"floe full-scan runs {', '.join(f'{v:.2f}' for v in r['full scan']['floe'])} s")
            print(f"bytes written: Floe {r['size floe'] / 2**20:.0f} MiB, PyIceberg "
                  f"{r['size pyiceberg'] / 2**20:.0f} MiB, Arrow {r['size arrow'] / 2**20:.0f} MiB\n")


if __name__ == "__main__":
    main()
