"""The design note's production stack, for real: the catalog in PostgreSQL,
configured by a Java catalog.properties like the design note's, the
warehouse on SeaweedFS's S3 gateway (path-style), and ClickHouse (chdb)
reading the tables by their S3 path. PyIceberg shares the catalog."""
import json
import os
import pathlib
import subprocess
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import BUCKET, BUILD
from seaweedfs import ACCESS_KEY, SECRET_KEY
SCHEMA = ("event_id string not null, event_type string, user_id string, payload string, "
          "created_at timestamp, event_date date")


def datagen(tmp_path, rows, files, seed):
    out = tmp_path / f"gen{seed}"
    subprocess.run([str(BUILD / "floe-datagen"), "--rows", str(rows), "--days", "10",
                    "--files", str(files), "--seed", str(seed), "--out", str(out)],
                   check=True, capture_output=True)
    return sorted(out.glob("*.parquet"))


def chdb_query(sql):
    import chdb
    return chdb.query(sql, "JSONEachRow").bytes().decode()


def test_design_note_end_to_end(stack, tmp_path):
    s = stack
    s.floe("namespace", "create", "analytics")
    s.floe("create", "analytics.events", "--schema", SCHEMA, "--partition-by", "event_date")
    files = datagen(tmp_path, 30000, 3, seed=1)
    for f in files:
        s.floe("append", "analytics.events", f)
    snaps = s.floe("snapshots", "analytics.events").stdout.strip().splitlines()[1:]
    assert len(snaps) == 3
    first = snaps[0].split()[0]
    assert s.count("analytics.events") == 30000
    s.floe("delete", "analytics.events", "--where", "event_type = 'logout'")
    expected = sum(1 for f in files for t in pq.read_table(f).column("event_type").to_pylist()
                   if t != "logout")
    assert s.count("analytics.events") == expected
    assert s.count("analytics.events", "--snapshot", first) == 10000

    # The files are on SeaweedFS, under the design note's layout.
    fs = s.s3.pyarrow_fs()
    from pyarrow.fs import FileSelector
    keys = [i.path for i in fs.get_file_info(FileSelector(f"{BUCKET}/{s.catalog_name}",
                                                          recursive=True))]
    table_prefix = f"{BUCKET}/{s.catalog_name}/analytics/events/"
    assert any(k.startswith(table_prefix + "metadata/") and k.endswith(".metadata.json")
               for k in keys)
    assert any(k.startswith(table_prefix + "data/event_date=") and k.endswith(".parquet")
               for k in keys)

    # Floe's rows.
    rows = [json.loads(l) for l in
            s.floe("scan", "analytics.events", "--format", "json").stdout.splitlines()]
    assert len(rows) == expected
    floe_ids = sorted(r["event_id"] for r in rows)

    # PyIceberg: SqlCatalog on the same PostgreSQL database, S3 FileIO on SeaweedFS.
    cat = s.pyiceberg()
    assert ("analytics", "events") in cat.list_tables("analytics")
    py = cat.load_table("analytics.events")
    arrow = py.scan().to_arrow()
    assert sorted(arrow.column("event_id").to_pylist()) == floe_ids
    assert py.scan(snapshot_id=int(first)).to_arrow().num_rows == 10000
    assert [sn.snapshot_id for sn in py.snapshots()] == [
        int(l.split()[0]) for l in s.floe("snapshots", "analytics.events").stdout.splitlines()[1:]]

    # ClickHouse (chdb) by path, as the design note's ENGINE = Iceberg(...).
    url = f"{s.s3.endpoint}/{table_prefix}"
    got = chdb_query(f"SELECT count() AS n, uniqExact(event_id) AS u, "
                     f"sum(event_type = 'purchase') AS p "
                     f"FROM icebergS3('{url}', '{ACCESS_KEY}', '{SECRET_KEY}')")
    agg = json.loads(got.strip().splitlines()[0])
    assert int(agg["n"]) == expected
    assert int(agg["u"]) == expected
    assert int(agg["p"]) == sum(1 for r in rows if r["event_type"] == "purchase")
    by_day = chdb_query(f"SELECT toString(event_date) AS d, count() AS n FROM icebergS3("
                        f"'{url}', '{ACCESS_KEY}', '{SECRET_KEY}') GROUP BY d ORDER BY d")
    floe_days = {}
    for r in rows:
        floe_days[r["event_date"]] = floe_days.get(r["event_date"], 0) + 1
    assert {json.loads(l)["d"]: int(json.loads(l)["n"]) for l in by_day.splitlines()} == floe_days
    ids = chdb_query(f"SELECT event_id FROM icebergS3('{url}', '{ACCESS_KEY}', '{SECRET_KEY}') "
                     f"WHERE event_date = '2024-06-03' ORDER BY event_id")
    assert [json.loads(l)["event_id"] for l in ids.splitlines()] == sorted(
        r["event_id"] for r in rows if r["event_date"] == "2024-06-03")


