#!/usr/bin/env bash
# Installs everything the build and the tests need, then creates .venv.
# Idempotent: a second run installs nothing and takes a few seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian packages: toolchain, C/C++ libraries, servers the tests start.
debs=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  python3 python3-venv python3-dev
  zlib1g-dev libzstd-dev libsnappy-dev liblz4-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libcurl4-openssl-dev libroaring-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev prometheus-cpp-dev prometheus
  clang-14 libclang-rt-14-dev
  openjdk-17-jre-headless
)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python virtual environment: the Arrow C++ build (from the pyarrow wheel) and the test peers.
py="${FLOE_PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($py --version)"
  "$py" -m venv .venv
fi
stamp=.venv/.floe-requirements.sha
want="$(sha256sum scripts/requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned Python packages (scripts/requirements.txt)"
  .venv/bin/python -m pip install -q --upgrade pip==25.3
  .venv/bin/python -m pip install -q -r scripts/requirements.txt
  echo "$want" > "$stamp"
fi
# Unversioned libarrow.so / libparquet.so links next to the wheel's versioned libraries.
.venv/bin/python -c "import pyarrow; pyarrow.create_library_symlinks()"
# Iceberg's Spark and Flink runtimes and JDBC drivers for the interop matrix (Maven Central,
# SHA-1 checked, cached); FLOE_SKIP_SEAWEEDFS=1 (the quickstart) leaves them out too.
# PyFlink gets its own .venv-flink (it pins an older pyarrow).
if [ "${FLOE_SKIP_SEAWEEDFS:-0}" != "1" ] || [ "${FLOE_WITH_JARS:-0}" = "1" ]; then
  scripts/install_jars.sh >/dev/null
  scripts/install_flink.sh >/dev/null
fi
# SeaweedFS, the S3 server of the tests: built once from the Go module proxy,
# cached. FLOE_SKIP_SEAWEEDFS=1 leaves it out (the quickstart needs no S3;
# scripts/test.sh builds it beside the C++ build).
if [ "${FLOE_SKIP_SEAWEEDFS:-0}" != "1" ]; then
  scripts/install_seaweedfs.sh >/dev/null
fi
echo "setup: ok"
