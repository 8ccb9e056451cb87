"""`floe scan` / `floe count` read the peer tables (written by Spark, Trino,
Flink, PyIceberg; ../shared/testdata/peer-tables) by path, with
`--path-map PREFIX=<table folder>` taking PREFIX from each SOURCE.md, and
return exactly the rows each SOURCE.md expects; time travel gives the
per-snapshot counts; position deletes, deletion vectors and equality deletes
are applied exactly."""
import collections
import json
import re

import pytest

from floe_cli import Warehouse, sorted_rows

TABLES = ["spark24_v1_nested_hour", "trino_v2_bucket_types", "trino_v2_partition_evolution",
          "trino_v2_month_nulls", "trino_v2_year_date", "pyiceberg_v2_day_map",
          "spark_v2_rename_bucket", "spark_v2_posdelete_addcol", "flink_v2_eqdelete_partitioned",
          "spark_v3_deletion_vectors"]


def location_prefix(folder):
    """The prefix of the "Location prefix map" section of SOURCE.md."""
    text = (folder / "SOURCE.md").read_text()
    section = text.split("## Location prefix map", 1)[1]
    for line in section.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*`\.`", line)
        if m:
            return m.group(1)
    raise AssertionError(f"no location prefix in {folder / 'SOURCE.md'}")


class Peer:
    def __init__(self, wh, folder):
        self.wh, self.folder = wh, folder
        self.maps = [f"{location_prefix(folder)}={folder}"]

    def run(self, *args, target=None, check=True):
        return self.wh.run(*args[:1], target or self.folder, *args[1:], check=check,
                           path_maps=self.maps)

    def rows(self, *args, target=None):
        out = self.run("scan", "--format", "json", *args, target=target).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def count(self, *args, target=None):
        return int(self.run("count", *args, target=target).stdout.strip())

    def metadata(self, name):
        return json.loads((self.folder / "metadata" / name).read_text())


@pytest.fixture(scope="module")
def peers(peer_tables, tmp_path_factory):
    """{table: Peer}; the catalog is an unused private SQLite file (reading by
    path never touches it)."""
    wh = Warehouse(tmp_path_factory.mktemp("peers"))
    return {name: Peer(wh, peer_tables / name) for name in TABLES}


def test_prefixes_come_from_source_md(peers):
    assert location_prefix(peers["pyiceberg_v2_day_map"].folder) == \
        "file://data/persistent/map_stats/default.db/map_stats"
    assert location_prefix(peers["spark_v3_deletion_vectors"].folder) == \
        "hdfs://localhost:20500/test-warehouse/iceberg_v3_deletion_vectors"
    for p in peers.values():
        assert location_prefix(p.folder)


# ---------------------------------------------------------------- current snapshots

def test_spark24_v1_nested_hour(peers):
    p = peers["spark24_v1_nested_hour"]
    rows = p.rows()
    assert len(rows) == 20 and p.count() == 20
    assert sorted(r["id"] for r in rows) == list(range(1, 21))
    row1 = next(r for r in rows if r["id"] == 1)
    assert row1["phone"] == ["1-212-100-1111", "1-212-100-1112"]
    assert row1["favorites"]["sport"] == "swimming"
    assert row1["current_address"] == {
        "street_address": {"street_number": 100, "street_name": "Wall Street",
                           "street_type": "Street"},
        "country": "US", "postal_code": "10005"}
    food = collections.Counter(r["favorites"].get("food") for r in rows)
    assert (food["beef"], food["chicken"], food["pumpkin"]) == (10, 4, 6)
    assert len({r["current_address"]["street_address"]["street_number"] for r in rows}) == 3
    assert len({r["current_address"]["country"] for r in rows}) == 1
    # Partitions: hour(event_time) + identity(action), 8/6/6 rows.
    by_partition = collections.Counter((r["event_time"], r["action"]) for r in rows)
    assert by_partition == {("2020-01-01T08:00:00.000000+00:00", "view"): 8,
                            ("2020-01-01T09:00:00.000000+00:00", "click"): 6,
                            ("2020-01-01T10:00:00.000000+00:00", "download"): 6}
    assert p.count("--where", "action = 'view'") == 8
    assert p.count("--where", "event_time >= timestamptz '2020-01-01T09:00:00Z'") == 12
    # Nested projection.
    sel = p.rows("--select", "id,current_address.street_address.street_number,phone",
                 "--where", "id = 1")
    assert sel == [{"id": 1, "current_address": {"street_address": {"street_number": 100}},
                    "phone": ["1-212-100-1111", "1-212-100-1112"]}]


