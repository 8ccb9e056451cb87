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


@contextlib.contextmanager
def postgres_server():
    """A throwaway PostgreSQL server (tests/tools/floe_pg_server): yields its
    postgresql:// URI, stops it on exit."""
    proc = subprocess.Popen([str(BUILD / "tests" / "tools" / "floe_pg_server")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    uri = proc.stdout.readline().strip()
    if not uri:
        proc.wait(timeout=30)
        pytest.fail(f"floe_pg_server did not start: {proc.stderr.read()}")
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
