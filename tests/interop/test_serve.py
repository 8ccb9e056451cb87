"""`floe serve`, as an operator runs it:

- a real Prometheus scrapes it; every query of every panel of the Grafana
  dashboard and every alert rule returns data for the test tables (each
  alert is made to fire by a table built for it), the dashboard JSON holds
  to Grafana's model, and the panels are drawn from Prometheus's answers;
- on the design note's stack (PostgreSQL catalog from catalog.properties,
  SeaweedFS warehouse), tables written by Floe, PyIceberg and Spark through
  the same JDBC catalog show the values `floe describe` reports, and follow
  appends, a compaction and an expiry within a refresh; the catalog database
  restarting, SeaweedFS stopping and a lost metadata file are reported and
  survived without a restart;
- `--maintain` next to a writer keeps a table within its policy without
  losing a row, and two maintaining services never work on one table at
  once;
- 1,000 tables: a scrape stays far under 100 ms and an idle refresh reads
  no metadata.
Figures are printed (pytest -s)."""
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import time
import urllib.error

import pytest

import dashboard
import engines
from conftest import BUILD, ROOT, postgres_server
from floe_cli import Warehouse, sorted_rows
from serve import FloeServe, Prometheus, http_get, value, wait_for
from streams import (SCHEMA, assert_within_policy, canon, create_stream_table, live_counts, row,
                     stream_writes, write_rows)


def local_path(location):
    return re.sub(r"^file:(//)?", "", location)


# ---------------------------------------------------------------- Prometheus

def build_alert_tables(run, tmp_path):
    """One table per alert rule, built to fire it, and db.main, the table the
    dashboard is looked at with."""
    run("namespace", "create", "db")
    run("create", "db.main", "--schema", SCHEMA, "--partition-by", "day",
        "--property", "write.delete.mode=merge-on-read")
    for n in range(6):
        run("append", "db.main", write_rows(tmp_path / "m.json", [row(n * 10 + i) for i in range(10)]))
    # 150 files of one row, one per identity partition: small files piling up.
    run("create", "db.small", "--schema", "id long not null, v string", "--partition-by", "id",
        "--property", "floe.maintenance.enabled=false")
    run("append", "db.small", write_rows(tmp_path / "s.json", [{"id": i, "v": "x"} for i in range(150)]))
    # 30 of 100 rows deleted by position and left there: delete debt.
    run("create", "db.deletes", "--schema", SCHEMA, "--property", "write.delete.mode=merge-on-read",
        "--property", "floe.maintenance.enabled=false")
    run("append", "db.deletes", write_rows(tmp_path / "d.json", [row(i) for i in range(100)]))
    run("delete", "db.deletes", "--where", "id < 30")
    # Snapshots past a one-second retention that nothing expires.
    run("create", "db.retention", "--schema", SCHEMA,
        "--property", "history.expire.max-snapshot-age-ms=1000",
        "--property", "floe.maintenance.enabled=false")
    for n in range(3):
        run("append", "db.retention", write_rows(tmp_path / "r.json", [row(n)]))
    # A maintenance policy that cannot be read: maintenance fails.
    run("create", "db.broken", "--schema", SCHEMA,
        "--property", "floe.maintenance.compact.min-input-files=many")
    run("append", "db.broken", write_rows(tmp_path / "b.json", [row(1)]))
    # Its metadata file will disappear: load errors.
    run("create", "db.unreadable", "--schema", SCHEMA, "--property", "floe.maintenance.enabled=false")
    run("append", "db.unreadable", write_rows(tmp_path / "u.json", [row(1)]))


ALERT_TABLES = {
    "IcebergSmallFilesPilingUp": "small",
    "IcebergDeleteDebt": "deletes",
    "IcebergSnapshotsOverPolicy": "retention",
    "FloeMaintenanceFailing": "broken",
    "IcebergTableUnreadable": "unreadable",
}


