"""Row-level deletes and upserts written by `floe delete` / `floe upsert` in
both strategies (copy-on-write, merge-on-read: v2 position deletes, v3
deletion vectors, equality deletes) read back identically by Floe, by
PyIceberg's SqlCatalog (where PyIceberg supports the delete kind) and by a
brute-force oracle computed here; and Floe reads PyIceberg's own upserts."""
import json

import pyarrow as pa
import pytest

from floe_cli import Warehouse, one_line_error

SCHEMA = "id long not null, cat string, amount double, day date"


def row(i, amount=None):
    return {"id": i, "cat": None if i % 7 == 3 else "abc"[i % 3],
            "amount": float(i) * 0.5 if amount is None else amount,
            "day": f"2024-06-{1 + i % 20:02d}"}


def write_ndjson(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def canon(rows):
    """Rows as sorted tuples, in `floe scan --format json` value form."""
    return sorted((r["id"], r["cat"], r["amount"], str(r["day"])) for r in rows)


def pyiceberg_rows(wh, table):
    arrow = wh.pyiceberg().load_table(table).scan().to_arrow()
    return canon(arrow.to_pylist())


CASES = [
    (2, "", "copy-on-write", False),
    (2, "", "merge-on-read", False),
    (2, "cat", "merge-on-read", False),
    (2, "bucket(4, id)", "merge-on-read", True),
    (3, "", "merge-on-read", False),
    (3, "day(day)", "merge-on-read", False),
    (3, "cat", "copy-on-write", False),
    (3, "", "merge-on-read", True),
]


@pytest.mark.parametrize("version,partition,mode,equality", CASES,
                         ids=[f"v{v}-{p or 'unpartitioned'}-{m}{'-equality' if e else ''}"
                              for v, p, m, e in CASES])
def test_deletes_and_upserts_read_identically(tmp_path, version, partition, mode, equality):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    args = ["create", "db.t", "--schema", SCHEMA, "--format-version", version,
            "--property", f"write.delete.mode={mode}", "--property", f"write.merge.mode={mode}"]
    if partition:
        args += ["--partition-by", partition]
    wh.run(*args)
    oracle = {i: row(i) for i in range(300)}
    wh.run("append", "db.t", write_ndjson(tmp_path / "a.json", list(oracle.values())))

    def check(step):
        want = canon(oracle.values())
        assert canon(wh.scan_json("db.t")) == want, step
        assert wh.count("db.t") == len(want), step
        assert wh.count("db.t", "--where", "cat = 'b'") == \
            sum(1 for r in oracle.values() if r["cat"] == "b"), step
        try:
            theirs = pyiceberg_rows(wh, "db.t")
        except Exception as e:  # noqa: BLE001 - only for the kind PyIceberg lacks
            assert equality, f"PyIceberg failed on {step}: {e!r}"
            assert "equality" in str(e).lower(), repr(e)
            return
        assert theirs == want, f"PyIceberg disagrees after {step}"

    out = wh.run("delete", "db.t", "--where", "id < 40 or id = 100").stdout
    for i in list(range(40)) + [100]:
        oracle.pop(i)
    if mode == "merge-on-read":
        assert "merge-on-read" in out, out
    check("delete 1")
    wh.run("delete", "db.t", "--where", "cat is null and id > 200")
    for i in [i for i, r in oracle.items() if r["cat"] is None and i > 200]:
        oracle.pop(i)
    check("delete 2 (same files again)")

    new = [row(i, amount=-1.0) for i in range(30, 60)] + [row(i, amount=-2.0) for i in range(295, 320)]
    extra = ["--equality-deletes"] if equality else []
    out = wh.run("upsert", "db.t", write_ndjson(tmp_path / "u.json", new), "--key", "id", *extra).stdout
    updated = sum(1 for r in new if r["id"] in oracle)
    for r in new:
        oracle[r["id"]] = r
    assert f"{len(new)} rows in" in out, out
    if not equality:
        assert f"{updated} updated, {len(new) - updated} inserted" in out, out
    check("upsert")
    wh.run("upsert", "db.t", write_ndjson(tmp_path / "u2.json", [row(45, amount=9.0)]),
           "--key", "id", *extra)
    oracle[45] = row(45, amount=9.0)
    check("upsert of an upserted row")


def test_upsert_refusals_are_one_line(tmp_path):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    wh.run("create", "db.t", "--schema", SCHEMA, "--format-version", "1",
           "--property", "write.delete.mode=merge-on-read")
    wh.run("append", "db.t", write_ndjson(tmp_path / "a.json", [row(i) for i in range(10)]))
    before = wh.state("db.t")
    err = one_line_error(wh.run("delete", "db.t", "--where", "id = 1", check=False))
    assert "format version 1" in err and "copy-on-write" in err, err
    dup = write_ndjson(tmp_path / "dup.json", [row(1), row(2), row(1)])
    err = one_line_error(wh.run("upsert", "db.t", dup, "--key", "id", check=False))
    assert "id=1" in err and "once" in err, err
    err = one_line_error(wh.run("upsert", "db.t", dup, check=False))
    assert "--key" in err, err
    err = one_line_error(wh.run("upsert", "db.t", dup, "--key", "nope", check=False))
    assert "nope" in err, err
    assert wh.state("db.t") == before


def test_floe_reads_pyiceberg_upserts_and_overwrites(tmp_path):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    cat = wh.pyiceberg()
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("v", pa.string())])
    from pyiceberg.schema import Schema
    from pyiceberg.types import LongType, NestedField, StringType
    t = cat.create_table("db.p", schema=Schema(
        NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType()),
        identifier_field_ids=[1]))
    t.append(pa.table({"id": list(range(100)), "v": [f"a{i}" for i in range(100)]}, schema=schema))
    res = t.upsert(pa.table({"id": list(range(90, 110)), "v": [f"u{i}" for i in range(90, 110)]},
                            schema=schema))
    assert res.rows_updated == 10 and res.rows_inserted == 10
    t.delete("id < 5")
    rows = {r["id"]: r["v"] for r in wh.scan_json("db.p")}
    want = {i: (f"u{i}" if i >= 90 else f"a{i}") for i in range(5, 110)}
    assert rows == want
    assert wh.count("db.p") == len(want)
    # And PyIceberg reads Floe's upsert on top.
    wh.run("upsert", "db.p", write_ndjson(tmp_path / "f.json", [{"id": 7, "v": "floe"}]))
    t = cat.load_table("db.p")
    got = {r["id"]: r["v"] for r in t.scan().to_arrow().to_pylist()}
    want[7] = "floe"
    assert got == want


def test_equality_deletes_on_a_dropped_column_still_apply(tmp_path):
    """Spec (Equality Delete Files): a delete column later dropped from the
    schema must still be used when applying the deletes."""
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    wh.run("create", "db.t", "--schema", "id long not null, v string",
           "--property", "write.merge.mode=merge-on-read")
    wh.run("append", "db.t", write_ndjson(tmp_path / "a.json", [{"id": i, "v": f"a{i}"} for i in range(6)]))
    wh.run("upsert", "db.t", write_ndjson(tmp_path / "u.json", [{"id": 2, "v": "new"}]),
           "--key", "id", "--equality-deletes")
    wh.run("alter", "db.t", "drop column id")
    assert sorted(r["v"] for r in wh.scan_json("db.t")) == ["a0", "a1", "a3", "a4", "a5", "new"]
    assert wh.count("db.t") == 6
