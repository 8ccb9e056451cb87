"""Floe's SqlCatalog and PyIceberg's SqlCatalog share one database (SQLite
file, or PostgreSQL from tests/tools/floe_pg_server) at the same time: each
sees the other's namespaces and tables, commits, and conflicts.

Floe is driven through tests/tools/floe_sql_catalog (one operation per run)."""
import json
import pathlib
import shutil
import subprocess
import uuid

import pytest
from pyiceberg.catalog.sql import SqlCatalog as PySqlCatalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField, StringType

from conftest import BUILD, postgres_server

TOOLS = BUILD / "tests" / "tools"
SCHEMA = Schema(NestedField(1, "id", LongType(), required=True),
                NestedField(2, "name", StringType(), required=False))


def floe(uri, catalog, *args, check=True):
    """Runs floe_sql_catalog; returns stdout lines (or the process if check=False)."""
    proc = subprocess.run([str(TOOLS / "floe_sql_catalog"), uri, catalog, *map(str, args)],
                          capture_output=True, text=True)
    if not check:
        return proc
    assert proc.returncode == 0, f"floe_sql_catalog {' '.join(map(str, args))}: {proc.stderr}"
    return proc.stdout.splitlines()


@pytest.fixture(scope="module")
def postgres_uri():
    """A throwaway PostgreSQL server, as a URI both Floe and SQLAlchemy accept."""
    with postgres_server() as uri:
        yield uri.replace("postgresql://", "postgresql+psycopg2://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request, tmp_path):
    """(uri, catalog name, warehouse): a fresh SQLite file, or a fresh catalog
    name on the shared PostgreSQL database."""
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path / 'catalog.db'}"  # sqlite:////abs/path
    else:
        uri = request.getfixturevalue("postgres_uri")
    name = f"cat_{uuid.uuid4().hex[:8]}"
    return uri, name, tmp_path / "warehouse"


def pyiceberg(uri, name, warehouse):
    return PySqlCatalog(name, uri=uri, warehouse=f"file://{warehouse}")


def copy_metadata(location, **properties):
    """Writes the next metadata file after `location` (a copy with extra
    properties), as a table layer would, and returns its location."""
    path = pathlib.Path(location.removeprefix("file://"))
    version = int(path.name.split("-", 1)[0]) + 1
    new = path.with_name(f"{version:05d}-{uuid.uuid4()}.metadata.json")
    metadata = json.loads(path.read_text())
    metadata.setdefault("properties", {}).update(properties)
    new.write_text(json.dumps(metadata))
    return f"file://{new}"


def test_floe_reads_what_pyiceberg_writes(shared):
    uri, name, warehouse = shared
    py = pyiceberg(uri, name, warehouse)
    py.create_namespace("analytics", {"owner": "ana"})
    py.create_namespace(("analytics", "raw"))
    table = py.create_table("analytics.events", SCHEMA)
    with table.transaction() as tx:
        tx.set_properties(written_by="pyiceberg")
    table = py.load_table("analytics.events")

    assert floe(uri, name, "list-namespaces") == ["analytics"]
    assert floe(uri, name, "list-namespaces", "analytics") == ["analytics.raw"]
    assert floe(uri, name, "namespace-properties", "analytics") == ["owner=ana"]
    assert floe(uri, name, "list-tables", "analytics") == ["events"]
    current, previous = floe(uri, name, "load", "analytics", "events")
    assert current == table.metadata_location
    assert previous.endswith(".metadata.json") and previous != current
    # Not empty for Floe either.
    proc = floe(uri, name, "drop-namespace", "analytics", check=False)
    assert proc.returncode == 1 and "not empty" in proc.stderr


def test_pyiceberg_reads_what_floe_commits(shared):
    uri, name, warehouse = shared
    py = pyiceberg(uri, name, warehouse)
    py.create_namespace("db")
    stale = py.create_table("db.t", SCHEMA)

    # Floe commits the next metadata file; PyIceberg sees it.
    new = copy_metadata(stale.metadata_location, written_by="floe")
    floe(uri, name, "commit", "db", "t", stale.metadata_location, new)
    table = py.load_table("db.t")
    assert table.metadata_location == new
    assert table.properties["written_by"] == "floe"

    # PyIceberg rebases a commit made through a stale Table object onto the
    # catalog's current metadata (Floe's file), then swaps the pointer.
    with stale.transaction() as tx:
        tx.set_properties(after="floe")
    table = py.load_table("db.t")
    assert table.properties["written_by"] == "floe" and table.properties["after"] == "floe"
    current, previous = floe(uri, name, "load", "db", "t")
    assert current == table.metadata_location
    assert previous == new

    # Floe's commit from a stale base loses.
    proc = floe(uri, name, "commit", "db", "t", new, copy_metadata(new), check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("CommitConflict:"), proc.stderr
    assert py.load_table("db.t").metadata_location == current

def test_pyiceberg_uses_a_catalog_floe_created(shared, tmp_path):
    uri, name, warehouse = shared
    # Floe creates the tables (V1 layout) and a namespace.
    floe(uri, name, "create-namespace", "db", "owner=floe")
    assert floe(uri, name, "schema-version") == ["v1"]
    # A table whose metadata another catalog wrote, registered by Floe.
    other = pyiceberg(f"sqlite:///{tmp_path / 'other.db'}", "other", warehouse)
    other.create_namespace("src")
    source = other.create_table("src.orig", SCHEMA)
    floe(uri, name, "register", "db", "registered", source.metadata_location)

    py = pyiceberg(uri, name, warehouse)
    assert py.list_namespaces() == [("db",)]
    assert py.load_namespace_properties("db") == {"owner": "floe", "exists": "true"}
    assert py.load_table("db.registered").metadata_location == source.metadata_location
    py.create_table("db.made_by_py", SCHEMA)
    assert sorted(py.list_tables("db")) == [("db", "made_by_py"), ("db", "registered")]
    assert floe(uri, name, "list-tables", "db") == ["made_by_py", "registered"]

    floe(uri, name, "rename", "db", "registered", "db", "renamed")
    assert py.load_table("db.renamed").metadata_location == source.metadata_location
    assert floe(uri, name, "drop", "db", "renamed") == [source.metadata_location]
    with pytest.raises(NoSuchTableError):
        py.load_table("db.renamed")


def test_floe_reads_the_peer_pyiceberg_catalog(peer_tables, tmp_path):
    """The SQLite file PyIceberg wrote for pyiceberg_v2_day_map (V0 layout)."""
    db = tmp_path / "pyiceberg_catalog.db"
    shutil.copyfile(peer_tables / "pyiceberg_v2_day_map" / "catalog" / "pyiceberg_catalog.db", db)
    db.chmod(0o644)
    uri = f"sqlite:///{db}"
    assert floe(uri, "default", "schema-version") == ["v0"]
    assert floe(uri, "default", "list-tables", "default") == ["map_stats"]
    current, _ = floe(uri, "default", "load", "default", "map_stats")
    assert current.endswith("00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json")
    # PyIceberg still reads the row after Floe opened (and WAL-enabled) the file.
    py = PySqlCatalog("default", uri=uri)
    assert py.list_tables("default") == [("default", "map_stats")]