def test_dashboard_and_alert_queries_against_prometheus(tmp_path):
    import yaml
    wh = Warehouse(tmp_path / "wh", catalog_name="lake")
    build_alert_tables(wh.run, tmp_path)
    serve = FloeServe(wh.global_args(), "--refresh", "1s", "--maintain", "--maintain-every", "2s",
                      "--verify-every", "2s", cwd=wh.root)
    with serve, Prometheus(tmp_path / "prometheus", [f"127.0.0.1:{serve.port}"]) as prom:
        start = time.time()
        # A writer while watched: appends (small files that maintenance
        # compacts every few seconds) and, now and then, deletes by position
        # (delete debt that compaction clears).
        for n in range(24):
            wh.run("append", "db.main", write_rows(tmp_path / "m.json", [row(100 + n * 10 + i) for i in range(10)]))
            if n % 6 == 5:
                wh.run("delete", "db.main", "--where", f"id >= {100 + n * 10} and id < {104 + n * 10}")
            time.sleep(0.7)
        wait_for(lambda: prom.query('iceberg_compaction_duration_seconds_count{table="main"} >= 1'),
                 timeout=90, what="a compaction of db.main in Prometheus\n" + serve.log())
        os.remove(local_path(wh.metadata_location("db.unreadable")))
        wait_for(lambda: prom.query('iceberg_table_load_errors_total{table="unreadable"} > 0'),
                 timeout=60, what="a load error of db.unreadable")
        time.sleep(4)  # a few more scrapes for the rate windows

        # Every panel query returns data for db.main.
        dash = dashboard.load()
        variables = {"catalog": "lake", "namespace": "db", "table": "main"}
        queries = 0
        for panel in dashboard.panels(dash):
            for target in panel["targets"]:
                expr = dashboard.fill(target["expr"], variables)
                assert prom.query(expr), f"panel {panel['title']!r}: {expr} returned no data"
                queries += 1
        # The variables' label_values() queries list the test's values.
        for name, match in (("catalog", "iceberg_table_snapshot_count"),
                            ("namespace", 'iceberg_table_snapshot_count{catalog="lake"}'),
                            ("table", 'iceberg_table_snapshot_count{catalog="lake",namespace="db"}')):
            got = prom.api(f"label/{name}/values", **{"match[]": match})
            assert variables[name] in got, (name, got)
        assert set(prom.api("label/table/values", **{"match[]": "iceberg_table_snapshot_count"})) >= \
            {"main", "small", "deletes", "retention", "broken"}

        # Each alert rule returns data for the table built to fire it (and
        # not for db.main, which maintenance keeps healthy).
        rules = {r["alert"]: r for g in yaml.safe_load(
            (ROOT / "deploy" / "prometheus" / "floe-alerts.yml").read_text())["groups"] for r in g["rules"]}
        for alert, table in ALERT_TABLES.items():
            tables = {r["metric"].get("table") for r in prom.query(rules[alert]["expr"])}
            assert table in tables, f"{alert} did not fire for db.{table}: {tables}"
            if alert.startswith("Iceberg") and alert != "IcebergTableUnreadable":
                assert "main" not in tables, f"{alert} fired for the healthy db.main"
        # Prometheus loaded every rule and evaluates it without error; the
        # rules without a `for` fire.
        loaded = [r for g in prom.api("rules")["groups"] for r in g["rules"]]
        assert {r["name"] for r in loaded} == set(rules)
        assert all(r["health"] == "ok" for r in loaded), [(r["name"], r.get("lastError")) for r in loaded]
        firing = {(a["labels"]["alertname"], a["labels"].get("table")) for a in prom.api("alerts")["alerts"]
                  if a["state"] == "firing"}
        assert ("FloeMaintenanceFailing", "broken") in firing, firing
        assert ("IcebergTableUnreadable", "unreadable") in firing, firing
        end = time.time()

        # The catalog database breaks: catalog_up drops, /readyz says so,
        # the series stay; it comes back without a restart.
        with sqlite3.connect(wh.db) as db:
            db.execute("ALTER TABLE iceberg_tables RENAME TO iceberg_tables_away")
        assert prom.query(rules["FloeServeCatalogDown"]["expr"]) or wait_for(
            lambda: prom.query(rules["FloeServeCatalogDown"]["expr"]), timeout=30, what="catalog down")
        with pytest.raises(urllib.error.HTTPError) as not_ready:
            http_get(serve.url + "/readyz")
        assert not_ready.value.code == 503
        assert value(serve.metrics(), "iceberg_table_total_records", table="main") is not None
        with sqlite3.connect(wh.db) as db:
            db.execute("ALTER TABLE iceberg_tables_away RENAME TO iceberg_tables")
        wait_for(lambda: prom.query("floe_serve_catalog_up == 1"), timeout=30, what="catalog back")
        assert http_get(serve.url + "/readyz")[0] == 200

        # The picture of the dashboard, from Prometheus's answers.
        png = dashboard.render(prom, dash, variables, start, end, tmp_path / "floe-dashboard.png")
        assert png.stat().st_size > 20000
        if os.environ.get("FLOE_UPDATE_DOCS") == "1":
            shutil.copy(png, ROOT / "docs" / "images" / "floe-dashboard.png")

        # SIGTERM: a clean stop, exit status 0; Prometheus sees it down.
        assert serve.stop() == 0, serve.log()
        assert "msg=stopped" in serve.log()
        wait_for(lambda: prom.query(rules["FloeServeDown"]["expr"]), timeout=30, what="up == 0")
        print(f"\n{queries} panel queries and {len(rules)} alert rules checked against Prometheus")


