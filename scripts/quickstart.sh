#!/usr/bin/env bash
# Sets up, builds, then runs the main job on the embedded default: a SQLite
# catalog and a local warehouse in ./quickstart (override: QUICKSTART_DIR).
# It creates analytics.events (the design note's table), appends about a
# million generated events over 30 days in several commits, and shows a
# pruned scan, a count, time travel and a delete.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
FLOE_SKIP_SEAWEEDFS=1 scripts/setup.sh  # the quickstart runs on local files
FLOE_BUILD_TARGETS="floe_cli floe_datagen" scripts/build.sh  # only what it runs

floe="$root/build/floe"
datagen="$root/build/floe-datagen"
work="${QUICKSTART_DIR:-$root/quickstart}"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
start=$(date +%s)

echo "Generating 1,000,000 sample events over 30 days (floe-datagen)..."
"$datagen" --rows 1000000 --days 30 --start 2024-06-01 --files 4 --out events > /dev/null

step "$floe" namespace create analytics
step "$floe" create analytics.events \
  --schema "event_id string not null, event_type string, user_id string, payload string, created_at timestamp, event_date date" \
  --partition-by "event_date" \
  --property write.parquet.compression-codec=zstd
for f in events/events-*.parquet; do
  step "$floe" append analytics.events "$f"
done
step "$floe" snapshots analytics.events
step "$floe" count analytics.events
step "$floe" scan analytics.events --where "event_date = date '2024-06-15' and event_type = 'purchase'" \
  --select event_id,user_id,created_at --limit 5
echo
echo "How that day's scan was planned: only the files of 2024-06-15 are read."
"$floe" scan analytics.events --where "event_date = date '2024-06-15'" --explain > explain.txt
head -6 explain.txt
first=$("$floe" snapshots analytics.events | awk 'NR==2 {print $1}')
step "$floe" count analytics.events --snapshot "$first"
step "$floe" delete analytics.events --where "event_date < date '2024-06-08'"
step "$floe" count analytics.events
step "$floe" count analytics.events --where "event_date < date '2024-06-08'"
echo
echo "Time travel still sees the deleted week:"
step "$floe" count analytics.events --where "event_date < date '2024-06-08'" --snapshot "$first"
echo
echo "Done in $(( $(date +%s) - start ))s. Catalog: $work/warehouse/catalog.db, table files: $work/warehouse/analytics/events"
echo "Try: $floe --catalog sqlite:///$work/warehouse/catalog.db --warehouse $work/warehouse describe analytics.events"
