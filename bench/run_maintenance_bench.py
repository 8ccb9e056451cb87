#!/usr/bin/env python3
"""Maintenance, timed as an operator runs it (local disk, one SQLite catalog
that Floe and Spark share through Iceberg's JdbcCatalog):

  1. compaction: a table of --files small Parquet files (events partitioned
     by day) with 10% of its rows deleted by merge-on-read (a position
     delete file per data file), copied so that each engine gets its own:
     `floe compact` vs Spark's `CALL system.rewrite_data_files` (options
     delete-file-threshold=1, min-input-files=2: both rewrite every file and
     apply the deletes). Wall time of the command (Floe: the whole process;
     Spark: the CALL, session already up), input MB/s, peak RSS of Floe.
     Both results are read back and must hold the same rows.
  2. expiry: --expire-files placeholder files in --expire-commits snapshots,
     all deleted by one copy-on-write delete, then `floe expire` of every
     snapshot but the last: wall time and peak RSS.
  3. orphans: --expire-files live placeholder files plus 10% stray files,
     then `floe remove-orphans --older-than 0s`: wall time and peak RSS.

    .venv/bin/python bench/run_maintenance_bench.py [--files 2000] [--rows-per-file 2000]
        [--expire-files 100000] [--expire-commits 100] [--no-spark]

Prints Markdown tables. Not a CI assertion: numbers depend on the machine."""
import argparse
import datetime
import json
import pathlib
import random
import subprocess
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

from benchlib import BUILD, timed_process


class Env:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.db = self.root / "catalog.db"
        self.wh = self.root / "warehouse"
        self.args = ["--catalog", f"sqlite:///{self.db}", "--warehouse", str(self.wh),
                     "--catalog-name", "bench"]

    def floe(self, *args):
        return subprocess.run([str(BUILD / "floe"), *self.args, *map(str, args)], check=True,
                              capture_output=True, text=True, cwd=self.root).stdout

    def timed_floe(self, *args):
        seconds, _, rss, out = timed_process([BUILD / "floe", *self.args, *args], cwd=self.root)
        return seconds, rss, out


