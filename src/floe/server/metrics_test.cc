// ServeMetrics: the exposition text has the design note's names and labels,
// a table's counters and histogram from the moment it is added, its gauges
// once it loaded, ages as of the scrape, and nothing after it is removed.
#include "floe/server/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "floe/server/exposition_test_util.h"

namespace floe::server {
namespace {

using testing::At;
using testing::ParseSamples;
using testing::Samples;


// What a scrape after a refresh sees.
std::string Scrape(ServeMetrics& m, int64_t now_ms) {
  m.Publish();
  return m.Serialize(now_ms);
}


const catalog::TableIdentifier kEvents{{"db"}, "events"};
const catalog::TableIdentifier kNested{{"a", "b"}, "t"};
const std::string kLabels = R"({catalog="prod",namespace="db",table="events"})";

TEST(ServeMetricsTest, NamesLabelsAndLifecycle) {
  ServeMetrics m("prod");
  m.AddTable(kEvents);
  m.AddTable(kNested);
  auto s = ParseSamples(Scrape(m, 1000000));
  // Counters and the histogram from the first scrape, at zero.
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_count" + kLabels), 0);
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_sum" + kLabels), 0);
  EXPECT_EQ(At(s, "iceberg_table_load_errors_total" + kLabels), 0);
  EXPECT_EQ(s.count(R"(iceberg_compaction_duration_seconds_count{catalog="prod",namespace="a.b",table="t"})"), 1u);
  // Gauges only once loaded: no invented zeros.
  EXPECT_EQ(s.count("iceberg_table_total_records" + kLabels), 0u);
  EXPECT_EQ(At(s, "floe_serve_tables"), 2);

  TableStats st;
  st.snapshot_count = 7;
  st.data_files = 12;
  st.total_records = 3400;
  st.total_size_bytes = 56789;
  st.delete_files = 2;
  st.position_deletes = 5;
  st.equality_deletes = 1;
  st.manifests = 3;
  st.small_data_files = 11;
  st.last_commit_ms = 400000;
  st.oldest_snapshot_ms = 100000;
  m.SetStats(kEvents, st);
  s = ParseSamples(Scrape(m, 1000000));
  EXPECT_EQ(At(s, "iceberg_table_snapshot_count" + kLabels), 7);
  EXPECT_EQ(At(s, "iceberg_table_data_files" + kLabels), 12);
  EXPECT_EQ(At(s, "iceberg_table_total_records" + kLabels), 3400);
  EXPECT_EQ(At(s, "iceberg_table_total_size_bytes" + kLabels), 56789);
  EXPECT_EQ(At(s, "iceberg_table_delete_files" + kLabels), 2);
  EXPECT_EQ(At(s, "iceberg_table_position_deletes" + kLabels), 5);
  EXPECT_EQ(At(s, "iceberg_table_equality_deletes" + kLabels), 1);
  EXPECT_EQ(At(s, "iceberg_table_manifests" + kLabels), 3);
  EXPECT_EQ(At(s, "iceberg_table_small_data_files" + kLabels), 11);
  EXPECT_EQ(At(s, "iceberg_table_seconds_since_last_commit" + kLabels), 600);
  EXPECT_EQ(At(s, "iceberg_table_oldest_snapshot_age_seconds" + kLabels), 900);
  // Ages are as of the scrape.
  s = ParseSamples(Scrape(m, 1060000));
  EXPECT_EQ(At(s, "iceberg_table_seconds_since_last_commit" + kLabels), 660);

  // Commits by operation; a compaction lands in the histogram once.
  m.RecordCommits(kEvents, {{1, "append", 0, std::nullopt}, {2, "replace", 2, 3.5}});
  m.RecordMaintenance(kEvents, "compact", false);
  m.RecordMaintenance(kEvents, "expire", true);
  m.RecordLoadError(kEvents);
  s = ParseSamples(Scrape(m, 1060000));
  const std::string op = R"({catalog="prod",namespace="db",operation="replace",table="events"})";
  EXPECT_EQ(At(s, "iceberg_table_commits_total" + op), 1);
  EXPECT_EQ(At(s, "iceberg_table_commit_retries_total" + op), 2);
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_count" + kLabels), 1);
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_sum" + kLabels), 3.5);
  EXPECT_EQ(At(s, R"(iceberg_compaction_duration_seconds_bucket{catalog="prod",namespace="db",table="events",le="5"})"), 1);
  EXPECT_EQ(At(s, R"(iceberg_compaction_duration_seconds_bucket{catalog="prod",namespace="db",table="events",le="2.5"})"), 0);
  const std::string compact = R"({catalog="prod",kind="compact",namespace="db",table="events"})";
  const std::string expire = R"({catalog="prod",kind="expire",namespace="db",table="events"})";
  EXPECT_EQ(At(s, "floe_maintenance_runs_total" + compact), 1);
  EXPECT_EQ(At(s, "floe_maintenance_failures_total" + compact), 0);
  EXPECT_EQ(At(s, "floe_maintenance_failures_total" + expire), 1);
  EXPECT_EQ(At(s, "iceberg_table_load_errors_total" + kLabels), 1);

  // A dropped table takes every series with it.
  m.RemoveTable(kEvents);
  const std::string text = Scrape(m, 1060000);
  EXPECT_EQ(text.find(R"(table="events")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(table="t")"), std::string::npos);
  EXPECT_EQ(At(ParseSamples(text), "floe_serve_tables"), 1);
}

TEST(ServeMetricsTest, ATableWithoutSnapshotsHasNoOldestSnapshotAge) {
  ServeMetrics m("c");
  m.AddTable(kEvents);
  TableStats st;
  st.last_commit_ms = 5000;
  m.SetStats(kEvents, st);
  const std::string text = Scrape(m, 10000);
  EXPECT_EQ(text.find("iceberg_table_oldest_snapshot_age_seconds{"), std::string::npos);
  EXPECT_NE(text.find("iceberg_table_snapshot_count{"), std::string::npos);
}

}  // namespace
}  // namespace floe::server
