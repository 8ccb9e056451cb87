#!/usr/bin/env python3
"""Scan planning at scale (local disk, one SQLite catalog): tables of
--sizes data files in 1,000 manifests each (floe-bench gen-files
--no-objects --bounds: metadata only, file i holds id = i, so `id = X`
prunes to one file by column bounds), planned by Floe and by PyIceberg on
the same metadata, in one run:

  selective  `floe count T --where "id = X"` (planning answers it: record
             counts, no data file opened) vs PyIceberg
             `scan(row_filter=EqualTo("id", X)).plan_files()`
  full       `floe count T` (every file planned) vs PyIceberg
             `scan().plan_files()` and DuckDB's `count(*) FROM iceberg_scan`
             (which DuckDB answers from the manifests too)

Floe is timed as a whole process (GNU time: wall seconds, peak RSS);
PyIceberg in-process after loading the table (its planning only); DuckDB
in a child process, timing only the query (extensions loaded before).
PyIceberg is skipped above --pyiceberg-max files (it would take minutes).

    .venv/bin/python bench/run_plan_bench.py [--sizes 20000,100000,1000000] [--pyiceberg-max 100000]

Prints a Markdown table. Not a CI assertion: numbers depend on the machine."""
import argparse
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

from benchlib import BUILD, timed_process
from engines import DUCKDB_PRELUDE  # noqa: E402 (benchlib puts tests/interop on the path)


_DUCKDB = DUCKDB_PRELUDE + r"""
s = time.perf_counter()
n = con.execute(f"SELECT count(*) FROM iceberg_scan('{sys.argv[1]}')").fetchone()[0]
print(time.perf_counter() - s, n)
"""


def duckdb_count(metadata_file):
    out = subprocess.run([sys.executable, "-c", _DUCKDB, str(metadata_file)], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,100000,1000000")
    ap.add_argument("--manifests", type=int, default=1000)
    ap.add_argument("--pyiceberg-max", type=int, default=100000)
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="floe-plan-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        db, wh = tmp / "catalog.db", tmp / "warehouse"
        args = ["--catalog", f"sqlite:///{db}", "--warehouse", str(wh), "--catalog-name", "bench"]
        floe = lambda *x: subprocess.run([str(BUILD / "floe"), *args, *map(str, x)], check=True,  # noqa: E731
                                         capture_output=True, text=True, cwd=tmp).stdout
        floe("namespace", "create", "db")
        for n in sizes:
            t = f"db.p{n}"
            floe("create", t, "--schema", "id long, v string",
                 "--property", "commit.manifest-merge.enabled=false")
            g = time.perf_counter()
            subprocess.run([str(BUILD / "floe-bench"), *args, "gen-files", t, "--files", str(n),
                            "--per-commit", str(max(1, n // a.manifests)), "--no-objects", "--bounds"],
                           check=True, capture_output=True)
            print(f"generated {t}: {n} files in {a.manifests} manifests, {time.perf_counter() - g:.1f} s",
                  file=sys.stderr)
            x = n // 2 + 7
            sel_s, _, sel_rss, sel_out = timed_process([BUILD / "floe", *args, "count", t, "--where",
                                                        f"id = {x}"])
            assert sel_out.strip() == "1", sel_out
            full_s, _, full_rss, full_out = timed_process([BUILD / "floe", *args, "count", t])
            assert full_out.strip() == str(n), full_out
            py_sel = py_full = None
            if n <= a.pyiceberg_max:
                from pyiceberg.catalog.sql import SqlCatalog
                from pyiceberg.expressions import EqualTo
                table = SqlCatalog("bench", uri=f"sqlite:///{db}", warehouse=f"file://{wh}").load_table(t)
                s = time.perf_counter()
                planned = list(table.scan(row_filter=EqualTo("id", x)).plan_files())
                py_sel = time.perf_counter() - s
                assert len(planned) == 1, len(planned)
                s = time.perf_counter()
                planned = list(table.scan().plan_files())
                py_full = time.perf_counter() - s
                assert len(planned) == n
            metadata = sorted((wh / "db" / f"p{n}" / "metadata").glob("*.metadata.json"))[-1]
            duck_full, duck_n = duckdb_count(metadata)
            assert duck_n == n, duck_n
            rows.append((n, sel_s, sel_rss, full_s, full_rss, py_sel, py_full, duck_full))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n## Planning: data files in {a.manifests} manifests (metadata only)\n")
    print("| files | Floe selective s | RSS MiB | PyIceberg selective s | ratio | Floe full s | RSS MiB "
          "| PyIceberg full s | ratio | DuckDB count s | ratio |\n|---|---|---|---|---|---|---|---|---|---|---|")
    for n, ss, sr, fs, fr, ps, pf, df in rows:
        r1 = f"{ps / ss:.1f}×" if ps else "-"
        r2 = f"{pf / fs:.1f}×" if pf else "-"
        print(f"| {n:,} | {ss:.2f} | {sr:.0f} | {ps and f'{ps:.2f}' or '-'} | {r1} | {fs:.2f} | {fr:.0f} "
              f"| {pf and f'{pf:.2f}' or '-'} | {r2} | {df:.2f} | {df / fs:.1f}× |")
    print(f"\n(this Python process, PyIceberg included, peaked at {peak:.0f} MiB RSS)")


if __name__ == "__main__":
    main()