def events(n, start, rng):
    days = [datetime.date(2024, 6, 1) + datetime.timedelta(days=d) for d in range(10)]
    types = ["view", "click", "purchase", "search", "share", "login", "logout", "scroll", "hover", "like"]
    return pa.table({
        "event_id": [f"e{start + i:09d}" for i in range(n)],
        "event_type": [types[(start + i) % 10] for i in range(n)],
        "user_id": [f"user-{rng.randrange(100000):05d}" for _ in range(n)],
        "payload": [f"payload {rng.random():.6f}" for _ in range(n)],
        "created_at": pa.array([datetime.datetime(2024, 6, 1) + datetime.timedelta(seconds=start + i)
                                for i in range(n)], pa.timestamp("us")),
        "event_date": pa.array([days[((start + i) // n) % 10] for i in range(n)], pa.date32()),
    })


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rows-per-file", type=int, default=2000)
    ap.add_argument("--expire-files", type=int, default=100000)
    ap.add_argument("--expire-commits", type=int, default=100)
    ap.add_argument("--no-spark", action="store_true")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="floe-maint-bench-") as tmp:
        env = Env(tmp)
        env.floe("namespace", "create", "db")
        # ---- compaction
        rng = random.Random(7)
        env.floe("create", "db.events", "--schema",
                 "event_id string not null, event_type string, user_id string, payload string, "
                 "created_at timestamp, event_date date", "--partition-by", "event_date",
                 "--property", "write.delete.mode=merge-on-read")
        # Small files written straight into the table's data folder (as a
        # streaming writer leaves them), then registered in one commit.
        src = env.wh / "db" / "events" / "data" / "small"
        src.mkdir(parents=True)
        for f in range(a.files):
            pq.write_table(events(a.rows_per_file, f * a.rows_per_file, rng), src / f"part-{f:05d}.parquet",
                           compression="zstd")
        env.floe("add-files", "db.events", *sorted(src.glob("*.parquet")))
        env.floe("delete", "db.events", "--where", "event_type = 'search'")
        copies = {}
        for who in ("floe", "spark"):
            out = env.root / f"copy_{who}"
            env.floe("rewrite-table-path", "db.events", "--from", f"file://{env.wh}/db/events",
                     "--to", f"file://{out}", "--copy-data")
            latest = sorted((out / "metadata").glob("*.metadata.json"))[-1]
            env.floe("register", f"db.events_{who}", f"file://{latest}")
            copies[who] = f"db.events_{who}"
        files_json = [json.loads(l) for l in env.floe("metadata", "db.events_floe", "files", "--format",
                                                      "json").splitlines() if l.strip()]
        data_bytes = sum(f["file_size_in_bytes"] for f in files_json if f["content"] == "data")
        n_data = sum(1 for f in files_json if f["content"] == "data")
        n_del = len(files_json) - n_data
        seconds, rss, out = env.timed_floe("compact", "db.events_floe")
        rows.append(("compaction", f"Floe `compact`", seconds, data_bytes / 2**20 / seconds, rss, out.strip()))
        want = env.floe("count", "db.events_floe").strip()
        if not a.no_spark:
            import engines
            from floe_cli import Warehouse
            wh = Warehouse(env.root, catalog_name="bench")
            cat = engines.spark_catalog(wh)
            engines.spark().sql(f"SELECT count(*) FROM {cat}.db.events_spark").collect()  # warm up
            t = time.perf_counter()
            res = engines.spark().sql(
                f"CALL {cat}.system.rewrite_data_files(table => 'db.events_spark', options => "
                f"map('delete-file-threshold', '1', 'min-input-files', '2'))").collect()
            spark_seconds = time.perf_counter() - t
            rows.append(("compaction", "Spark `rewrite_data_files`", spark_seconds,
                         data_bytes / 2**20 / spark_seconds, None, str(res[0].asDict())))
            got = env.floe("count", "db.events_spark").strip()
            assert got == want, f"Spark's compacted table has {got} rows, Floe's {want}"
        print(f"\n## Compaction: {n_data} data files ({data_bytes / 2**20:.1f} MiB), {n_del} "
              f"delete files, {a.files * a.rows_per_file} rows, 10% deleted\n")
        print("| engine | seconds | input MiB/s | peak RSS MiB | result |\n|---|---|---|---|---|")
        for _, who, s, mbs, r, note in [x for x in rows if x[0] == "compaction"]:
            print(f"| {who} | {s:.2f} | {mbs:.1f} | {'' if r is None else f'{r:.0f}'} | {note[:90]} |")
        floe_s = next(x[2] for x in rows if x[1].startswith("Floe"))
        spark_s = next((x[2] for x in rows if x[1].startswith("Spark")), None)
        if spark_s:
            print(f"\nSpark ÷ Floe: {spark_s / floe_s:.1f}×")

        # ---- expiry and orphans at scale
        env.floe("create", "db.big", "--schema", "id long")
        subprocess.run([str(BUILD / "floe-bench"), "--catalog", f"sqlite:///{env.db}", "--warehouse",
                        str(env.wh), "--catalog-name", "bench", "gen-files", "db.big", "--files", str(a.expire_files), "--per-commit",
                        str(a.expire_files // a.expire_commits)], check=True, capture_output=True)
        subprocess.run([str(BUILD / "floe"), *env.args, "delete", "db.big", "--where", "true"],
                       check=True, capture_output=True, cwd=env.root)
        s_exp, rss_exp, out_exp = env.timed_floe("expire", "db.big", "--older-than", "0s", "--retain-last", "1")
        env.floe("create", "db.live", "--schema", "id long")
        subprocess.run([str(BUILD / "floe-bench"), "--catalog", f"sqlite:///{env.db}", "--warehouse",
                        str(env.wh), "--catalog-name", "bench", "gen-files", "db.live", "--files", str(a.expire_files), "--per-commit",
                        str(a.expire_files // a.expire_commits)], check=True, capture_output=True)
        strays = env.wh / "db" / "live" / "data"
        for i in range(a.expire_files // 10):
            (strays / f"stray-{i}.parquet").write_bytes(b"")
        s_orph, rss_orph, out_orph = env.timed_floe("remove-orphans", "db.live", "--older-than", "0s")
        print(f"\n## Expiry and orphan removal at scale ({a.expire_files} files, "
              f"{a.expire_commits} snapshots)\n")
        print("| command | seconds | peak RSS MiB | result |\n|---|---|---|---|")
        print(f"| `floe expire` (every snapshot but the last; all files unreachable) | {s_exp:.2f} | "
              f"{rss_exp:.0f} | {out_exp.strip()[:120]} |")
        print(f"| `floe remove-orphans` ({a.expire_files} live + {a.expire_files // 10} stray) | "
              f"{s_orph:.2f} | {rss_orph:.0f} | {out_orph.strip()[:120]} |")


if __name__ == "__main__":
    main()
