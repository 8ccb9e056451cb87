"""A real SeaweedFS S3 server for tests: `weed mini` (master, volume, filer
and S3 gateway in one process) on loopback ports in a temporary folder, with
one static identity. The binary comes from scripts/install_seaweedfs.sh
(built once from the Go module proxy and cached), or $FLOE_WEED."""
import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACCESS_KEY = "floe-test-access"
SECRET_KEY = "floe-test-secret"


def weed_binary():
    if os.environ.get("FLOE_WEED"):
        return os.environ["FLOE_WEED"]
    out = subprocess.run([str(ROOT / "scripts" / "install_seaweedfs.sh")], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()
    return out[-1]


def free_ports(n):
    """n distinct free loopback ports below 50000 (weed adds 10000 for gRPC)."""
    ports = set()
    while len(ports) < n:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 50000 and all(abs(port - p) > 2 for p in ports):
            ports.add(port)
    return sorted(ports)


class SeaweedFS:
    def __init__(self, workdir):
        self.dir = pathlib.Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.binary = weed_binary()
        self.master, self.volume, self.filer, self.s3 = free_ports(4)
        self.proc = None
        self.config = self.dir / "s3.json"
        self.config.write_text(json.dumps({"identities": [{
            "name": "floe",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.s3}"

    def client_properties(self):
        """The s3.* properties (Floe's and PyIceberg's names) that reach this server."""
        return {"s3.endpoint": self.endpoint, "s3.access-key-id": ACCESS_KEY,
                "s3.secret-access-key": SECRET_KEY, "s3.path-style-access": "true",
                "s3.region": "us-east-1"}

    def start(self, timeout=60):
        data = self.dir / "data"
        data.mkdir(exist_ok=True)
        self.log = open(self.dir / "weed.log", "ab")
        self.proc = subprocess.Popen(
            [self.binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             f"-master.port={self.master}", f"-volume.port={self.volume}",
             f"-filer.port={self.filer}", f"-s3.port={self.s3}", f"-s3.config={self.config}",
             "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited with {self.proc.returncode}; see "
                                   f"{self.dir / 'weed.log'}")
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=1)
                return self
            except urllib.error.HTTPError:
                # 403 without credentials: the gateway is up. Wait until the
                # filer accepts writes too (a bucket can be created).
                if self._ready():
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS S3 did not come up on {self.endpoint}")

    def _ready(self):
        try:
            self.create_bucket("floe-readiness-probe")
            return True
        except Exception:  # noqa: BLE001 - not ready yet
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def _curl(self, *args):
        return subprocess.run(["curl", "-sS", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user",
                               f"{ACCESS_KEY}:{SECRET_KEY}", *args], capture_output=True,
                              text=True, check=True)

    def create_bucket(self, name):
        out = self._curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                         f"{self.endpoint}/{name}").stdout
        if out not in ("200", "409"):
            raise RuntimeError(f"create bucket {name}: HTTP {out}")

    def pyarrow_fs(self):
        import pyarrow.fs as pafs
        return pafs.S3FileSystem(access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                                 endpoint_override=f"127.0.0.1:{self.s3}", scheme="http",
                                 region="us-east-1")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
