"""The other engines of the interoperability matrix, on the same catalog
database and warehouse as Floe:

- Spark (pyspark + Iceberg's Spark runtime, scripts/install_jars.sh) with
  Iceberg's JdbcCatalog on the test's SQLite file: one session per test run,
  one Spark catalog per warehouse, named like Floe's catalog (the JdbcCatalog
  rows are keyed by that name).
- DuckDB with its iceberg extension (both from PyPI), reading by metadata
  path, in a child process (an engine crash must fail one cell, not the run).
- ClickHouse through chdb, reading by table path (icebergLocal).
Each returns rows in `floe scan --format json` form (floe_cli.canon_rows)."""
import glob
import json
import os
import pathlib
import subprocess
import sys
import threading

import pyarrow as pa

from conftest import ROOT
from floe_cli import canon_rows

_spark = None
_spark_lock = threading.Lock()


def jars():
    folder = subprocess.run([str(ROOT / "scripts" / "install_jars.sh")], check=True,
                            capture_output=True, text=True).stdout.strip()
    return sorted(glob.glob(os.path.join(folder, "*.jar")))


def spark():
    """The test run's SparkSession (started on first use)."""
    global _spark
    with _spark_lock:
        if _spark is None:
            from pyspark.sql import SparkSession
            _spark = (SparkSession.builder.master("local[2]").appName("floe-interop")
                      .config("spark.jars", ",".join(jars()))
                      .config("spark.sql.extensions",
                              "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                      .config("spark.sql.session.timeZone", "UTC")
                      .config("spark.sql.shuffle.partitions", "2")
                      .config("spark.default.parallelism", "2")
                      .config("spark.ui.enabled", "false")
                      .config("spark.ui.showConsoleProgress", "false")
                      .config("spark.driver.memory", "1g")
                      .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                      .getOrCreate())
            _spark.sparkContext.setLogLevel("ERROR")
        return _spark


def spark_jdbc_catalog(name, jdbc_uri, warehouse, **properties):
    """Registers Iceberg's JdbcCatalog `name` on `jdbc_uri` in Spark."""
    s = spark()
    prefix = f"spark.sql.catalog.{name}"
    s.conf.set(prefix, "org.apache.iceberg.spark.SparkCatalog")
    s.conf.set(f"{prefix}.type", "jdbc")
    s.conf.set(f"{prefix}.uri", jdbc_uri)
    s.conf.set(f"{prefix}.warehouse", warehouse)
    s.conf.set(f"{prefix}.jdbc.schema-version", "V1")
    # Other engines commit to the same tables: never serve a cached version.
    s.conf.set(f"{prefix}.cache-enabled", "false")
    for k, v in properties.items():
        s.conf.set(f"{prefix}.{k}", v)
    return name


def spark_catalog(wh):
    """Registers `wh`'s catalog (SQLite file + warehouse) in Spark under the
    warehouse's catalog name and returns that name."""
    return spark_jdbc_catalog(wh.catalog_name, f"jdbc:sqlite:{wh.db}", f"file://{wh.path}")


def spark_rows(sql):
    """Rows of a Spark SQL query in floe's JSON form."""
    return canon_rows(spark().sql(sql).toArrow())


# Python that opens DuckDB as `con` with the avro and iceberg extensions
# from their PyPI wheels (the extension repository is not reachable); the
# matrix and the benchmarks run it in child processes.
DUCKDB_PRELUDE = r"""
import glob, importlib, json, os, sys, time
import duckdb
def ext(name):
    m = importlib.import_module("duckdb_extension_" + name)
    return glob.glob(os.path.join(os.path.dirname(m.__file__), "extensions", "*",
                                  name + ".duckdb_extension"))[0]
con = duckdb.connect(config={"autoinstall_known_extensions": False})
con.execute("SET enable_progress_bar = false")
for n in ("avro", "iceberg"):
    con.execute(f"LOAD '{ext(n)}'")
"""

_DUCKDB_SCRIPT = DUCKDB_PRELUDE + r"""
table = con.execute(sys.argv[1]).fetch_arrow_table()
import pyarrow.ipc as ipc
with ipc.new_stream(sys.stdout.buffer, table.schema) as w:
    w.write_table(table)
"""


def duckdb_rows(sql):
    """Rows of a DuckDB query (with the iceberg extension loaded), run in a
    child process. Raises RuntimeError with DuckDB's message on failure."""
    proc = subprocess.run([sys.executable, "-c", _DUCKDB_SCRIPT, sql], capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"DuckDB failed ({proc.returncode}): "
                           f"{proc.stderr.decode(errors='replace').strip()[-500:]}")
    import pyarrow.ipc as ipc
    return canon_rows(ipc.open_stream(proc.stdout).read_all())


def duckdb_scan(metadata_location):
    return duckdb_rows(f"SELECT * FROM iceberg_scan('{metadata_location.removeprefix('file://')}')")


_CHDB_SCRIPT = r"""
import sys
import chdb
sys.stdout.buffer.write(chdb.query(sys.argv[1], "ArrowStream").bytes())
"""


def chdb_rows(sql, cwd):
    """Rows of a ClickHouse query run by chdb in a child process in `cwd`
    (ClickHouse only reads local files under its working folder)."""
    proc = subprocess.run([sys.executable, "-c", _CHDB_SCRIPT, sql], capture_output=True,
                          cwd=cwd)
    if proc.returncode != 0:
        raise RuntimeError(f"ClickHouse failed ({proc.returncode}): "
                           f"{proc.stderr.decode(errors='replace').strip()[-500:]}")
    import pyarrow.ipc as ipc
    return canon_rows(ipc.open_stream(pa.py_buffer(proc.stdout)).read_all())


def chdb_table(table_location, columns="*"):
    """SELECT columns FROM the Iceberg table at `table_location` (a local folder)."""
    folder = pathlib.Path(table_location.removeprefix("file://"))
    return chdb_rows(f"SELECT {columns} FROM icebergLocal('{folder.name}')", cwd=folder.parent)


def flink(wh, statements=(), queries=None):
    """Runs Flink SQL on `wh`'s catalog (flink/flink_job.py in .venv-flink):
    `statements` in streaming mode, then `queries` ({name: sql}) in batch
    mode. Returns {name: rows} (rows in floe's JSON form as far as Flink's
    Python types allow), or {name: Exception} for a query Flink refused."""
    venv = subprocess.run([str(ROOT / "scripts" / "install_flink.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()
    job = {"catalog": wh.catalog_name, "db": str(wh.db), "warehouse": str(wh.path),
           "statements": list(statements), "queries": queries or {}}
    proc = subprocess.run([os.path.join(venv, "bin", "python"),
                           str(ROOT / "tests" / "interop" / "flink" / "flink_job.py"),
                           json.dumps(job)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"Flink failed ({proc.returncode}): {proc.stderr.strip()[-1500:]}")
    out = {name: [] for name in (queries or {})}
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        item = json.loads(line)
        if "error" in item:
            out[item["query"]] = RuntimeError(item["error"])
        elif not isinstance(out[item["query"]], Exception):
            out[item["query"]].append(item["row"])
    return out
