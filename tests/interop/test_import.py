"""Tables over existing Parquet files (`floe import`, `floe add-files`):
files written by pyarrow without field ids are read through the name mapping
Floe writes, by Floe and by PyIceberg, also after renames; bad files are
refused with one line and the user's files are never touched."""
import hashlib

import pyarrow as pa
import pyarrow.parquet as pq

from floe_cli import Warehouse, one_line_error


def write(path, ids, day):
    pq.write_table(pa.table({"id": pa.array(ids, pa.int64()),
                             "name": [f"n{i}" for i in ids],
                             "day": [day] * len(ids),
                             "v": pa.array([float(i) if i % 9 else None for i in ids])}), path)
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_and_add_files_read_by_floe_and_pyiceberg(tmp_path):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    f0 = write(tmp_path / "f0.parquet", list(range(0, 100)), "2024-06-01")
    f1 = write(tmp_path / "f1.parquet", list(range(100, 200)), "2024-06-02")
    before = {f: digest(f) for f in (f0, f1)}
    out = wh.run("import", "db.t", f0, f1, "--partition-by", "day").stdout
    assert "2 files, 200 rows" in out, out
    assert wh.count("db.t") == 200
    assert wh.count("db.t", "--where", "id >= 150") == 50
    # Pruning by the partition and by footer metrics.
    explain = wh.run("scan", "db.t", "--where", "day = '2024-06-02' and id < 103", "--explain").stdout
    assert "1 skipped by partition" in explain, explain
    files = wh.files("db.t")
    assert sorted(p for _, p, _ in files) == ["day=2024-06-01", "day=2024-06-02"]
    assert all(path.startswith("file:///") and path.endswith(".parquet") for _, _, path in files)

    wh.run("alter", "db.t", "rename column name to label", "add column extra int")
    f2 = write(tmp_path / "f2.parquet", [500, 501], "2024-06-03")
    wh.run("add-files", "db.t", f2)
    rows = {r["id"]: r for r in wh.scan_json("db.t")}
    assert len(rows) == 202
    assert rows[501]["label"] == "n501" and rows[501]["extra"] is None and rows[9]["v"] is None
    t = wh.pyiceberg().load_table("db.t")
    py = {r["id"]: r for r in t.scan().to_arrow().to_pylist()}
    assert py.keys() == rows.keys()
    assert all(py[i]["label"] == rows[i]["label"] and py[i]["v"] == rows[i]["v"] for i in rows)
    assert {f: digest(f) for f in (f0, f1)} == before  # read in place, never rewritten


def test_bad_files_are_refused_and_left_alone(tmp_path):
    wh = Warehouse(tmp_path)
    wh.run("namespace", "create", "db")
    f0 = write(tmp_path / "f0.parquet", [1, 2], "2024-06-01")
    wh.run("import", "db.t", f0, "--partition-by", "day")
    state = wh.state("db.t")
    err = one_line_error(wh.run("add-files", "db.t", f0, check=False))
    assert "already in table" in err, err
    mixed = tmp_path / "mixed.parquet"
    pq.write_table(pa.concat_tables([pq.read_table(f0), pq.read_table(
        write(tmp_path / "other.parquet", [3], "2024-06-02"))]), mixed)
    err = one_line_error(wh.run("add-files", "db.t", mixed, check=False))
    assert "2 partitions" in err and "append it instead" in err, err
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["not a number"]}), bad)
    err = one_line_error(wh.run("add-files", "db.t", bad, check=False))
    assert "bad.parquet" in err, err
    text = tmp_path / "notes.parquet"
    text.write_text("hello")
    err = one_line_error(wh.run("add-files", "db.t", text, check=False))
    assert "notes.parquet" in err, err
    assert wh.state("db.t") == state
    assert mixed.exists() and bad.exists() and text.exists()
