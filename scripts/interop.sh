#!/usr/bin/env bash
# Sets up, builds the programs and runs the interoperability matrix alone
# (tests/interop/test_matrix.py: Spark, DuckDB, ClickHouse and PyIceberg
# against Floe, both directions), rewriting docs/INTEROP.md. scripts/test.sh
# runs the same matrix with everything else.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
FLOE_SKIP_SEAWEEDFS=1 FLOE_WITH_JARS=1 scripts/setup.sh
scripts/build.sh
FLOE_BUILD_DIR="$root/build" .venv/bin/python -m pytest -q tests/interop/test_matrix.py "$@"
echo "interop: docs/INTEROP.md written"
