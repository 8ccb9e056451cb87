"""`floe serve` and a real Prometheus for the tests of the service:

- FloeServe runs `floe serve` on a free loopback port (--listen 127.0.0.1:0;
  the port is read from its "listening" log line), keeps its log, reads
  /metrics and stops it with SIGTERM like systemd would.
- Prometheus runs Debian's `prometheus` (scripts/setup.sh installs it) on a
  loopback port with a scrape config for the given targets and the repo's
  alert rules, and answers PromQL through its HTTP API."""
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import BUILD, ROOT

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def parse_metrics(text):
    """{(name, frozenset(labels.items())): value} of an exposition text."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = {}
        if m.group(2):
            for part in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)):
                labels[part[0]] = part[1]
        out[(m.group(1), frozenset(labels.items()))] = float(m.group(3))
    return out


def value(samples, name, **labels):
    """The value of the one sample `name` whose labels include `labels`;
    None when there is none."""
    found = [v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls)]
    assert len(found) <= 1, f"{name} {labels}: {len(found)} samples"
    return found[0] if found else None


def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode()


def wait_for(condition, timeout=30, interval=0.2, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


class FloeServe:
    def __init__(self, global_args, *serve_args, cwd=None, env=None):
        self.cmd = [str(BUILD / "floe"), *map(str, global_args), "serve",
                    "--listen", "127.0.0.1:0", *map(str, serve_args)]
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=cwd, env=env)
        self.lines = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        line = wait_for(lambda: self._find("msg=listening"), timeout=30,
                        what=f"floe serve to listen; log: {self.log()}")
        self.port = int(re.search(r" port=(\d+)", line).group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self):
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def _find(self, needle):
        if self.proc.poll() is not None and not self.lines:
            raise AssertionError(f"floe serve exited with {self.proc.returncode}")
        with self._lock:
            return next((l for l in self.lines if needle in l), None)

    def log(self):
        with self._lock:
            return "\n".join(self.lines)

    def metrics(self):
        return parse_metrics(http_get(self.url + "/metrics")[1])

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Stops it as systemd would and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prometheus:
    """Debian's prometheus, scraping `targets` (host:port) every second and
    evaluating deploy/prometheus/floe-alerts.yml every second."""

    def __init__(self, workdir, targets, scrape_interval="1s"):
        binary = shutil.which("prometheus")
        assert binary, "prometheus is not on PATH: run scripts/setup.sh (Debian's prometheus package)"
        self.dir = pathlib.Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "deploy" / "prometheus" / "floe-alerts.yml", self.dir / "floe-alerts.yml")
        # The repo's scrape config with the test's target and intervals.
        import yaml
        config = yaml.safe_load((ROOT / "deploy" / "prometheus" / "floe.yml").read_text())
        config["global"]["scrape_interval"] = scrape_interval
        config["global"]["evaluation_interval"] = scrape_interval
        config["scrape_configs"][0]["scrape_timeout"] = scrape_interval
        config["scrape_configs"][0]["static_configs"][0]["targets"] = list(targets)
        (self.dir / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.dir / "prometheus.log", "wb")
        self.proc = subprocess.Popen(
            [binary, f"--config.file={self.dir / 'prometheus.yml'}",
             f"--storage.tsdb.path={self.dir / 'data'}", f"--web.listen-address=127.0.0.1:{self.port}",
             "--web.enable-lifecycle"],
            stdout=self.log, stderr=subprocess.STDOUT)

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"prometheus exited: {(self.dir / 'prometheus.log').read_text()}")
            try:
                return http_get(self.url + "/-/ready", timeout=2)[0] == 200
            except (urllib.error.URLError, ConnectionError):
                return False
        wait_for(ready, timeout=60, what="prometheus to be ready")

    def api(self, path, **params):
        status, body = http_get(f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params, doseq=True)}")
        data = json.loads(body)
        assert data["status"] == "success", data
        return data["data"]

    def query(self, expr):
        """The instant vector (list of {metric, value}) of `expr` now."""
        data = self.api("query", query=expr)
        assert data["resultType"] == "vector", f"{expr}: {data['resultType']}"
        return data["result"]

    def query_range(self, expr, start, end, step=1):
        return self.api("query_range", query=expr, start=start, end=end, step=step)["result"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