def test_trino_v2_bucket_types(peers):
    p = peers["trino_v2_bucket_types"]
    assert p.rows() == [{
        "col_int": 1, "col_long": 2, "col_decimal": "3.00", "col_date": "2025-03-03",
        "col_time": "17:00:00.000000", "col_timestamp": "2025-03-03T00:00:00.000000",
        "col_timestamptz": "2025-03-03T00:00:00.000000+00:00", "col_string": "some-string",
        "col_uuid": "12151fd2-7586-11e9-8f9e-2a86e4085a59",
        "col_varbinary": b"some-varbinary".hex()}]
    assert p.count() == 1
    # Floe's bucket projections agree with Trino's bucket values in the manifest.
    for where in ("col_int = 1", "col_long = 2", "col_decimal = decimal '3.00'",
                  "col_date = date '2025-03-03'", "col_time = time '17:00:00'",
                  "col_timestamp = timestamp '2025-03-03 00:00:00'",
                  "col_timestamptz = timestamptz '2025-03-03T00:00:00Z'",
                  "col_string = 'some-string'",
                  "col_uuid = uuid '12151fd2-7586-11e9-8f9e-2a86e4085a59'",
                  f"col_varbinary = X'{b'some-varbinary'.hex().upper()}'"):
        assert p.count("--where", where) == 1, where
        explain = p.run("scan", "--where", where, "--explain").stdout
        assert re.search(r"files\s+1 considered, 0 skipped by partition, 0 skipped by metrics, "
                         r"1 read", explain), (where, explain)
    assert p.count("--where", "col_int = 2") == 0
    assert p.count("--snapshot", 8928121299234260333) == 0


def test_trino_v2_partition_evolution(peers):
    p = peers["trino_v2_partition_evolution"]
    want = [{"c1": 1, "c2": "2025-03-03", "c3": 0.0}, {"c1": 2, "c2": "2025-03-03", "c3": -1.0},
            {"c1": 1, "c2": "2025-03-04", "c3": 1.5}, {"c1": 2, "c2": "2025-03-04", "c3": 42.0},
            {"c1": 1, "c2": "2025-03-05", "c3": 17.0}, {"c1": 1, "c2": "2025-03-02", "c3": -50.0},
            {"c1": 3, "c2": "2025-03-11", "c3": 2.0}]
    rows = p.rows()
    assert sorted_rows(rows) == sorted_rows(want)
    assert sum(r["c3"] for r in rows) == 11.5
    assert p.count() == 7
    # A filter on each spec's partition source.
    assert p.count("--where", "c3 = 2.0") == 1
    assert p.count("--where", "c2 = date '2025-03-03'") == 2
    assert p.count("--snapshot", 6593870062034330780) == 6
    assert sorted_rows(p.rows("--snapshot", 6593870062034330780)) == sorted_rows(want[:6])
    assert p.count("--snapshot", 5032402648663831776) == 0
    assert p.rows("--snapshot", 5032402648663831776) == []


def test_trino_v2_month_nulls(peers):
    p = peers["trino_v2_month_nulls"]
    want = [{"c1": 1, "c2": "2025-03-03T23:00:00.000000+00:00", "c3": 0.0},
            {"c1": 2, "c2": "2024-03-03T23:52:00.000000+00:00", "c3": 0.0},
            {"c1": 3, "c2": None, "c3": 0.0}]
    assert sorted_rows(p.rows()) == sorted_rows(want)
    assert p.count("--where", "c2 is null") == 1
    assert p.count("--where", "c2 >= timestamptz '2025-01-01T00:00:00Z'") == 1
    assert p.count("--snapshot", 2311346262833015500) == 0


