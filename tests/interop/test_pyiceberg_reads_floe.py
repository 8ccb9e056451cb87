"""PyIceberg's own readers (metadata JSON, manifest lists, manifests, and a
full scan through its PyArrow reader) read what Floe writes, with equal
content."""
import datetime
import json

import pyarrow as pa
import pytest
from pyiceberg.io.pyarrow import PyArrowFileIO
from pyiceberg.manifest import ManifestContent, read_manifest_list
from pyiceberg.serializers import FromInputFile
from pyiceberg.table import StaticTable
from pyiceberg.types import DateType

from conftest import inspect_json
from normalize import hexed, int_map, value

IO = PyArrowFileIO()


def expected(table):
    return json.loads((table / "expected.json").read_text())


@pytest.mark.parametrize("version", [1, 2, 3])
def test_metadata_json(floe_tables, version):
    exp = expected(floe_tables[version])
    md = FromInputFile.table_metadata(IO.new_input(exp["metadata"]))
    ours = inspect_json(exp["metadata"])["metadata"]
    assert md.format_version == version
    assert str(md.table_uuid) == ours["table-uuid"]
    assert md.location == ours["location"]
    assert md.current_snapshot_id == ours["current-snapshot-id"]
    assert [s.snapshot_id for s in md.snapshots] == [s["snapshot-id"] for s in ours["snapshots"]]
    assert md.last_column_id == ours["last-column-id"]
    schema = md.schema()
    assert [(f.field_id, f.name, f.required) for f in schema.fields] == \
        [(f["id"], f["name"], f["required"]) for f in ours["schemas"][0]["fields"]]
    assert schema.identifier_field_ids == [1]
    spec = md.spec()
    assert [(f.source_id, f.field_id, f.name, str(f.transform)) for f in spec.fields] == \
        [(f["source-id"], f["field-id"], f["name"], f["transform"])
         for f in ours["partition-specs"][0]["fields"]]
    assert md.refs["main"].snapshot_id == ours["current-snapshot-id"]
    if version >= 2:
        assert md.last_sequence_number == 2
    if version >= 3:
        assert md.next_row_id == 8


@pytest.mark.parametrize("version", [1, 2, 3])
def test_manifest_lists_and_manifests(floe_tables, version):
    exp = expected(floe_tables[version])
    md = FromInputFile.table_metadata(IO.new_input(exp["metadata"]))
    entries_seen = 0
    partition_type = md.spec().partition_type(md.schema())
    for snap in md.snapshots:
        ours_list = inspect_json(snap.manifest_list.removeprefix("file://"))["manifests"]
        theirs_list = list(read_manifest_list(IO.new_input(snap.manifest_list)))
        assert len(theirs_list) == len(ours_list)
        for o, t in zip(ours_list, theirs_list):
            assert t.manifest_path == o["manifest_path"]
            assert t.manifest_length == o["manifest_length"]
            assert t.content == ManifestContent.DATA
            assert t.sequence_number == o["sequence_number"]
            assert t.min_sequence_number == o["min_sequence_number"]
            assert t.added_snapshot_id == o["added_snapshot_id"]
            assert (t.added_files_count, t.existing_files_count, t.deleted_files_count) == \
                (o["added_files_count"], o["existing_files_count"], o["deleted_files_count"])
            assert (t.added_rows_count, t.existing_rows_count, t.deleted_rows_count) == \
                (o["added_rows_count"], o["existing_rows_count"], o["deleted_rows_count"])
            assert [(p.contains_null, p.contains_nan, hexed(p.lower_bound), hexed(p.upper_bound))
                    for p in t.partitions] == \
                [(p["contains_null"], p["contains_nan"], p["lower_bound"], p["upper_bound"])
                 for p in o["partitions"]]
            ours_m = inspect_json(t.manifest_path.removeprefix("file://"))
            theirs_m = t.fetch_manifest_entry(IO, discard_deleted=False)
            assert len(theirs_m) == len(ours_m["entries"])
            for oe, te in zip(ours_m["entries"], theirs_m):
                entries_seen += 1
                assert te.status.value == oe["status"]
                # PyIceberg applies inheritance; Floe's inspect shows what is stored.
                assert te.snapshot_id == (oe["snapshot_id"] or t.added_snapshot_id)
                if version >= 2:
                    assert te.sequence_number == (oe["sequence_number"] or t.sequence_number)
                df, odf = te.data_file, oe["data_file"]
                assert df.file_path == odf["file_path"]
                assert df.file_format.value == odf["file_format"]
                # PyIceberg keeps date partition values as day numbers.
                got_partition = [
                    (datetime.date(1970, 1, 1) + datetime.timedelta(days=v)).isoformat()
                    if isinstance(f.field_type, DateType) and v is not None else value(v)
                    for f, v in zip(partition_type.fields, df.partition)]
                assert got_partition == list(odf["partition"].values())
                assert df.record_count == odf["record_count"]
                assert df.file_size_in_bytes == odf["file_size_in_bytes"]
                assert int_map(df.value_counts) == odf["value_counts"]
                assert int_map(df.null_value_counts) == odf["null_value_counts"]
                assert int_map(df.lower_bounds) == odf["lower_bounds"]
                assert int_map(df.upper_bounds) == odf["upper_bounds"]
    assert entries_seen >= 8


