"""Shared fixtures for the interop tests: the floe binary, the fixture tables
Floe writes (tests/tools/write_fixtures.cc), and the peer tables."""
import contextlib
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("FLOE_BUILD_DIR", ROOT / "build"))
PEER_TABLES = pathlib.Path(
    os.environ.get("FLOE_PEER_TABLES", ROOT.parent / "shared" / "testdata" / "peer-tables"))


def run_floe(*args, check=True):
    """Runs build/floe and returns the completed process (text mode)."""
    proc = subprocess.run([str(BUILD / "floe"), *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"floe {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                             f"{proc.stderr}")
    return proc


def inspect_json(path):
    return json.loads(run_floe("inspect", path, "--format", "json").stdout)


@pytest.fixture(scope="session")
def floe_tables(tmp_path_factory):
    """Tables v1, v2, v3 written by floe_write_fixtures: {version: folder}."""
    out = tmp_path_factory.mktemp("floe_fixtures")
    subprocess.run([str(BUILD / "tests" / "tools" / "floe_write_fixtures"), str(out)], check=True)
    return {v: out / f"table_v{v}" for v in (1, 2, 3)}


@pytest.fixture(scope="session")
def peer_tables():
    assert PEER_TABLES.is_dir(), f"peer tables not found at {PEER_TABLES}; set FLOE_PEER_TABLES"
    return PEER_TABLES


class PostgresURI(str):
    """A running test server's postgresql:// URI; control("stop") and
    control("start") stop it and start it again on the same port and data."""

    def control(self, command):
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().strip()
        assert answer in ("stopped", "started"), f"floe_pg_server {command}: {answer}"


@contextlib.contextmanager
def postgres_server():
    """A throwaway PostgreSQL server (tests/tools/floe_pg_server): yields its
    postgresql:// URI (a PostgresURI), stops it on exit."""
    proc = subprocess.Popen([str(BUILD / "tests" / "tools" / "floe_pg_server")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line:
        proc.wait(timeout=30)
        pytest.fail(f"floe_pg_server did not start: {proc.stderr.read()}")
    uri = PostgresURI(line)
    uri._proc = proc
    try:
        yield uri
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """One SeaweedFS S3 server for the session (tests/interop/seaweedfs.py)."""
    from seaweedfs import SeaweedFS
    with SeaweedFS(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


# ---- the design note's stack: PostgreSQL catalog, SeaweedFS warehouse

BUCKET = "iceberg-warehouse"


@pytest.fixture(scope="session")
def postgres():
    with postgres_server() as uri:
        yield uri


@pytest.fixture(scope="session")
def bucket(seaweed):
    seaweed.create_bucket(BUCKET)
    return BUCKET


def jdbc(uri):
    """postgresql://user@host:port/db?x -> (jdbc:postgresql://host:port/db?x, user)."""
    rest = uri[len("postgresql://"):]
    user, hostpart = rest.split("@", 1)
    return "jdbc:postgresql://" + hostpart, user


@pytest.fixture
def stack(tmp_path, seaweed, postgres, bucket):
    from seaweedfs import ACCESS_KEY, SECRET_KEY
    """A catalog.properties exactly in the design note's form, its secrets in
    the environment, a fresh catalog name per test."""
    jdbc_uri, user = jdbc(postgres)
    name = "test_" + tmp_path.name.replace("-", "_")[-40:]
    props = tmp_path / "catalog.properties"
    props.write_text(f"""catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog
uri={jdbc_uri}
jdbc.user={user}
warehouse=s3://{BUCKET}/{name}/
io-impl=org.apache.iceberg.aws.s3.S3FileIO
s3.endpoint={seaweed.endpoint}
s3.access-key-id=${{SEAWEEDFS_ACCESS_KEY}}
s3.secret-access-key=${{SEAWEEDFS_SECRET_KEY}}
s3.path-style-access=true
""")
    env = dict(os.environ, SEAWEEDFS_ACCESS_KEY=ACCESS_KEY, SEAWEEDFS_SECRET_KEY=SECRET_KEY)

    class Stack:
        catalog_name = name
        properties = props
        warehouse = f"s3://{BUCKET}/{name}"
        s3 = seaweed
        pg = postgres

        def floe(self, *args, check=True, extra_env=None):
            e = dict(env, **(extra_env or {}))
            p = subprocess.run([str(BUILD / "floe"), "--catalog-config", str(props),
                                "--catalog-name", name, *map(str, args)],
                               capture_output=True, text=True, env=e)
            if check and p.returncode != 0:
                raise AssertionError(f"floe {args} failed: {p.stderr}")
            return p

        def count(self, table, *args):
            return int(self.floe("count", table, *args).stdout.strip())

        def pyiceberg(self):
            from pyiceberg.catalog.sql import SqlCatalog
            return SqlCatalog(name, **{
                "uri": postgres.replace("postgresql://", "postgresql+psycopg2://"),
                "warehouse": self.warehouse,
                "s3.endpoint": seaweed.endpoint,
                "s3.access-key-id": ACCESS_KEY,
                "s3.secret-access-key": SECRET_KEY,
                "s3.region": "us-east-1",
            })

    return Stack()
