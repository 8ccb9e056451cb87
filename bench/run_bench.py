#!/usr/bin/env python3
"""Append and scan the quickstart data with Floe and with PyIceberg, on the
same files, in one run, each on its own SQLite catalog and warehouse.

    .venv/bin/python bench/run_bench.py [--rows 1000000] [--files 4] [--repeat 3]

Prints a Markdown table of median wall-clock seconds and the ratio
PyIceberg/Floe. Not a CI assertion: numbers depend on the machine."""
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

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"


def floe(*args, parse=False):
    out = subprocess.run([str(BUILD / "floe-bench"), *map(str, args)], check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()] if parse else out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cmake", "--build", str(BUILD), "--target", "floe_bench", "floe_cli",
                    "floe_datagen"], check=True, capture_output=True)

    work = pathlib.Path(tempfile.mkdtemp(prefix="floe-bench-"))
    subprocess.run([str(BUILD / "floe-datagen"), "--rows", str(args.rows), "--days", "30",
                    "--files", str(args.files), "--out", str(work / "data")], check=True,
                   capture_output=True)
    files = sorted((work / "data").glob("*.parquet"))
    schema = ("event_id string not null, event_type string, user_id string, payload string, "
              "created_at timestamp, event_date date")
    day = "2024-06-15"
    results = {}

    # ---- Floe
    fcat, fwh = f"sqlite:///{work}/floe/catalog.db", work / "floe" / "warehouse"
    (work / "floe").mkdir()
    cli = [str(BUILD / "floe"), "--catalog", fcat, "--warehouse", str(fwh)]
    subprocess.run(cli + ["namespace", "create", "bench"], check=True, capture_output=True)
    subprocess.run(cli + ["create", "bench.events", "--schema", schema, "--partition-by",
                          "event_date"], check=True, capture_output=True)
    t = time.perf_counter()
    floe("--catalog", fcat, "--warehouse", fwh, "append", "bench.events", *files)
    results[("append", "floe")] = [time.perf_counter() - t]
    for name, where in (("full scan", ""), ("one-day scan", f"event_date = date '{day}'")):
        extra = ["--where", where] if where else []
        runs = floe("--catalog", fcat, "--warehouse", fwh, "scan", "bench.events", *extra,
                    "--repeat", args.repeat, parse=True)
        results[(name, "floe")] = [r["seconds"] for r in runs]
        results[(name, "rows")] = runs[0]["rows"]
    runs = [floe("--catalog", fcat, "--warehouse", fwh, "count", "bench.events", parse=True)[0]
            for _ in range(args.repeat)]
    results[("count", "floe")] = [r["seconds"] for r in runs]

    # ---- PyIceberg, same files
    pwh = work / "pyiceberg"
    pwh.mkdir()
    cat = SqlCatalog("bench", uri=f"sqlite:///{pwh}/catalog.db", warehouse=f"file://{pwh}")
    cat.create_namespace("bench")
    arrow_schema = pq.read_schema(files[0])
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform
    table = cat.create_table("bench.events", schema=arrow_schema)
    with table.update_spec() as update:
        update.add_identity("event_date")
    table = cat.load_table("bench.events")
    t = time.perf_counter()
    for f in files:
        table.append(pq.read_table(f))
    results[("append", "pyiceberg")] = [time.perf_counter() - t]
    for name, flt in (("full scan", None), ("one-day scan", EqualTo("event_date", day))):
        secs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            arrow = (table.scan(row_filter=flt) if flt is not None else table.scan()).to_arrow()
            secs.append(time.perf_counter() - t)
        assert arrow.num_rows == results[(name, "rows")], (name, arrow.num_rows)
        results[(name, "pyiceberg")] = secs
    secs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        n = sum(task.file.record_count for task in table.scan().plan_files())
        secs.append(time.perf_counter() - t)
    results[("count", "pyiceberg")] = secs
    assert n == args.rows

    print(f"\n{args.rows:,} events in {len(files)} Parquet files, 30 daily partitions; "
          f"median of {args.repeat} runs (append: 1 run, one commit per file)\n")
    print("| operation | Floe (s) | PyIceberg (s) | PyIceberg / Floe |")
    print("|---|---:|---:|---:|")
    for op in ("append", "full scan", "one-day scan", "count"):
        f, p = statistics.median(results[(op, "floe")]), statistics.median(results[(op, "pyiceberg")])
        print(f"| {op} | {f:.3f} | {p:.3f} | {p / f:.1f}x |")
    print(f"\n(work folder: {work})")


if __name__ == "__main__":
    sys.exit(main())
