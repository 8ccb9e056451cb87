#!/usr/bin/env python3
"""`floe serve` on a catalog with many tables (local disk, one SQLite
catalog), side by side with what an operator would otherwise run: a
PyIceberg exporter that loads every table of the catalog and reads the same
gauges from the current snapshot's summary (no manifests).

  1. --tables tables of --commits placeholder commits each (floe-bench
     gen-tables).
  2. floe serve: time until every table's series is on /metrics (the first
     refresh: every metadata file and manifest read), the idle refresh
     (floe_serve_refresh_duration_seconds, nothing changed), /metrics
     latency (median of --scrapes, plain and gzip as Prometheus asks), body
     size, peak RSS of the process.
  3. PyIceberg: one pass loading every table (SqlCatalog.list_tables +
     load_table) and reading summary totals: what such an exporter pays per
     scrape or per refresh, since it cannot tell which tables changed.

    .venv/bin/python bench/run_serve_bench.py [--tables 1000] [--commits 3] [--scrapes 50]

Prints a Markdown table. Not a CI assertion: numbers depend on the machine."""
import argparse
import gzip
import pathlib
import statistics
import subprocess
import tempfile
import time
import urllib.request

from benchlib import BUILD


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scrape(url, gzip_encoding):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_encoding else {})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        body = r.read()
    return time.perf_counter() - t, len(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=3)
    ap.add_argument("--scrapes", type=int, default=50)
    a = ap.parse_args()
    from serve import FloeServe, value, wait_for
    with tempfile.TemporaryDirectory(prefix="floe-serve-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        db, wh = tmp / "catalog.db", tmp / "warehouse"
        args = ["--catalog", f"sqlite:///{db}", "--warehouse", str(wh), "--catalog-name", "bench"]
        t = time.perf_counter()
        subprocess.run([str(BUILD / "floe-bench"), *args, "gen-tables", "bench", "--tables", str(a.tables),
                        "--commits", str(a.commits)], check=True, capture_output=True)
        print(f"generated {a.tables} tables x {a.commits} commits in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        with FloeServe(args, "--refresh", "2s", "--verify-every", "1h", cwd=tmp) as serve:
            wait_for(lambda: sum(1 for k in serve.metrics() if k[0] == "iceberg_table_snapshot_count") == a.tables,
                     timeout=600, interval=0.05, what="every table on /metrics")
            first = time.perf_counter() - t
            time.sleep(5)  # idle refreshes
            m = serve.metrics()
            refreshes = value(m, "floe_serve_refresh_duration_seconds_count")
            total = value(m, "floe_serve_refresh_duration_seconds_sum")
            time.sleep(6)
            m = serve.metrics()
            idle = (value(m, "floe_serve_refresh_duration_seconds_sum") - total) / max(
                1, value(m, "floe_serve_refresh_duration_seconds_count") - refreshes)
            plain = [scrape(serve.url + "/metrics", False) for _ in range(a.scrapes)]
            zipped = [scrape(serve.url + "/metrics", True) for _ in range(a.scrapes)]
            rss = peak_rss_mib(serve.proc.pid)
            assert serve.stop() == 0

        from pyiceberg.catalog.sql import SqlCatalog
        cat = SqlCatalog("bench", uri=f"sqlite:///{db}", warehouse=f"file://{wh}")
        t = time.perf_counter()
        records = 0
        for ident in cat.list_tables("bench"):
            table = cat.load_table(ident)
            snap = table.current_snapshot()
            summary = snap.summary if snap else None
            records += int(summary["total-records"]) if summary else 0
            _ = len(table.metadata.snapshots)
        pyiceberg_pass = time.perf_counter() - t

    print(f"\n## {a.tables} tables, {a.commits} commits each\n")
    print("| | Floe (`floe serve`) | PyIceberg exporter |\n|---|---|---|")
    print(f"| first pass (all tables loaded) | {first:.2f} s (metadata, manifest lists and manifests) "
          f"| {pyiceberg_pass:.2f} s (metadata only) |")
    print(f"| pass with nothing changed | {idle * 1000:.1f} ms (one catalog query) "
          f"| {pyiceberg_pass:.2f} s (loads every table again) |")
    print(f"| /metrics, median of {a.scrapes} | {statistics.median(x for x, _ in plain) * 1000:.1f} ms "
          f"({plain[0][1] / 1e6:.1f} MB); gzip {statistics.median(x for x, _ in zipped) * 1000:.1f} ms "
          f"({zipped[0][1] / 1e6:.2f} MB) | - |")
    print(f"| peak RSS | {rss:.0f} MiB | - |")
    print(f"\nPyIceberg pass ÷ Floe idle refresh: {pyiceberg_pass / idle:.0f}×; "
          f"÷ Floe first pass: {pyiceberg_pass / first:.1f}×")


if __name__ == "__main__":
    main()