def test_dashboard_json_follows_grafanas_model():
    """The fields the dashboard uses, checked against Grafana's dashboard
    JSON model (tests/interop/grafana_dashboard.schema.json)."""
    import jsonschema
    schema = json.loads((ROOT / "tests" / "interop" / "grafana_dashboard.schema.json").read_text())
    dash = dashboard.load()
    jsonschema.validate(dash, schema)
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for p in dashboard.panels(dash):
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24, f"{p['title']} overflows the 24-column grid"
        refs = [t["refId"] for t in p["targets"]]
        assert len(refs) == len(set(refs)), f"{p['title']}: duplicate refId"
    # The five metrics of the design note are all on it.
    exprs = " ".join(t["expr"] for p in dashboard.panels(dash) for t in p["targets"])
    for name in ("iceberg_table_snapshot_count", "iceberg_table_data_files", "iceberg_table_total_records",
                 "iceberg_table_total_size_bytes", "iceberg_compaction_duration_seconds"):
        assert name in exprs, name
    # promtool accepts the scrape config and the rules.
    for args in (["check", "config", ROOT / "deploy" / "prometheus" / "floe.yml"],
                 ["check", "rules", ROOT / "deploy" / "prometheus" / "floe-alerts.yml"]):
        p = subprocess.run(["promtool", *map(str, args)], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr


# ---------------------------------------------------------------- the stack

def describe_totals(s, table):
    """What `floe describe` reports: (records, data files, bytes, snapshots)."""
    out = s.floe("describe", table).stdout
    totals = re.search(r"^totals\s+(\d+) records, (\d+) data files, (\d+) bytes", out, re.M)
    snaps = re.search(r"^snapshots\s+(\d+)", out, re.M)
    return tuple(int(x) for x in totals.groups()) + (int(snaps.group(1)),)


def served_totals(serve, namespace, table):
    m = serve.metrics()
    get = lambda name: value(m, name, namespace=namespace, table=table)  # noqa: E731
    vals = (get("iceberg_table_total_records"), get("iceberg_table_data_files"),
            get("iceberg_table_total_size_bytes"), get("iceberg_table_snapshot_count"))
    return None if None in vals else tuple(int(v) for v in vals)


def spark_on_stack(s):
    """Iceberg's JdbcCatalog in Spark on the stack's PostgreSQL and SeaweedFS."""
    import urllib.parse
    from seaweedfs import ACCESS_KEY, SECRET_KEY
    u = urllib.parse.urlparse(s.pg)
    return engines.spark_jdbc_catalog(
        s.catalog_name, f"jdbc:postgresql://{u.hostname}:{u.port}{u.path}", s.warehouse,
        **{"jdbc.user": urllib.parse.unquote(u.username or ""),
           "jdbc.password": urllib.parse.unquote(u.password or ""),
           "io-impl": "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint": s.s3.endpoint,
           "s3.access-key-id": ACCESS_KEY, "s3.secret-access-key": SECRET_KEY,
           "s3.path-style-access": "true", "client.region": "us-east-1"})


def test_serve_on_the_design_note_stack(stack, tmp_path):
    import pyarrow as pa
    s = stack
    s.floe("namespace", "create", "lake")
    # Floe writes one table...
    s.floe("create", "lake.floe_t", "--schema", SCHEMA, "--partition-by", "day")
    for n in range(3):
        s.floe("append", "lake.floe_t", write_rows(tmp_path / "f.json", [row(n * 10 + i) for i in range(10)]))
    # ...PyIceberg another, through the same catalog...
    cat = s.pyiceberg()
    py = cat.create_table("lake.py_t", schema=pa.schema([("id", pa.int64()), ("name", pa.string())]))
    py.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}))
    py.append(pa.table({"id": [4], "name": ["d"]}))
    # ...and Spark a third, with Iceberg's JdbcCatalog and S3FileIO.
    sc = spark_on_stack(s)
    spark = engines.spark()
    spark.sql(f"CREATE TABLE {sc}.lake.spark_t (id BIGINT, who STRING) USING iceberg")
    spark.sql(f"INSERT INTO {sc}.lake.spark_t VALUES (1, 'x'), (2, 'y')")
    spark.sql(f"INSERT INTO {sc}.lake.spark_t VALUES (3, 'z')")

    env = dict(os.environ, SEAWEEDFS_ACCESS_KEY="floe-test-access", SEAWEEDFS_SECRET_KEY="floe-test-secret")
    serve = FloeServe(["--catalog-config", s.properties, "--catalog-name", s.catalog_name],
                      "--refresh", "1s", "--verify-every", "2s", env=env)
    with serve:
        tables = ("floe_t", "py_t", "spark_t")

        def agree():
            return all(served_totals(serve, "lake", t) == describe_totals(s, f"lake.{t}") for t in tables)
        wait_for(agree, timeout=30, what="metrics equal to floe describe\n" + serve.log())
        for t in tables:
            print(f"\nlake.{t}: (records, data files, bytes, snapshots) = {describe_totals(s, f'lake.{t}')}")

        # Appends from all three, a compaction and an expiry: the values
        # follow within a refresh or two.
        s.floe("append", "lake.floe_t", write_rows(tmp_path / "f.json", [row(100)]))
        py = cat.load_table("lake.py_t")
        py.append(pa.table({"id": [5], "name": ["e"]}))
        spark.sql(f"INSERT INTO {sc}.lake.spark_t VALUES (4, 'w')")
        s.floe("compact", "lake.floe_t", "--min-input-files", "2")
        s.floe("expire", "lake.floe_t", "--older-than", "0s", "--retain-last", "1")
        s.floe("compact", "lake.spark_t", "--min-input-files", "2")
        t0 = time.time()
        wait_for(agree, timeout=10, what="metrics following the commits\n" + serve.log())
        followed = time.time() - t0
        m = serve.metrics()
        assert value(m, "iceberg_table_snapshot_count", table="floe_t") == 1
        assert value(m, "iceberg_compaction_duration_seconds_count", table="floe_t") == 1
        assert value(m, "iceberg_compaction_duration_seconds_count", table="spark_t") == 1
        assert value(m, "iceberg_table_commits_total", table="py_t", operation="append") == 1
        assert value(m, "iceberg_table_commits_total", table="spark_t", operation="append") == 1
        print(f"metrics followed appends by three engines, two compactions and an expiry in {followed:.1f} s")

        # The catalog database restarts: the service keeps serving the last
        # values, reports the outage, and follows again once it is back.
        s.pg.control("stop")
        wait_for(lambda: value(serve.metrics(), "floe_serve_catalog_up") == 0, timeout=15,
                 what="catalog_up 0 while PostgreSQL is down")
        assert served_totals(serve, "lake", "floe_t") is not None
        s.pg.control("start")
        s.floe("append", "lake.floe_t", write_rows(tmp_path / "f.json", [row(101)]))
        wait_for(lambda: value(serve.metrics(), "floe_serve_catalog_up") == 1 and agree(), timeout=30,
                 what="recovery after PostgreSQL restarted\n" + serve.log())
        assert "msg=\"refresh failed\"" in serve.log() and "msg=\"catalog recovered\"" in serve.log()

        # SeaweedFS stops: a commit's metadata cannot be read; the table is
        # reported, the others keep their values; it recovers.
        errors_before = value(serve.metrics(), "iceberg_table_load_errors_total", table="floe_t")
        s.floe("append", "lake.floe_t", write_rows(tmp_path / "f.json", [row(102)]))
        s.s3.stop()
        try:
            wait_for(lambda: value(serve.metrics(), "iceberg_table_load_errors_total", table="floe_t")
                     > errors_before, timeout=60, what="a load error while SeaweedFS is down")
            assert served_totals(serve, "lake", "py_t") is not None
        finally:
            s.s3.start()
        wait_for(agree, timeout=60, what="recovery after SeaweedFS restarted\n" + serve.log())

        # One table's metadata file deleted: that table errors, the rest are
        # served.
        location = s.floe("describe", "lake.py_t").stdout.split("metadata ", 1)[1].split()[0]
        fs = s.s3.pyarrow_fs()
        fs.delete_file(location.replace("s3://", "", 1))
        wait_for(lambda: value(serve.metrics(), "iceberg_table_load_errors_total", table="py_t") > 0,
                 timeout=30, what="a load error for the deleted metadata file")
        s.floe("append", "lake.floe_t", write_rows(tmp_path / "f.json", [row(103)]))
        wait_for(lambda: served_totals(serve, "lake", "floe_t") == describe_totals(s, "lake.floe_t"),
                 timeout=10, what="the other tables still followed")
        assert serve.stop() == 0
        assert "msg=\"table load failed\" table=lake.py_t" in serve.log()


