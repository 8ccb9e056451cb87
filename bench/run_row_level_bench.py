#!/usr/bin/env python3
"""Row-level changes, Floe vs PyIceberg, on the same data in one run (local
disk, SQLite catalogs):

  1. upsert: U rows (90% existing event ids with a new payload, 10% new) into
     a table of N events partitioned by day, keyed on event_id; Floe in
     merge-on-read (position deletes) and copy-on-write; PyIceberg's
     Table.upsert (copy-on-write; it has no other strategy). PyIceberg is
     slow at this, so it also runs at a smaller size (--py-rows/--py-upsert)
     and Floe runs that size too, for a like-for-like ratio.
  2. scan: a full scan of the N-event table after deleting 10% of its rows
     (event_type = 'search') by merge-on-read, vs the same table after the
     same delete by copy-on-write (compacted: no delete files), for Floe and
     for PyIceberg (reading Floe's tables).

    .venv/bin/python bench/run_row_level_bench.py [--rows 10000000] [--upsert 1000000]
        [--py-rows 1000000] [--py-upsert 100000] [--repeat 3] [--format-version 2]

Prints Markdown tables of wall-clock seconds (scans: median of --repeat).
Not a CI assertion: numbers depend on the machine."""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.table import StaticTable

from benchlib import BUILD, EVENTS_SCHEMA as SCHEMA


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def run(*cmd):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True).stdout


class Floe:
    def __init__(self, base, version):
        self.common = ["--catalog", f"sqlite:///{base}/floe.db", "--warehouse", str(base / "wh")]
        self.version = version
        run(BUILD / "floe", *self.common, "namespace", "create", "bench")

    def cli(self, *args):
        return run(BUILD / "floe", *self.common, *args)

    def create(self, name, mode, files):
        self.cli("create", f"bench.{name}", "--schema", SCHEMA, "--partition-by", "event_date",
                 "--format-version", self.version,
                 "--property", f"write.delete.mode={mode}", "--property", f"write.merge.mode={mode}")
        run(BUILD / "floe-bench", *self.common, "append", f"bench.{name}", *files)

    def count(self, name):
        return int(self.cli("count", f"bench.{name}").strip())

    def scan(self, name, repeat):
        out = run(BUILD / "floe-bench", *self.common, "scan", f"bench.{name}", "--repeat", repeat)
        runs = [json.loads(line) for line in out.splitlines()]
        return statistics.median(r["seconds"] for r in runs), runs[0]["rows"]

    def metadata(self, name):
        for line in self.cli("describe", f"bench.{name}").splitlines():
            if line.startswith("metadata "):
                return line.split(None, 1)[1]
        raise AssertionError("no metadata line")


def make_upsert_input(files, rows, out):
    """`rows` rows: 90% drawn from the base files (new payload), 10% new ids."""
    existing = int(rows * 0.9)
    base = pa.concat_tables(pq.read_table(f) for f in files)
    step = max(1, base.num_rows // existing)
    old = base.take(pa.array(range(0, step * existing, step)))
    old = old.set_column(old.schema.get_field_index("payload"), "payload",
                         pa.array(["upserted"] * old.num_rows))
    new = base.slice(0, rows - existing)
    new = new.set_column(0, pa.field("event_id", pa.string(), nullable=False),
                         pa.array([f"new-{i}" for i in range(new.num_rows)]))
    table = pa.concat_tables([old, new.cast(old.schema)])
    pq.write_table(table, out)
    return table


def datagen(rows, folder, files):
    run(BUILD / "floe-datagen", "--rows", rows, "--days", 30, "--files", files, "--out", folder)
    return sorted(pathlib.Path(folder).glob("*.parquet"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--upsert", type=int, default=1_000_000)
    ap.add_argument("--py-rows", type=int, default=1_000_000)
    ap.add_argument("--py-upsert", type=int, default=100_000)
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format-version", type=int, default=2)
    args = ap.parse_args()
    subprocess.run(["cmake", "--build", str(BUILD), "--target", "floe_bench", "floe_cli",
                    "floe_datagen"], check=True, capture_output=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="floe-row-bench-"))
    results = []  # (size label, engine, strategy, seconds)

    def upserts(rows, upsert, with_pyiceberg):
        label = f"{upsert:,} into {rows:,}"
        base_files = datagen(rows, work / f"data-{rows}", args.files)
        up = work / f"upsert-{rows}-{upsert}.parquet"
        make_upsert_input(base_files, upsert, up)
        expected = rows + (upsert - int(upsert * 0.9))
        floe = Floe(work / f"floe-{rows}-{upsert}", args.format_version)
        for mode in ("merge-on-read", "copy-on-write"):
            name = mode.replace("-", "_")
            floe.create(name, mode, base_files)
            secs, out = timed(lambda: floe.cli("upsert", f"bench.{name}", up, "--key", "event_id"))
            assert f"{int(upsert * 0.9)} updated" in out, out
            assert floe.count(name) == expected
            results.append((label, "Floe", mode, secs))
        if with_pyiceberg:
            (work / f"py-{rows}").mkdir()
            cat = SqlCatalog("bench", uri=f"sqlite:///{work}/py-{rows}.db",
                             warehouse=f"file://{work}/py-{rows}")
            cat.create_namespace("bench")
            t = cat.create_table("bench.events", schema=pq.read_schema(base_files[0]))
            with t.update_spec() as u:
                u.add_identity("event_date")
            t = cat.load_table("bench.events")
            for f in base_files:
                t.append(pq.read_table(f))
            data = pq.read_table(up)
            secs, res = timed(lambda: t.upsert(data, join_cols=["event_id"]))
            assert res.rows_updated == int(upsert * 0.9), res
            results.append((label, "PyIceberg", "copy-on-write (Table.upsert)", secs))
        return floe, base_files

    upserts(args.py_rows, args.py_upsert, True)
    floe, _ = upserts(args.rows, args.upsert, False)

    # Scans: 10% deleted by merge-on-read vs the same delete by copy-on-write.
    scans = []
    for mode in ("merge-on-read", "copy-on-write"):
        name = "scan_" + mode.replace("-", "_")
        floe.create(name, mode, sorted((work / f"data-{args.rows}").glob("*.parquet")))
        floe.cli("delete", f"bench.{name}", "--where", "event_type = 'search'")
        fsecs, frows = floe.scan(name, args.repeat)
        static = StaticTable.from_metadata(floe.metadata(name))
        psecs = []
        for _ in range(args.repeat):
            s, arrow = timed(lambda: static.scan().to_arrow())
            psecs.append(s)
        assert arrow.num_rows == frows, (arrow.num_rows, frows)
        scans.append((mode, frows, fsecs, statistics.median(psecs)))

    print(f"\n### upsert (format v{args.format_version}, keyed on event_id, partitioned by day)\n")
    print("| size | engine | strategy | seconds |")
    print("|---|---|---|---:|")
    for label, engine, strategy, secs in results:
        print(f"| {label} | {engine} | {strategy} | {secs:.2f} |")
    print(f"\n### full scan of {args.rows:,} events after deleting 10% (median of {args.repeat})\n")
    print("| table | rows | Floe (s) | PyIceberg (s) | PyIceberg / Floe |")
    print("|---|---:|---:|---:|---:|")
    for mode, rows, f, p in scans:
        label = "merge-on-read (position deletes)" if mode == "merge-on-read" else \
            "copy-on-write (compacted)"
        print(f"| {label} | {rows:,} | {f:.2f} | {p:.2f} | {p / f:.1f}x |")
    print(f"\n(work folder: {work})")


if __name__ == "__main__":
    sys.exit(main())
