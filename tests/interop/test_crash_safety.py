"""A writer killed with SIGKILL at any moment of `floe append` leaves the
table readable and in one of its committed states, and the next append
works.

A 300k-row Parquet file from floe-datagen is appended again and again and
the process is killed: deterministically as soon as its first data file
appears (data written, catalog not yet updated), as soon as its first new
manifest appears, and at random times across the whole append. After each
kill the phase it landed in is read from what is on disk and in the catalog
database, and the table is checked: `floe count` (from metadata and with a
filter that reads every data file) equals the rows of the committed
snapshots that `floe snapshots` lists, and a small append succeeds. The
phases are reported on stdout (run pytest with -s)."""
import collections
import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest
from pyiceberg.catalog.sql import SqlCatalog as PySqlCatalog

from conftest import BUILD

BIG_ROWS = 300_000
SMALL_ROWS = 10
SCHEMA = ("event_id string not null, event_type string, user_id string, payload string, "
          "created_at timestamp, event_date date")
RANDOM_KILLS = 12
# Kill triggers: the first new file of this kind (a key of Env.state()).
TRIGGERS = {"on first data file": "data", "on first new manifest": "manifests",
            "on the new manifest list": "lists", "on the new metadata file": "metadata"}
SEED = int(os.environ.get("FLOE_CRASH_SEED", "20240601"))


class Env:
    def __init__(self, tmp_path):
        self.db = tmp_path / "catalog.db"
        self.uri = f"sqlite:///{self.db}"
        self.warehouse = tmp_path / "warehouse"
        self.table_dir = self.warehouse / "db" / "events"

    def floe_args(self, *args):
        return [str(BUILD / "floe"), "--catalog", self.uri, "--warehouse", str(self.warehouse),
                *map(str, args)]

    def floe(self, *args):
        proc = subprocess.run(self.floe_args(*args), capture_output=True, text=True)
        assert proc.returncode == 0, f"floe {' '.join(map(str, args))}: {proc.stderr}"
        return proc.stdout

    def pointer(self):
        """The catalog's metadata location for db.events, read directly.

        Read-write on purpose: a writer killed between appending its commit
        to the WAL and updating the WAL index leaves a committed transaction
        that only a connection able to run WAL recovery sees; a read-only
        connection can miss it (and every engine's catalog connects
        read-write)."""
        with sqlite3.connect(self.db, timeout=10) as c:
            row = c.execute("SELECT metadata_location FROM iceberg_tables "
                            "WHERE table_namespace = 'db' AND table_name = 'events'").fetchone()
        return row[0]

    def files(self, sub, suffix):
        folder = self.table_dir / sub
        if not folder.is_dir():
            return set()
        return {p.name for p in folder.iterdir() if p.name.endswith(suffix)}

    def state(self):
        return {"pointer": self.pointer(), "data": self.files("data", ".parquet"),
                "manifests": {n for n in self.files("metadata", ".avro")
                              if not n.startswith("snap-")},
                "lists": {n for n in self.files("metadata", ".avro") if n.startswith("snap-")},
                "metadata": self.files("metadata", ".metadata.json")}

    def committed(self):
        """Rows per snapshot from `floe snapshots` (added_rows column)."""
        lines = self.floe("snapshots", "db.events").splitlines()[1:]
        return [int(line.split()[5]) for line in lines]


def phase_of(before, after, exited_before_kill):
    """Where a killed append was, from what changed on disk and in the catalog."""
    if after["pointer"] != before["pointer"]:
        return "exited after commit" if exited_before_kill else "killed after catalog swap"
    if after["metadata"] - before["metadata"]:
        return "metadata file written, catalog not swapped"
    if after["lists"] - before["lists"]:
        return "manifest list written"
    if after["manifests"] - before["manifests"]:
        return "manifests written"
    if after["data"] - before["data"]:
        return "data files written, no manifest"
    return "before any data file"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("crash_inputs")
    for name, rows in (("big", BIG_ROWS), ("small", SMALL_ROWS)):
        subprocess.run([str(BUILD / "floe-datagen"), "--rows", str(rows), "--days", "3",
                        "--files", "1", "--out", str(out / name)], check=True, capture_output=True)
    big = next((out / "big").glob("*.parquet"))
    small = next((out / "small").glob("*.parquet"))
    return big, small


def test_killed_appends_leave_the_table_consistent(tmp_path, inputs):
    big, small = inputs
    env = Env(tmp_path)
    env.floe("namespace", "create", "db")
    env.floe("create", "db.events", "--schema", SCHEMA)
    # One complete append, timed, so random kills can spread over its length.
    started = time.monotonic()
    env.floe("append", "db.events", big)
    duration = time.monotonic() - started
    rng = random.Random(SEED)

    # (strategy, delay): kill when the first new file of a kind appears, or
    # after a random delay.
    plan = [(trigger, None) for trigger in TRIGGERS for _ in range(2)]
    plan += [("random", rng.uniform(0.0, duration * 1.3)) for _ in range(RANDOM_KILLS)]
    phases = collections.Counter()
    expected_total = BIG_ROWS
    history = []
    for strategy, delay in plan:
        before = env.state()
        proc = subprocess.Popen(env.floe_args("append", "db.events", big),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if strategy == "random":
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
        else:
            key = TRIGGERS[strategy]
            while proc.poll() is None:
                if env.state()[key] - before[key]:
                    break
                time.sleep(0.0005)
        exited = proc.poll() is not None
        if not exited:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = env.state()
        phase = phase_of(before, after, exited)
        phases[phase] += 1
        history.append((strategy, round(delay, 3) if delay else None, phase))
        if after["pointer"] != before["pointer"]:
            expected_total += BIG_ROWS
        if strategy == "on first data file":
            # Writing 300k rows takes long enough to catch it every time.
            assert not exited, f"the append finished before the {strategy} trigger fired"
            assert after["pointer"] == before["pointer"], \
                f"killed {strategy}, yet the catalog moved (phase {phase})"

        # The table is readable and in a committed state.
        committed = env.committed()
        assert sum(committed) == expected_total
        assert all(n in (BIG_ROWS, SMALL_ROWS) for n in committed)
        assert int(env.floe("count", "db.events").strip()) == expected_total
        # A filter forces every data file to be read.
        by_filter = int(env.floe("count", "db.events", "--where", "event_id is not null "
                                 "and created_at > timestamp '1970-01-01T00:00:00'").strip())
        assert by_filter == expected_total
        # And the next append works.
        env.floe("append", "db.events", small)
        expected_total += SMALL_ROWS
        assert int(env.floe("count", "db.events").strip()) == expected_total

    print(f"\ncrash safety: one append takes {duration:.2f} s; kills per phase: "
          f"{dict(phases)}")
    for strategy, delay, phase in history:
        print(f"  {strategy:<26} {'' if delay is None else f'after {delay:.3f} s':<16} {phase}")
    assert phases["data files written, no manifest"] >= 2, \
        "no kill landed between the data files and the commit"

    # PyIceberg reads the table the kills left behind.
    py = PySqlCatalog("default", uri=env.uri, warehouse=f"file://{env.warehouse}")
    table = py.load_table("db.events")
    assert table.metadata_location == env.pointer()
    assert table.scan().count() == expected_total
