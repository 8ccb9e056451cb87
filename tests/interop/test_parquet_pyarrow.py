"""pyarrow reads the Parquet files Floe writes through parquet-arrow: zstd,
Iceberg field ids on every node, the spec's logical types."""
import os
import subprocess

import pyarrow.parquet as pq

from conftest import BUILD


def field_ids(schema):
    """{path: field_id} for every Parquet schema node that has one."""
    out = {}
    for i in range(len(schema)):
        col = schema.column(i)
        out[col.path] = col.logical_type
    return out


def test_pyarrow_reads_floe_parquet_with_field_ids(tmp_path):
    env = dict(os.environ, FLOE_TEST_OUTPUT_DIR=str(tmp_path))
    subprocess.run([str(BUILD / "src" / "floe" / "data" / "floe_data_test"),
                    "--gtest_filter=ParquetFieldIds.*"], check=True, env=env,
                   capture_output=True)
    path = tmp_path / "field_ids.parquet"
    f = pq.ParquetFile(path)
    assert f.metadata.row_group(0).column(0).compression == "ZSTD"
    arrow_schema = f.schema_arrow
    ids = {field.name: int(field.metadata[b"PARQUET:field_id"]) for field in arrow_schema}
    assert ids == {"id": 1, "amount": 2, "big": 3, "day": 4, "at": 5, "local": 6, "tod": 7,
                   "name": 8, "key": 9, "tags": 10, "attrs": 12, "payload": 15}
    tags = arrow_schema.field("tags").type
    assert int(tags.value_field.metadata[b"PARQUET:field_id"]) == 11
    attrs = arrow_schema.field("attrs").type
    assert int(attrs.key_field.metadata[b"PARQUET:field_id"]) == 13
    assert int(attrs.item_field.metadata[b"PARQUET:field_id"]) == 14
    payload = arrow_schema.field("payload").type
    assert int(payload.field(0).metadata[b"PARQUET:field_id"]) == 16
    # Logical types: uuid, decimals stored as integers, UTC-adjusted timestamps.
    parquet_schema = f.schema
    by_path = {parquet_schema.column(i).path: parquet_schema.column(i)
               for i in range(len(parquet_schema))}
    assert str(by_path["key"].logical_type) == "UUID"
    assert by_path["amount"].physical_type == "INT64"
    assert by_path["big"].physical_type == "FIXED_LEN_BYTE_ARRAY"
    assert "isAdjustedToUTC=true" in str(by_path["at"].logical_type)
    assert "isAdjustedToUTC=false" in str(by_path["local"].logical_type)
    table = f.read()
    assert table.num_rows == 3
    assert table.column("name").to_pylist() == ["iceberg", "café", None]
    assert str(table.column("amount")[0]) == "14.20"


def test_pyarrow_reads_fixture_data_files(floe_tables):
    for version, table in floe_tables.items():
        files = sorted(table.glob("data/**/*.parquet"))
        assert files
        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
        assert rows == 8


def test_pyarrow_reads_files_of_the_parquet_writer(tmp_path):
    """ParquetWriter's files (every primitive type; nested lists, maps, structs)
    read back in pyarrow with their ids, and PyIceberg derives the same
    footer metrics (column sizes, value and null counts, split offsets)."""
    env = dict(os.environ, FLOE_TEST_OUTPUT_DIR=str(tmp_path))
    subprocess.run([str(BUILD / "src" / "floe" / "data" / "floe_data_test"),
                    "--gtest_filter=ParquetWriter.RoundTrips*"], check=True, env=env,
                   capture_output=True)
    flat = pq.ParquetFile(tmp_path / "writer_all_types.parquet")
    assert [int(f.metadata[b"PARQUET:field_id"]) for f in flat.schema_arrow] == list(range(1, 19))
    assert str(flat.schema_arrow.field("u").type) == "extension<arrow.uuid>"
    assert str(flat.schema_arrow.field("tsns").type) == "timestamp[ns]"
    assert flat.read().num_rows == 3
    assert b"iceberg.schema" in flat.metadata.metadata

    nested = pq.ParquetFile(tmp_path / "writer_nested.parquet")
    table = nested.read()
    assert table.num_rows == 6
    assert table.column("tags").to_pylist()[:4] == [["a", "b"], [], None, [None, "c"]]
    assert table.column("attrs").to_pylist()[0] == [("k", 1), ("l", None)]

    from pyiceberg.io.pyarrow import (compute_statistics_plan,
                                      data_file_statistics_from_parquet_metadata,
                                      parquet_path_to_id_mapping)
    from pyiceberg.schema import Schema
    schema = Schema.model_validate_json(nested.metadata.metadata[b"iceberg.schema"])
    stats = data_file_statistics_from_parquet_metadata(
        nested.metadata, compute_statistics_plan(schema, {}), parquet_path_to_id_mapping(schema))
    assert stats.record_count == 6
    assert stats.split_offsets == [4]
    # Leaves: 1 id, 3 source, 5/6 lat/lon, 8 tags, 11/12 points, 14/15 attrs,
    # 17/19 by_day, 22 matrix; value counts include the levels of lists.
    assert sorted(stats.value_counts) == [1, 3, 5, 6, 8, 11, 12, 14, 15, 17, 19, 22]
    assert stats.value_counts[8] == 8 and stats.null_value_counts[8] == 5
