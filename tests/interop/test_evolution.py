"""Schema, partition and sort-order evolution with `floe alter`, read back
identically by PyIceberg; tables PyIceberg evolves read identically by Floe;
refused changes fail with one line and leave the table as it was."""
import datetime
import json

import pyarrow as pa
import pytest

from floe_cli import Warehouse, one_line_error


def ndjson(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def norm(rows):
    """Rows as sorted tuples of (column, value) in column order; timestamps in
    `floe scan --format json` form."""
    def text(v):
        if v is None:
            return None
        if isinstance(v, datetime.datetime):
            return v.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return str(v)
    return sorted((tuple((k, text(v)) for k, v in r.items()) for r in rows), key=repr)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_pyiceberg_reads_floe_evolved_tables(tmp_path, version):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    wh.run("create", "db.t", "--schema", "id long not null, name string, n int, ts timestamp",
           "--partition-by", "day(ts)", "--format-version", version)
    wh.run("append", "db.t", ndjson(tmp_path / "a.json", [
        {"id": 1, "name": "a", "n": 1, "ts": "2024-06-01T10:00:00"},
        {"id": 2, "name": "b", "n": None, "ts": "2024-06-02T10:00:00"}]))
    wh.run("alter", "db.t", "add column region string after id", "rename column name to label",
           "alter column n type long", "add partition field bucket(4, id)")
    wh.run("append", "db.t", ndjson(tmp_path / "b.json", [
        {"id": 3, "region": "eu", "label": "c", "n": 7000000000, "ts": "2024-06-03T10:00:00"}]))
    changes = ["drop partition field ts_day", "write ordered by id desc"]
    wh.run("alter", "db.t", *changes)
    if version == 1:  # v1 keeps removed partition fields (void) and their sources
        err = one_line_error(wh.run("alter", "db.t", "drop column ts", check=False))
        assert "format v1" in err, err
        wh.run("alter", "db.t", "move column n first", "rename column ts to ts_old")
    else:
        wh.run("alter", "db.t", "move column n first", "drop column ts")
    # One change typed as plain words, as a user would.
    wh.run("alter", "db.t", "add", "column", "note", "string", "comment", "'typed unquoted'")
    err = one_line_error(wh.run("alter", "db.t", "add", "column", "x", "int", "drop column n", check=False))
    assert "quote each change" in err, err
    wh.run("append", "db.t", ndjson(tmp_path / "c.json", [
        {"id": 4, "region": "us", "label": "d", "n": 4, "note": "hi"}]))

    floe_rows = wh.scan_json("db.t")
    t = wh.pyiceberg().load_table("db.t")
    py_rows = t.scan().to_arrow().to_pylist()
    tail = ["ts_old"] if version == 1 else []
    assert [f.name for f in t.schema().fields] == ["n", "id", "region", "label", *tail, "note"]
    assert t.schema().find_field("note").doc == "typed unquoted"
    assert norm(py_rows) == norm(floe_rows)
    assert sorted(r["id"] for r in floe_rows) == [1, 2, 3, 4]
    assert {r["id"]: r["n"] for r in floe_rows} == {1: 1, 2: None, 3: 7000000000, 4: 4}
    assert {r["id"]: r["region"] for r in floe_rows} == {1: None, 2: None, 3: "eu", 4: "us"}
    # Field ids: renamed keeps its id; added columns get new ones.
    ids = {f.name: f.field_id for f in t.schema().fields}
    assert ids == {"id": 1, "label": 2, "n": 3, "region": 5, "note": 6, **({"ts_old": 4} if tail else {})}
    # Partition specs as PyIceberg sees them.
    specs = {s.spec_id: [(f.name, str(f.transform)) for f in s.fields] for s in t.specs().values()}
    assert specs[0] == [("ts_day", "day")]
    if version == 1:
        assert [str(f.transform) for f in t.spec().fields] == ["void", "bucket[4]"]
    else:
        assert [(f.name, str(f.transform)) for f in t.spec().fields] == [("id_bucket", "bucket[4]")]
    assert [(f.source_id, f.direction.name) for f in t.sort_order().fields] == [(1, "DESC")]
    # Filters prune and agree across specs.
    assert wh.count("db.t", "--where", "id >= 2 and id <= 3") == 2
    assert len(t.scan(row_filter="id >= 2 and id <= 3").to_arrow()) == 2


def test_floe_reads_pyiceberg_evolved_tables(tmp_path):
    from pyiceberg.schema import Schema
    from pyiceberg.transforms import BucketTransform, DayTransform
    from pyiceberg.types import (DoubleType, FloatType, IntegerType, LongType, NestedField,
                                 StringType, TimestampType)
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    cat = wh.pyiceberg()
    t = cat.create_table("db.p", schema=Schema(
        NestedField(1, "id", LongType(), required=True), NestedField(2, "name", StringType()),
        NestedField(3, "n", IntegerType()), NestedField(4, "f", FloatType()),
        NestedField(5, "ts", TimestampType())))
    arrow1 = pa.table({"id": pa.array([1, 2], pa.int64()), "name": ["a", "b"],
                       "n": pa.array([1, None], pa.int32()), "f": pa.array([0.5, 1.5], pa.float32()),
                       "ts": pa.array([1717236000000000, 1717322400000000], pa.timestamp("us"))},
                      schema=t.schema().as_arrow())
    t.append(arrow1)
    with t.update_schema() as u:
        u.add_column("region", StringType())
        u.rename_column("name", "label")
        u.update_column("n", LongType())
        u.update_column("f", DoubleType())
        u.move_first("region")
    with t.update_spec() as u:
        u.add_field("ts", DayTransform(), "ts_day")
        u.add_field("id", BucketTransform(4), "id_b")
    t = cat.load_table("db.p")
    t.append(pa.table({"region": ["eu"], "id": pa.array([3], pa.int64()), "label": ["c"],
                       "n": pa.array([7000000000], pa.int64()), "f": pa.array([2.5]),
                       "ts": pa.array([1717408800000000], pa.timestamp("us"))},
                      schema=t.schema().as_arrow()))
    with t.update_schema() as u:
        u.delete_column("label")
    t = cat.load_table("db.p")
    floe_rows = wh.scan_json("db.p")
    py_rows = t.scan().to_arrow().to_pylist()
    assert norm(floe_rows) == norm(py_rows)
    assert list(floe_rows[0].keys()) == ["region", "id", "n", "f", "ts"]
    assert wh.count("db.p", "--where", "ts >= timestamp '2024-06-03T00:00:00'") == 1
    # Floe appends to the PyIceberg-evolved table with its newest spec.
    wh.run("append", "db.p", ndjson(tmp_path / "d.json", [
        {"region": "us", "id": 4, "n": 4, "f": 4.5, "ts": "2024-06-04T10:00:00"}]))
    t = cat.load_table("db.p")
    assert sorted(r["id"] for r in t.scan().to_arrow().to_pylist()) == [1, 2, 3, 4]
    bucket = BucketTransform(4).transform(LongType())(4)
    assert (1, f"ts_day=2024-06-04/id_b={bucket}") in {(n, p) for n, p, _ in wh.files("db.p")}


def test_refused_changes_are_one_line_and_change_nothing(tmp_path):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    wh.run("create", "db.t", "--schema", "id long not null, name string, n long",
           "--partition-by", "bucket(4, id)")
    before = wh.state("db.t")
    for change, says in [("alter column n type int", "promotions"),
                         ("drop column id", "partition field"),
                         ("add column name string", "already exists"),
                         ("alter column name set not null", "required"),
                         ("add column x int not null", "default"),
                         ("frobnicate the table", "expected add, drop"),
                         ("add partition field bucket(4, id)", "already partitioned")]:
        err = one_line_error(wh.run("alter", "db.t", change, check=False))
        assert says in err, (change, err)
    assert wh.state("db.t") == before
