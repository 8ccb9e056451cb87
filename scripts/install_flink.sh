#!/usr/bin/env bash
# Sets up .venv-flink: PyFlink (apache-flink, pinned in scripts/requirements-
# flink.txt; it needs its own pyarrow, so not in .venv) with Iceberg's Flink
# runtime, the Hadoop client and the SQLite JDBC driver in its lib/ folder,
# where Flink's class path takes them. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jars="$(scripts/install_jars.sh)"
py="${FLOE_PYTHON:-python3}"
[ -x .venv-flink/bin/python ] || "$py" -m venv .venv-flink
stamp=.venv-flink/.floe-requirements.sha
want="$(sha256sum scripts/requirements-flink.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "install_flink: installing PyFlink (scripts/requirements-flink.txt)" >&2
  .venv-flink/bin/python -m pip install -q --upgrade pip==25.3
  .venv-flink/bin/python -m pip install -q -r scripts/requirements-flink.txt
  echo "$want" > "$stamp"
fi
lib="$(.venv-flink/bin/python -c 'import os, pyflink; print(os.path.join(os.path.dirname(pyflink.__file__), "lib"))')"
for j in "$jars"/flink/*.jar "$jars"/sqlite-jdbc-*.jar; do
  ln -sf "$j" "$lib/"
done
echo "$root/.venv-flink"
