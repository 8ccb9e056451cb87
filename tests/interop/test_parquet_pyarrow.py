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