def test_trino_v2_year_date(peers):
    p = peers["trino_v2_year_date"]
    want = [{"c1": 1, "c2": "2025-03-03", "c3": 0.0}, {"c1": 2, "c2": "2024-03-03", "c3": 0.0},
            {"c1": 3, "c2": "2025-03-03", "c3": 0.0}]
    assert sorted_rows(p.rows()) == sorted_rows(want)
    assert p.count("--where", "c2 < date '2025-01-01'") == 1
    assert p.count("--snapshot", 4795903818150143955) == 0


def test_pyiceberg_v2_day_map(peers):
    p = peers["pyiceberg_v2_day_map"]
    want = [{"timestamp": "2026-01-01T00:00:00.000000+00:00", "input": "hello",
             "output": "world", "metadata": {"key": "value1"}},
            {"timestamp": "2026-01-02T00:00:00.000000+00:00", "input": "hello",
             "output": "world", "metadata": {"key": "value1"}}]
    assert sorted_rows(p.rows()) == sorted_rows(want)
    where = ("\"timestamp\" >= timestamptz '2026-01-01T00:00:00Z' and "
             "\"timestamp\" < timestamptz '2026-01-02T00:00:00Z'")
    assert p.rows("--where", where) == want[:1]
    assert p.rows("--snapshot", 8792170059756986233) == want[:1]
    # Also by its metadata file, named directly.
    current = "metadata/00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json"
    assert p.count(target=p.folder / current) == 2


def test_spark_v2_rename_bucket(peers):
    p = peers["spark_v2_rename_bucket"]
    want = [{"id": 3, "name": "Cottontail", "event_date": None, "price": "0.00", "active": True},
            {"id": 4, "name": "Thumper", "event_date": "2022-01-02", "price": "99999999.99",
             "active": False},
            {"id": 1, "name": "Flopsy 🐇", "event_date": "2022-01-01", "price": "9.99",
             "active": True},
            {"id": 2, "name": "Mopsy–Naïve", "event_date": "2022-01-01", "price": "-5.00",
             "active": False}]
    assert sorted_rows(p.rows()) == sorted_rows(want)
    assert p.count("--where", "event_date = date '2022-01-01'") == 2
    assert p.count("--where", "event_date is null") == 1
    assert p.count("--where", "id = 4") == 1  # bucket[4](id) pruning, Spark's buckets
    # The older metadata file names the column `date`.
    old = [{("date" if k == "event_date" else k): v for k, v in r.items()} for r in want]
    v2 = p.folder / "metadata" / "v2.metadata.json"
    assert sorted_rows(p.rows(target=v2)) == sorted_rows(old)


# ---------------------------------------------------------------- time travel

def test_spark_v3_deletion_vectors_time_travel(peers):
    p = peers["spark_v3_deletion_vectors"]
    assert (p.folder / "metadata" / "version-hint.text").read_bytes() == b""
    sid = 2700858159721908397
    assert sorted(r["i"] for r in p.rows("--snapshot", sid)) == [1, 2, 3, 4, 5]
    assert p.count("--snapshot", sid) == 5
    # --as-of the commit time of that snapshot (and the next one is later).
    md = p.metadata("v3.metadata.json")
    snaps = {s["snapshot-id"]: s for s in md["snapshots"]}
    ts = snaps[sid]["timestamp-ms"]
    later = [s["timestamp-ms"] for s in md["snapshots"] if s["timestamp-ms"] > ts]
    assert later and min(later) > ts
    assert p.count("--as-of", ts) == 5


def test_spark_v2_posdelete_addcol_time_travel(peers):
    p = peers["spark_v2_posdelete_addcol"]
    first = {"Breed Name": "Holland Lop", "Average Weight": 1.8, "Fur Length": 3.0,
             "Lifespan": 7, "Origin Country": "The Netherlands", "Ear Type": "Lop",
             "Temperament": "Friendly", "Popularity Rank": 1}
    v1 = p.folder / "metadata" / "v1.metadata.json"
    rows = p.rows(target=v1)
    assert len(rows) == 21 and p.count(target=v1) == 21
    assert first in rows
    # Time travel from the current metadata to the first snapshot reads it
    # with that snapshot's schema, as Spark does (breed_name_length came later).
    rows = p.rows("--snapshot", 7505300640432048841)
    assert len(rows) == 21
    assert first in rows
    assert all(set(r) == set(first) for r in rows)
    assert p.count("--snapshot", 7505300640432048841) == 21
    assert p.count("--snapshot", 7505300640432048841,
                   "--where", "\"Breed Name\" = 'Holland Lop'") == 1