def test_same_keys_as_properties_and_environment(stack, tmp_path):
    """--property k=v and FLOE_* variables carry the same keys as the file."""
    s = stack
    env = {"FLOE_S3_ENDPOINT": s.s3.endpoint, "FLOE_S3_ACCESS_KEY_ID": ACCESS_KEY,
           "FLOE_S3_SECRET_ACCESS_KEY": SECRET_KEY, "FLOE_S3_PATH_STYLE_ACCESS": "true"}
    base = [str(BUILD / "floe"), "--catalog", s.pg, "--catalog-name", s.catalog_name,
            "--warehouse", s.warehouse]
    run = lambda *a, **kw: subprocess.run(base + list(a), capture_output=True, text=True, **kw)
    p = run("namespace", "create", "envns", env=dict(os.environ, **env))
    assert p.returncode == 0, p.stderr
    p = run("--property", f"s3.endpoint={s.s3.endpoint}", "--property",
            f"s3.access-key-id={ACCESS_KEY}", "--property", f"s3.secret-access-key={SECRET_KEY}",
            "create", "envns.t", "--schema", "id long not null, name string")
    assert p.returncode == 0, p.stderr
    data = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": pa.array([1, 2, 3], pa.int64()),
                             "name": ["a", "b", "c"]}), data)
    p = run("append", "envns.t", str(data), env=dict(os.environ, **env))
    assert p.returncode == 0, p.stderr
    p = run("count", "envns.t", env=dict(os.environ, **env))
    assert p.stdout.strip() == "3", p.stderr


def test_wrong_credentials_are_a_clear_error(stack, tmp_path):
    s = stack
    s.floe("namespace", "create", "creds")
    s.floe("create", "creds.t", "--schema", "id long not null")
    before = s.floe("describe", "creds.t").stdout
    bad = s.floe("--property", "s3.secret-access-key=not-the-secret", "count", "creds.t",
                 check=False)
    assert bad.returncode != 0
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "access denied" in bad.stderr and "s3.secret-access-key" in bad.stderr
    assert s.floe("describe", "creds.t").stdout == before


def test_server_stopped_mid_append_leaves_the_table_unchanged(stack, tmp_path):
    s = stack
    s.floe("namespace", "create", "faults")
    s.floe("create", "faults.events", "--schema", SCHEMA, "--partition-by", "event_date")
    files = datagen(tmp_path, 20000, 1, seed=7)
    s.floe("append", "faults.events", files[0])
    big = datagen(tmp_path, 400000, 1, seed=8)[0]
    snaps_before = s.floe("snapshots", "faults.events").stdout
    env = dict(os.environ, SEAWEEDFS_ACCESS_KEY=ACCESS_KEY, SEAWEEDFS_SECRET_KEY=SECRET_KEY)
    # Stop the server as soon as this append's first data file has landed:
    # the others are still uploading and nothing has been committed.
    fs = s.s3.pyarrow_fs()
    from pyarrow.fs import FileSelector
    uploads = f"{BUCKET}/{s.catalog_name}/faults/events/data"
    def data_files():
        listed = fs.get_file_info(FileSelector(uploads, recursive=True, allow_not_found=True))
        return len([i for i in listed if i.path.endswith(".parquet")])
    before = data_files()
    proc = subprocess.Popen([str(BUILD / "floe"), "--catalog-config", str(s.properties),
                             "--catalog-name", s.catalog_name, "append", "faults.events",
                             str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and data_files() == before:
        time.sleep(0.02)
    assert proc.poll() is None, "the append finished before the server could be stopped"
    t0 = time.time()
    s.s3.stop()
    t1 = time.time()
    out, err = proc.communicate(timeout=300)
    t2 = time.time()
    s.s3.start()
    print(f"stop {t1 - t0:.1f} s, append failed after {t2 - t1:.1f} s, restart "
          f"{time.time() - t2:.1f} s")
    assert proc.returncode != 0, "the append succeeded although the server was stopped"
    assert len(err.strip().splitlines()) == 1, (proc.returncode, err)
    assert "cannot reach the S3 server" in err, err
    # Back up: the table is as before, readable, and accepts appends.
    assert s.floe("snapshots", "faults.events").stdout == snaps_before
    assert s.count("faults.events") == 20000
    assert s.count("faults.events", "--where", "user_id is not null") == 20000
    s.floe("append", "faults.events", files[0])
    assert s.count("faults.events") == 40000
