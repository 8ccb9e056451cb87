#!/usr/bin/env python3
"""Append and scan the quickstart data with Floe and with PyIceberg, on the
same files, in one run, each on its own SQLite catalog, with the warehouse on
local disk and on S3 (a SeaweedFS started for the run, as the tests do).

    .venv/bin/python bench/run_bench.py [--rows 1000000] [--files 4] [--repeat 3]
                                        [--storage local,s3]

Prints Markdown tables of median wall-clock seconds: Floe vs PyIceberg per
storage, and S3 vs local disk per engine. Not a CI assertion: numbers depend
on the machine."""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow.parquet as pq
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo

from benchlib import BUILD, DAY, EVENTS_SCHEMA as SCHEMA
OPS = ("append", "full scan", "one-day scan", "count")


def floe_bench(*args):
    out = subprocess.run([str(BUILD / "floe-bench"), *map(str, args)], check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def run_floe(files, catalog, warehouse, props, repeat):
    """Median seconds per operation; scans' row counts in r['rows:<op>']."""
    r = {}
    common = ["--catalog", catalog, "--warehouse", warehouse]
    for k, v in props.items():
        common += ["--property", f"{k}={v}"]
    cli = [str(BUILD / "floe"), *common]
    subprocess.run(cli + ["namespace", "create", "bench"], check=True, capture_output=True)
    subprocess.run(cli + ["create", "bench.events", "--schema", SCHEMA, "--partition-by",
                          "event_date"], check=True, capture_output=True)
    t = time.perf_counter()
    floe_bench(*common, "append", "bench.events", *files)
    r["append"] = [time.perf_counter() - t]
    for name, where in (("full scan", ""), ("one-day scan", f"event_date = date '{DAY}'")):
        extra = ["--where", where] if where else []
        runs = floe_bench(*common, "scan", "bench.events", *extra, "--repeat", repeat)
        r[name] = [x["seconds"] for x in runs]
        r["rows:" + name] = runs[0]["rows"]
    r["count"] = [floe_bench(*common, "count", "bench.events")[0]["seconds"]
                  for _ in range(repeat)]
    return r


def run_pyiceberg(files, catalog, repeat, rows):
    r = {}
    catalog.create_namespace("bench")
    table = catalog.create_table("bench.events", schema=pq.read_schema(files[0]))
    with table.update_spec() as update:
        update.add_identity("event_date")
    table = catalog.load_table("bench.events")
    t = time.perf_counter()
    for f in files:
        table.append(pq.read_table(f))
    r["append"] = [time.perf_counter() - t]
    for name, flt in (("full scan", None), ("one-day scan", EqualTo("event_date", DAY))):
        secs = []
        for _ in range(repeat):
            t = time.perf_counter()
            arrow = (table.scan(row_filter=flt) if flt is not None else table.scan()).to_arrow()
            secs.append(time.perf_counter() - t)
        assert arrow.num_rows == rows[name], (name, arrow.num_rows, rows[name])
        r[name] = secs
    secs = []
    for _ in range(repeat):
        t = time.perf_counter()
        n = sum(task.file.record_count for task in table.scan().plan_files())
        secs.append(time.perf_counter() - t)
    assert n == rows["count"], (n, rows["count"])
    r["count"] = secs
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--storage", default="local,s3")
    args = ap.parse_args()
    subprocess.run(["cmake", "--build", str(BUILD), "--target", "floe_bench", "floe_cli",
                    "floe_datagen"], check=True, capture_output=True)

    work = pathlib.Path(tempfile.mkdtemp(prefix="floe-bench-"))
    subprocess.run([str(BUILD / "floe-datagen"), "--rows", str(args.rows), "--days", "30",
                    "--files", str(args.files), "--out", str(work / "data")], check=True,
                   capture_output=True)
    files = sorted((work / "data").glob("*.parquet"))
    results = {}
    seaweed = None
    try:
        for storage in args.storage.split(","):
            base = work / storage
            base.mkdir()
            if storage == "s3":
                from seaweedfs import SeaweedFS
                seaweed = SeaweedFS(work / "seaweedfs").start()
                seaweed.create_bucket("bench")
                props = seaweed.client_properties()
                floe_wh, py_wh = "s3://bench/floe", "s3://bench/pyiceberg"
            else:
                props = {}
                floe_wh, py_wh = str(base / "floe"), f"file://{base}/pyiceberg"
                (base / "pyiceberg").mkdir()
            f = run_floe(files, f"sqlite:///{base}/floe.db", floe_wh, props, args.repeat)
            rows = {"full scan": f["rows:full scan"], "one-day scan": f["rows:one-day scan"],
                    "count": args.rows}
            cat = SqlCatalog("bench", uri=f"sqlite:///{base}/pyiceberg.db", warehouse=py_wh,
                             **props)
            p = run_pyiceberg(files, cat, args.repeat, rows)
            results[storage] = {"floe": f, "pyiceberg": p}
    finally:
        if seaweed:
            seaweed.stop()

    med = lambda storage, engine, op: statistics.median(results[storage][engine][op])
    print(f"\n{args.rows:,} events in {len(files)} Parquet files, 30 daily partitions; "
          f"median of {args.repeat} runs (append: 1 run, one commit per file)")
    for storage in results:
        print(f"\n### warehouse on {'SeaweedFS (S3)' if storage == 's3' else 'local disk'}\n")
        print("| operation | Floe (s) | PyIceberg (s) | PyIceberg / Floe |")
        print("|---|---:|---:|---:|")
        for op in OPS:
            fl, py = med(storage, "floe", op), med(storage, "pyiceberg", op)
            print(f"| {op} | {fl:.3f} | {py:.3f} | {py / fl:.1f}x |")
    if "local" in results and "s3" in results:
        print("\n### S3 vs local disk (time on S3 / time on local disk)\n")
        print("| operation | Floe | PyIceberg |")
        print("|---|---:|---:|")
        for op in OPS:
            print(f"| {op} | {med('s3', 'floe', op) / med('local', 'floe', op):.1f}x | "
                  f"{med('s3', 'pyiceberg', op) / med('local', 'pyiceberg', op):.1f}x |")
    print(f"\n(work folder: {work})")


if __name__ == "__main__":
    sys.exit(main())
