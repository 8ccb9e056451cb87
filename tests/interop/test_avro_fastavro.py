"""fastavro (an independent Avro implementation) reads every manifest and
manifest list -- Floe-written ones in every codec, and the peer tables' -- and
finds the same content `floe inspect --format json` prints."""
import glob
import json

import fastavro
import pytest

from conftest import inspect_json
from normalize import hexed, int_map, value

CONTENT = {0: "data", 1: "deletes"}


def read_avro(path):
    with open(path, "rb") as f:
        reader = fastavro.reader(f)
        return reader.metadata, reader.writer_schema, list(reader)


def check_manifest_list(path):
    meta, schema, records = read_avro(path)
    got = inspect_json(path)
    assert got["kind"] == "manifest-list"
    assert got["codec"] == meta.get("avro.codec", "null")
    for k, v in meta.items():
        if not k.startswith("avro."):
            assert got["metadata"][k] == v
    assert len(got["manifests"]) == len(records)
    for ours, theirs in zip(got["manifests"], records):
        # Old Java wrote *_data_files_count; field ids bind them the same.
        theirs = {k.replace("_data_files_count", "_files_count"): v for k, v in theirs.items()}
        assert ours["manifest_path"] == theirs["manifest_path"]
        assert ours["manifest_length"] == theirs["manifest_length"]
        assert ours["partition_spec_id"] == theirs["partition_spec_id"]
        assert ours["content"] == CONTENT[theirs.get("content", 0)]
        assert ours["sequence_number"] == theirs.get("sequence_number", 0)
        assert ours["min_sequence_number"] == theirs.get("min_sequence_number", 0)
        for k in ("added_snapshot_id", "added_files_count", "existing_files_count",
                  "deleted_files_count", "added_rows_count", "existing_rows_count",
                  "deleted_rows_count", "first_row_id"):
            assert ours[k] == theirs.get(k), k
        assert ours["key_metadata"] == hexed(theirs.get("key_metadata"))
        if theirs.get("partitions") is None:
            assert ours["partitions"] is None
        else:
            assert ours["partitions"] == [
                {"contains_null": s["contains_null"], "contains_nan": s.get("contains_nan"),
                 "lower_bound": hexed(s.get("lower_bound")),
                 "upper_bound": hexed(s.get("upper_bound"))} for s in theirs["partitions"]]
    return got


def check_manifest(path):
    meta, schema, records = read_avro(path)
    got = inspect_json(path)
    assert got["kind"] == "manifest"
    assert got["codec"] == meta.get("avro.codec", "null")
    assert len(got["entries"]) == len(records)
    for ours, theirs in zip(got["entries"], records):
        assert ours["status"] == theirs["status"]
        assert ours["snapshot_id"] == theirs.get("snapshot_id")
        assert ours["sequence_number"] == theirs.get("sequence_number")
        assert ours["file_sequence_number"] == theirs.get("file_sequence_number")
        o, t = ours["data_file"], theirs["data_file"]
        assert o["content"] == t.get("content", 0)
        assert o["file_path"] == t["file_path"]
        assert o["file_format"].lower() == t["file_format"].lower()
        assert list(o["partition"].values()) == [value(v) for v in t["partition"].values()]
        for k in ("record_count", "file_size_in_bytes", "split_offsets", "equality_ids",
                  "sort_order_id", "first_row_id", "referenced_data_file", "content_offset",
                  "content_size_in_bytes"):
            assert o[k] == t.get(k), k
        for k in ("column_sizes", "value_counts", "null_value_counts", "nan_value_counts",
                  "lower_bounds", "upper_bounds"):
            assert o[k] == int_map(t.get(k)), k
        assert o["key_metadata"] == hexed(t.get("key_metadata"))
    return got


def test_floe_written_files_read_by_fastavro(floe_tables):
    codecs = set()
    for version, table in floe_tables.items():
        for path in sorted(glob.glob(str(table / "metadata" / "*.avro"))):
            meta, schema, _ = read_avro(path)
            codecs.add(meta["avro.codec"])
            assert meta["format-version"] == str(version)
            if schema["name"] == "manifest_file":
                check_manifest_list(path)
            else:
                # The names Java writes, which name-binding readers rely on.
                assert schema["name"] == "manifest_entry"
                data_file = next(f for f in schema["fields"] if f["name"] == "data_file")["type"]
                assert data_file["name"] == "r2"
                partition = next(f for f in data_file["fields"] if f["name"] == "partition")
                assert partition["type"]["name"] == "r102"
                assert partition["field-id"] == 102
                assert json.loads(meta["partition-spec"])[0]["field-id"] == 1000
                assert meta["content"] == "data" if version >= 2 else "content" not in meta
                check_manifest(path)
    assert codecs == {"null", "deflate", "snappy", "zstandard"}


def peer_avro_files(peer_tables):
    return sorted(glob.glob(str(peer_tables / "*" / "metadata" / "*.avro")))


def test_floe_inspect_reads_every_peer_avro_file_like_fastavro(peer_tables):
    files = peer_avro_files(peer_tables)
    assert len(files) >= 40
    kinds = {"manifest": 0, "manifest-list": 0}
    for path in files:
        _, schema, _ = read_avro(path)
        got = check_manifest_list(path) if schema["name"] == "manifest_file" else check_manifest(path)
        kinds[got["kind"]] += 1
    assert kinds["manifest"] > 0 and kinds["manifest-list"] > 0


def test_floe_inspect_prints_every_peer_metadata_file(peer_tables):
    files = sorted(glob.glob(str(peer_tables / "*" / "metadata" / "*.metadata.json")))
    assert len(files) >= 30
    for path in files:
        original = json.load(open(path))
        got = inspect_json(path)["metadata"]
        assert got["format-version"] == original["format-version"]
        assert got["location"] == original["location"]
        assert [s["snapshot-id"] for s in got["snapshots"]] == \
            [s["snapshot-id"] for s in original.get("snapshots", [])]
        text = __import__("conftest").run_floe("inspect", path).stdout
        assert f"format-version      {original['format-version']}" in text
