"""Helpers for the `floe` CLI acceptance tests: a private warehouse + SQLite
catalog per test (or per module), running the CLI against it, and turning
Arrow tables (input data, PyIceberg results) into the JSON forms that
`floe scan --format json` prints, so both sides compare as plain values."""
import contextlib
import datetime
import decimal
import json
import math
import pathlib
import re
import sqlite3
import subprocess

import pyarrow as pa

from conftest import BUILD

FLOE = BUILD / "floe"
DATAGEN = BUILD / "floe-datagen"


def one_line_error(proc):
    """Asserts a failed run: non-zero exit and exactly one non-empty line on
    stderr; returns that line."""
    assert proc.returncode != 0, f"expected a failure, got exit 0; stdout:\n{proc.stdout}"
    err = proc.stderr.strip()
    assert err, "expected a message on stderr"
    assert "\n" not in err, f"expected a one-line message, got:\n{proc.stderr}"
    return err


class Warehouse:
    """A warehouse folder and its own SQLite catalog file under `root`."""

    def __init__(self, root, catalog_name="default"):
        self.root = pathlib.Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.path = self.root / "warehouse"
        self.db = self.root / "catalog.db"
        self.uri = f"sqlite:///{self.db}"  # sqlite:////abs/path
        self.catalog_name = catalog_name

    def global_args(self):
        return ["--catalog", self.uri, "--warehouse", str(self.path),
                "--catalog-name", self.catalog_name]

    def run(self, *args, check=True, prefix=(), path_maps=()):
        """Runs `floe` with this warehouse's catalog, in `root` (so that no
        default ./warehouse is ever created elsewhere)."""
        cmd = [*prefix, str(FLOE), *self.global_args()]
        for m in path_maps:
            cmd += ["--path-map", m]
        cmd += [str(a) for a in args]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    def scan_json(self, table, *args, path_maps=()):
        out = self.run("scan", table, "--format", "json", *args, path_maps=path_maps).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def count(self, table, *args, path_maps=()):
        out = self.run("count", table, *args, path_maps=path_maps).stdout.strip()
        assert re.fullmatch(r"\d+", out), f"floe count printed {out!r}"
        return int(out)

    def snapshots(self, table):
        """[(snapshot_id, parent_id or None, operation, total_rows)] from `floe snapshots`."""
        lines = self.run("snapshots", table).stdout.splitlines()
        assert lines and lines[0].split()[0] == "snapshot_id", lines
        out = []
        for line in lines[1:]:
            cols = line.split()
            # snapshot_id parent_id seq committed_at operation added total [refs]
            out.append((int(cols[0]), None if cols[1] == "-" else int(cols[1]), cols[4],
                        cols[6]))
        return out

    def snapshot_ids(self, table):
        return [s[0] for s in self.snapshots(table)]

    def files(self, table, *args):
        """[(records, partition, path)] of the data files `floe files` lists."""
        out = self.run("files", table, *args, "--format", "json").stdout
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        return [(r["record_count"], r["partition"] or "-", r["file_path"])
                for r in rows if r["content"] == "data"]

    def metadata_location(self, table):
        for line in self.run("describe", table).stdout.splitlines():
            if line.startswith("metadata "):
                return line.split(None, 1)[1]
        raise AssertionError("describe printed no metadata line")

    def catalog_pointer(self, table):
        """The table's metadata location as the catalog database holds it."""
        namespace, name = table.rsplit(".", 1)
        with contextlib.closing(sqlite3.connect(self.db)) as db:
            row = db.execute("select metadata_location from iceberg_tables where "
                             "table_namespace = ? and table_name = ?", (namespace, name)).fetchone()
        return row[0] if row else None

    def state(self, table):
        """What must not change when a command fails: the catalog's metadata
        pointer, `floe snapshots` and `floe count`."""
        return (self.catalog_pointer(table), self.run("snapshots", table).stdout,
                self.count(table))

    def pyiceberg(self, name=None):
        from pyiceberg.catalog.sql import SqlCatalog
        return SqlCatalog(name or self.catalog_name, uri=self.uri, warehouse=f"file://{self.path}")


# ---- values in `floe scan --format json` form ----------------------------

def _float(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def canon_value(v, t):
    """One value of Arrow type `t` (as `to_pylist` gives it) in the JSON form
    `floe scan --format json` prints."""
    if v is None:
        return None
    if isinstance(t, pa.BaseExtensionType):
        if t.extension_name == "arrow.uuid":
            return str(v)
        return canon_value(v, t.storage_type)
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        return v
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return v
    if pa.types.is_floating(t):
        return _float(float(v))
    if pa.types.is_decimal(t):
        assert isinstance(v, decimal.Decimal)
        return f"{v:f}"
    if pa.types.is_date(t):
        return v.isoformat()
    if pa.types.is_time(t):
        return v.isoformat(timespec="microseconds")
    if pa.types.is_timestamp(t):
        if v.tzinfo is not None:
            return v.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")
        return v.isoformat(timespec="microseconds")
    if (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
            or pa.types.is_fixed_size_binary(t)):
        return bytes(v).hex()
    if pa.types.is_struct(t):
        return {t.field(i).name: canon_value(v.get(t.field(i).name), t.field(i).type)
                for i in range(t.num_fields)}
    if pa.types.is_map(t):
        pairs = [(canon_value(k, t.key_type), canon_value(x, t.item_type)) for k, x in v]
        if pa.types.is_string(t.key_type) or pa.types.is_large_string(t.key_type):
            return dict(pairs)
        return [list(p) for p in pairs]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return [canon_value(x, t.value_type) for x in v]
    raise TypeError(f"no JSON form for {t}")


def canon_rows(table):
    """An Arrow table's rows as floe's JSON objects."""
    schema = table.schema
    return [{f.name: canon_value(row[f.name], f.type) for f in schema}
            for row in table.to_pylist()]


def sort_key(row):
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def sorted_rows(rows):
    return sorted(rows, key=sort_key)


def to_json_text(v):
    """A Python value in the text form NDJSON input files carry for it."""
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return f"{v:f}"
    return v


def write_ndjson(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: to_json_text(v) for k, v in r.items()},
                               ensure_ascii=False) + "\n")
