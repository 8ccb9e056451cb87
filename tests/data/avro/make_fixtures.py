#!/usr/bin/env python3
"""Writes the fastavro fixtures read by src/floe/avro/fastavro_interop_test.cc.

Run from the repository root with the project's virtualenv:
    .venv/bin/python tests/data/avro/make_fixtures.py
Needs fastavro plus the codec modules it imports lazily: cramjam (snappy)
and backports.zstd (zstandard on Python < 3.14); neither is in
scripts/requirements.txt, since only this script uses them. The output is
deterministic: a fixed sync marker, fixed records, fixed compression levels.
The C++ test repeats RECORDS below; change both together.
"""
import os
import sys

import fastavro

HERE = os.path.dirname(os.path.abspath(__file__))
SYNC = bytes(range(0x10, 0x20))  # fixed so that the files are reproducible

# Iceberg-style attributes: field-id, element-id, key-id/value-id,
# adjust-to-utc, a non-string-key map (array with logicalType "map"), a named
# type defined once and referenced by name later.
SCHEMA = {
    "type": "record",
    "name": "fixture_record",
    "namespace": "floe.test",
    "doc": "fastavro interop fixture",
    "fields": [
        {"name": "id", "type": "long", "field-id": 1},
        {"name": "name", "type": "string", "field-id": 2},
        {"name": "flag", "type": "boolean", "field-id": 3},
        {"name": "score", "type": "double", "field-id": 4},
        {"name": "ratio", "type": "float", "field-id": 5},
        {"name": "small", "type": "int", "field-id": 6},
        {"name": "payload", "type": "bytes", "field-id": 7},
        {"name": "digest", "type": {"type": "fixed", "name": "fixed_4", "size": 4}, "field-id": 8},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros",
                                "adjust-to-utc": True}, "field-id": 9},
        {"name": "opt", "type": ["null", "long"], "default": None, "field-id": 10},
        {"name": "tags", "type": {"type": "array", "items": "string", "element-id": 11},
         "field-id": 12},
        {"name": "counts", "type": {"type": "map", "values": "long", "key-id": 13,
                                    "value-id": 14}, "field-id": 15},
        {"name": "nested", "type": ["null", {
            "type": "record", "name": "r16", "fields": [
                {"name": "a", "type": "int", "field-id": 17},
                {"name": "b", "type": ["null", "string"], "default": None, "field-id": 18},
            ]}], "default": None, "field-id": 16},
        {"name": "nested_list", "type": {"type": "array", "items": "r16", "element-id": 19},
         "field-id": 20},
        {"name": "kind", "type": {"type": "enum", "name": "kind_enum",
                                  "symbols": ["A", "B", "C"]}, "field-id": 21},
        {"name": "int_map", "type": {"type": "array", "logicalType": "map", "items": {
            "type": "record", "name": "k22_v23", "fields": [
                {"name": "key", "type": "int", "field-id": 22},
                {"name": "value", "type": ["null", "bytes"], "field-id": 23},
            ]}}, "field-id": 24},
    ],
}

IDS = [0, -1, 2**63 - 1, -2**63, 123456789012, -42, 7]
NAMES = ["", "a", "h\u00e9llo \U0001F600", "x" * 200, "iceberg", "floe", "z"]
SCORES = [0.0, -1.5, 1e300, -2.5e-300, 3.141592653589793, float("inf"), 42.0]
RATIOS = [0.5, -1.25, 0.0, 1024.0, -0.0, float("-inf"), 3.0]
SMALLS = [0, -1, 2**31 - 1, -2**31, 64, -65, 300]


def record(i):
    return {
        "id": IDS[i],
        "name": NAMES[i],
        "flag": i % 2 == 0,
        "score": SCORES[i],
        "ratio": RATIOS[i],
        "small": SMALLS[i],
        "payload": bytes(range(i * 3)),
        "digest": bytes([i, i + 1, 0, 255]),
        "ts": 1510871468000000 + i,
        "opt": None if i % 3 == 0 else i * 100,
        "tags": ["t%d" % j for j in range(i)],
        "counts": {"k%d" % j: j * j - i for j in range(i % 4)},
        "nested": None if i % 2 else {"a": i, "b": None if i == 0 else "b%d" % i},
        "nested_list": [{"a": j, "b": "n%d" % j} for j in range(i % 3)],
        "kind": "ABC"[i % 3],
        "int_map": [{"key": j, "value": None if j % 2 else bytes([j])} for j in range(i % 3)],
    }


RECORDS = [record(i) for i in range(len(IDS))]
CODECS = {"null": None, "deflate": 6, "snappy": None, "zstandard": 3}


def main():
    parsed = fastavro.parse_schema(SCHEMA)
    for codec, level in CODECS.items():
        path = os.path.join(HERE, "fixture_%s.avro" % codec)
        with open(path, "wb") as f:
            # A small sync_interval cuts the 7 records into several blocks.
            fastavro.writer(f, parsed, RECORDS, codec=codec, sync_interval=300,
                            metadata={"floe.fixture": codec, "format-version": "2"},
                            sync_marker=SYNC, codec_compression_level=level)
        with open(path, "rb") as f:
            back = list(fastavro.reader(f, return_record_name=False))
        assert len(back) == len(RECORDS), path
        print("%s: %d bytes" % (os.path.relpath(path), os.path.getsize(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
