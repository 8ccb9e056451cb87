#!/usr/bin/env bash
# Sets up, builds, then runs the main job on the embedded default (SQLite
# catalog, local warehouse). Today it inspects a real table written by
# Spark; the table workflow arrives with the catalog.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build.sh
floe=build/floe
$floe --version
table="$root/../shared/testdata/peer-tables/spark_v2_rename_bucket"
echo
echo "--- table metadata written by Spark ---"
$floe inspect "$table/metadata/v3.metadata.json"
echo
echo "--- its manifest list and manifest ---"
for f in "$table"/metadata/snap-*.avro "$table"/metadata/*-m0.avro; do
  $floe inspect "$f"
done