# ---------------------------------------------------------------- --maintain

def maintenance_jobs(log):
    """[(table, start, end)] of the jobs a service logged."""
    ts = lambda line: time.mktime(time.strptime(line[3:22], "%Y-%m-%dT%H:%M:%S")) + float(line[22:26])  # noqa: E731
    jobs, open_jobs = [], {}
    for line in log.splitlines():
        m = re.search(r' table=(\S+)', line)
        if not m:
            continue
        if 'msg="maintenance started"' in line:
            open_jobs[m.group(1)] = ts(line)
        elif 'msg="maintenance done"' in line and m.group(1) in open_jobs:
            jobs.append((m.group(1), open_jobs.pop(m.group(1)), ts(line)))
    return jobs


def test_two_maintaining_services_next_to_a_writer(tmp_path):
    wh = Warehouse(tmp_path, catalog_name="stream")
    wh.run("namespace", "create", "db")
    tables = ["db.w1", "db.w2"]
    for t in tables:
        create_stream_table(wh.run, t, 2)
    args = ("--refresh", "1s", "--maintain", "--maintain-every", "1s", "--maintain-concurrency", "2")
    with FloeServe(wh.global_args(), *args, cwd=wh.root) as a, \
            FloeServe(wh.global_args(), *args, cwd=wh.root) as b:
        peaks = {}
        models = {}
        for i, t in enumerate(tables):
            models[t], peaks[t] = stream_writes(wh.run, lambda x: sorted_rows(wh.scan_json(x)), t, tmp_path,
                                                commits=60, seed=4000 + i, every=10)
        # Let maintenance catch up: within policy means few files, no
        # delete files, expired snapshots.
        def settled():
            return all(live_counts(wh.run, t)[1] == 0 and live_counts(wh.run, t)[3] <= 6 for t in tables)
        time.sleep(6)  # past the 5 s retention
        wait_for(settled, timeout=90, interval=1, what="maintenance to settle\n" + a.log() + b.log())
        assert a.stop() == 0 and b.stop() == 0
        for t in tables:
            assert sorted_rows(wh.scan_json(t)) == canon(models[t]), f"{t}: rows lost or resurrected"
            end = live_counts(wh.run, t)
            print(f"\n{t}: 60 writer commits; peak (data, delete files, manifests, snapshots) {peaks[t]}; "
                  f"after `floe serve --maintain` {end}")
            assert_within_policy(end)
        # Both services worked, never on one table at once.
        ja = [(t, s0, s1, "a") for t, s0, s1 in maintenance_jobs(a.log())]
        jb = [(t, s0, s1, "b") for t, s0, s1 in maintenance_jobs(b.log())]
        assert ja and jb, "one service did all the work"
        for x in ja:
            for y in jb:
                if x[0] == y[0]:
                    assert not (x[1] < y[2] and y[1] < x[2]), f"overlapping jobs on {x[0]}: {x} {y}"
        print(f"maintenance jobs: {len(ja)} by one service, {len(jb)} by the other, none overlapping")


