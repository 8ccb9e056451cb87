"""A Flink-like stream of small commits on one table, checked against a
model after every commit: the writer side of the maintenance tests
(test_maintenance.py: `floe maintain --every`; test_serve.py: `floe serve
--maintain`)."""
import json
import random

from floe_cli import sorted_rows

SCHEMA = "id long not null, k string, v long, day date"


def write_rows(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


def row(i, v=0):
    return {"id": i, "k": f"k{i % 7}", "v": v, "day": f"2024-06-{1 + i % 5:02d}"}


def canon(model):
    return sorted_rows([{"id": r["id"], "k": r["k"], "v": r["v"], "day": r["day"]}
                        for r in model.values()])


def live_counts(run, table):
    """(data files, delete files, manifests, snapshots) of the current snapshot."""
    files = json_lines(run("metadata", table, "files", "--format", "json").stdout)
    manifests = json_lines(run("metadata", table, "manifests", "--format", "json").stdout)
    snaps = len(run("snapshots", table).stdout.splitlines()) - 1
    data = sum(1 for f in files if f["content"] == "data")
    return data, len(files) - data, len(manifests), snaps


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def create_stream_table(run, table, version):
    """A merge-on-read table partitioned by day whose maintenance policy acts
    within seconds (expiry after 5 s keeping 3 snapshots, orphans after a
    minute, manifests rewritten from 8); commits leave manifests alone."""
    run("create", table, "--schema", SCHEMA, "--partition-by", "day", "--format-version", version,
        "--property", "write.delete.mode=merge-on-read", "--property", "write.merge.mode=merge-on-read",
        "--property", "history.expire.max-snapshot-age-ms=5000",
        "--property", "history.expire.min-snapshots-to-keep=3",
        "--property", "floe.maintenance.remove-orphans.older-than-ms=60000",
        "--property", "floe.maintenance.remove-orphans.interval-ms=10000",
        "--property", "floe.maintenance.rewrite-manifests.min-count=8",
        "--property", "commit.manifest.min-count-to-merge=1000")  # leave manifests to maintenance


def assert_within_policy(counts):
    """(data files, delete files, manifests, snapshots) that the stream
    table's policy allows once maintenance has run after the last write:
    compaction leaves a day partition (5 of them) fewer than
    min-input-files (5) small files and no delete files; manifests stay
    under the rewrite's min-count (8); expiry keeps 3 snapshots plus those
    younger than 5 s (a last run's own commits: at most 3)."""
    data, deletes, manifests, snapshots = counts
    assert data <= 5 * 4 and deletes == 0 and manifests < 8 and snapshots <= 6, counts


def stream_writes(run, scan_rows, table, tmp_path, commits, seed, every=20):
    """`commits` random commits (appends; equality-delete upserts; deletes by
    position or DV); after each the table must hold exactly the model's
    rows. Returns (model, peak live counts sampled every `every` commits)."""
    rng = random.Random(seed)
    model, next_id, peak = {}, 0, (0, 0, 0, 0)
    for n in range(commits):
        op = rng.random()
        if op < 0.45 or not model:
            rows = [row(next_id + i) for i in range(rng.randint(1, 15))]
            next_id += len(rows)
            run("append", table, write_rows(tmp_path / "in.json", rows))
            model.update({r["id"]: r for r in rows})
        elif op < 0.8:
            keys = rng.sample(sorted(model), min(len(model), rng.randint(1, 5)))
            keys += [next_id + i for i in range(rng.randint(0, 2))]
            next_id += 3
            rows = [row(i, v=n) for i in sorted(set(keys))]
            run("upsert", table, write_rows(tmp_path / "up.json", rows), "--key", "id,day",
                "--equality-deletes")
            model.update({r["id"]: r for r in rows})
        else:
            gone = rng.sample(sorted(model), min(len(model), rng.randint(1, 4)))
            run("delete", table, "--where", f"id in ({', '.join(map(str, gone))})")
            for i in gone:
                del model[i]
        got = scan_rows(table)
        assert got == canon(model), f"commit {n}: the table differs from the model"
        if n % every == 0:
            counts = live_counts(run, table)
            peak = tuple(max(a, b) for a, b in zip(peak, counts))
    return model, peak