# ---------------------------------------------------------------- live delete files

BUNNIES = "s3a://hyperparam-iceberg/spark/bunnies"


def test_spark_position_delete_is_applied(peers):
    """v3 of the bunnies table: a merge-on-read DELETE wrote a position delete
    for position 0 of the only data file (Holland Lop)."""
    p = peers["spark_v2_posdelete_addcol"]
    v3 = p.folder / "metadata" / "v3.metadata.json"
    rows = p.rows(target=v3)
    assert len(rows) == 20 and p.count(target=v3) == 20
    assert "Holland Lop" not in {r["Breed Name"] for r in rows}
    first = rows[0]
    assert (first["Breed Name"], first["Average Weight"], first["Popularity Rank"]) == \
        ("Netherland Dwarf", 0.9, 2)
    # Time travel from the current metadata to the same snapshot.
    assert p.count("--snapshot", 469881615898633426) == 20
    # The deleted row's position and file, through the metadata columns.
    live = p.rows("--select", "_file,_pos,Breed Name", target=v3)
    assert sorted(r["_pos"] for r in live) == list(range(1, 21))
    assert all(r["_file"].startswith(BUNNIES + "/data/") for r in live)


def test_spark_position_delete_of_a_removed_file_is_ignored(peers):
    """The current snapshot rewrote the data file; the old position delete stays
    live but references the removed file only."""
    p = peers["spark_v2_posdelete_addcol"]
    rows = p.rows()
    assert len(rows) == 20 and p.count() == 20
    assert rows[0]["Breed Name"] == "Netherland Dwarf" and rows[0]["breed_name_length"] == 16
    assert p.count("--where", "\"Breed Name\" = 'Holland Lop'") == 0


def test_deletion_vectors_are_applied(peers):
    p = peers["spark_v3_deletion_vectors"]
    assert sorted(r["i"] for r in p.rows()) == [1, 3, 5]
    assert p.count() == 3
    assert p.count("--where", "i >= 2") == 2
    assert sorted(r["i"] for r in p.rows("--where", "i < 4")) == [1, 3]
    # Every surviving row is position 0 of a single-row file.
    assert {r["_pos"] for r in p.rows("--select", "_pos,i")} == {0}


def test_flink_equality_deletes_are_applied(peers):
    p = peers["flink_v2_eqdelete_partitioned"]
    expected = [(1, "str1", "2023-12-24"), (2, "str2", "2023-12-24"),
                (333333, "str3", "2023-12-24"), (4, "str4", "2023-12-24"),
                (1, "str1", "2023-12-25"), (222, "str2", "2023-12-25")]
    rows = sorted(((r["i"], r["s"], r["d"]) for r in p.rows()), key=lambda r: (r[2], r[1]))
    assert rows == expected
    assert p.count() == 6
    assert p.count("--where", "d = date '2023-12-25'") == 2
    assert sorted(r["i"] for r in p.rows("--where", "s = 'str3'")) == [333333]
    # Partition metadata columns.
    parts = {(r["s"], r["_spec_id"], r["_partition"]["d"])
             for r in p.rows("--select", "s,_spec_id,_partition", "--where", "i > 100")}
    assert parts == {("str3", 0, "2023-12-24"), ("str2", 0, "2023-12-25")}


def test_flink_every_snapshot_has_the_recipe_counts(peers):
    """Every Flink commit added data and an equality-delete file with the same
    sequence number; each snapshot returns the rows of the recipe."""
    p = peers["flink_v2_eqdelete_partitioned"]
    recipe = {3217166167862484560: 3, 7564375228633944060: 5, 3979814664665937114: 6,
              4821964189199835313: 6}
    for sid, n in recipe.items():
        assert p.count("--snapshot", sid) == n, sid
        assert len(p.rows("--snapshot", sid)) == n, sid
    at3 = {(r["i"], r["s"], r["d"]) for r in p.rows("--snapshot", 3979814664665937114)}
    assert (3, "str3", "2023-12-24") not in at3 and (333333, "str3", "2023-12-24") in at3
    assert (2, "str2", "2023-12-25") in at3