def normalized_rows(table):
    """Rows as JSON-like dicts, sorted by id, with Arrow values made comparable
    to the JSON the fixture writer recorded."""
    out = []
    for row in table.to_pylist():
        r = {}
        for k, v in row.items():
            if isinstance(v, datetime.datetime):
                epoch = datetime.datetime(1970, 1, 1, tzinfo=v.tzinfo)
                v = (v - epoch) // datetime.timedelta(microseconds=1)
            elif isinstance(v, datetime.date):
                v = (v - datetime.date(1970, 1, 1)).days
            elif isinstance(v, datetime.time):
                v = ((v.hour * 60 + v.minute) * 60 + v.second) * 1000000 + v.microsecond
            elif isinstance(v, (bytes, bytearray)):
                v = bytes(v).decode("latin-1")
            elif hasattr(v, "as_tuple"):  # Decimal
                v = str(v)
            elif isinstance(v, list) and v and isinstance(v[0], tuple):  # map
                v = [list(kv) for kv in v]
            r[k] = v
        out.append(r)
    return sorted(out, key=lambda r: r["id"])


@pytest.mark.parametrize("version", [1, 2, 3])
def test_pyiceberg_scans_floe_table(floe_tables, version):
    exp = expected(floe_tables[version])
    table = StaticTable.from_metadata(exp["metadata"])
    arrow = table.scan().to_arrow()
    if "ts_ns" in arrow.column_names:
        # Nanosecond timestamps compare as integers.
        arrow = arrow.set_column(arrow.column_names.index("ts_ns"), "ts_ns",
                                 arrow.column("ts_ns").cast(pa.int64()))
    want = sorted(exp["rows"], key=lambda r: r["id"])
    for r in want:
        if r.get("u") is not None:
            r["u"] = r["u"]  # uuid bytes as text, compared below after decoding
    got = normalized_rows(arrow)
    assert len(got) == len(want) == 8
    for g, w in zip(got, want):
        for k, wv in w.items():
            gv = g[k]
            if k == "u" and gv is not None:
                gv = gv if isinstance(gv, str) else str(gv)
                wv = wv
                if not isinstance(g[k], str):  # uuid.UUID from PyIceberg
                    gv = g[k].bytes.decode("latin-1")
            assert gv == wv, (k, gv, wv)
    # Time travel to the first snapshot, and a pruned filtered scan.
    first = exp["snapshots"][0]
    assert table.scan(snapshot_id=first["snapshot_id"]).to_arrow().num_rows == first["rows"]
    cutoff = 1704153600000000  # 2024-01-02T00:00:00Z
    expected_filtered = sum(1 for r in exp["rows"] if r["ts"] is not None and r["ts"] >= cutoff)
    scan = table.scan(row_filter="ts >= '2024-01-02T00:00:00+00:00'")
    assert scan.to_arrow().num_rows == expected_filtered
    assert len(list(scan.plan_files())) < len(list(table.scan().plan_files()))