# ---------------------------------------------------------------- 1,000 tables

def test_a_thousand_tables(tmp_path):
    wh = Warehouse(tmp_path, catalog_name="many")
    subprocess.run([str(BUILD / "floe-bench"), "--catalog", wh.uri, "--warehouse", str(wh.path),
                    "--catalog-name", "many", "gen-tables", "bench", "--tables", "1000", "--commits", "1"],
                   check=True, capture_output=True)
    with FloeServe(wh.global_args(), "--refresh", "1s", "--verify-every", "1h", cwd=wh.root) as serve:
        wait_for(lambda: value(serve.metrics(), "floe_serve_tables") == 1000, timeout=60, what="1000 tables")
        wait_for(lambda: len([k for k in serve.metrics() if k[0] == "iceberg_table_snapshot_count"]) == 1000,
                 timeout=60, what="1000 tables loaded")
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            status, body = http_get(serve.url + "/metrics")
            times.append(time.perf_counter() - t0)
        m = serve.metrics()
        reads = value(m, "floe_serve_metadata_reads_total")
        refreshes = value(m, "floe_serve_refresh_duration_seconds_count")
        time.sleep(3)  # idle refreshes
        m2 = serve.metrics()
        assert value(m2, "floe_serve_metadata_reads_total") == reads, "an idle refresh read metadata"
        idle = ((value(m2, "floe_serve_refresh_duration_seconds_sum") - value(m, "floe_serve_refresh_duration_seconds_sum"))
                / max(1, value(m2, "floe_serve_refresh_duration_seconds_count") - refreshes))
        # One commit: one metadata file read.
        wh.run("append", "bench.t0007", write_rows(tmp_path / "x.json", [{"id": 1, "v": "x"}]))
        wait_for(lambda: value(serve.metrics(), "iceberg_table_snapshot_count", table="t0007") == 2, timeout=10)
        assert value(serve.metrics(), "floe_serve_metadata_reads_total") == reads + 1
        median = statistics.median(times)
        print(f"\n1,000 tables: /metrics {len(body) / 1e6:.1f} MB, median {median * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms over 20 scrapes; idle refresh {idle * 1000:.1f} ms")
        assert median < 0.1, f"a scrape took {median * 1000:.0f} ms (median)"
        assert serve.stop() == 0
