"""What the benchmark scripts share: where the build is (and the test
helpers they borrow: engines, seaweedfs), the events schema floe-datagen
writes, and timing a whole process with GNU time."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT / "tests" / "interop"))

# The columns of floe-datagen's events, as `floe create --schema` takes them.
EVENTS_SCHEMA = ("event_id string not null, event_type string, user_id string, payload string, "
                 "created_at timestamp, event_date date")
DAY = "2024-06-15"  # a day inside every generated range (30 days from 2024-06-01)


def timed_process(cmd, cwd=None, env=None):
    """(wall seconds, system seconds, peak RSS in MiB, stdout) of a whole
    process, by GNU time; raises with its stderr when it fails."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %S %M", *map(str, cmd)], capture_output=True,
                         text=True, cwd=cwd, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{out.stderr[-2000:]}")
    wall, sys_s, rss_kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), float(sys_s), int(rss_kb) / 1024, out.stdout
