// The service end to end over real HTTP on a SQLite catalog: metrics follow
// commits within a refresh, a compaction is counted once, a broken table
// does not stop the others, and two maintaining services never work on one
// table at once.
#include "floe/server/service.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "floe/maintenance/compaction.h"
#include "floe/server/exposition_test_util.h"
#include "floe/table/table_test_util.h"

namespace floe::server {
namespace {

using testing::At;
using testing::ParseSamples;
using testing::Samples;

using table::Table;


std::string Labels(const std::string& table) {
  return R"({catalog="default",namespace="db",table=")" + table + "\"}";
}

class ServiceTest : public table::testing::TableTest {
 protected:
  ServeOptions Options() {
    ServeOptions o;
    o.listen = "127.0.0.1:0";
    o.refresh_ms = 50;
    o.monitor.verify_every_passes = 2;
    return o;
  }
  // GET path -> (status, body); status -1 when the request failed.
  static std::pair<int, std::string> Get(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get(path.c_str());
    if (!res) return {-1, ""};
    return {res->status, res->body};
  }
  // Polls /metrics until `ok` holds (10 s at most).
  static bool WaitForMetrics(int port, const std::function<bool(const Samples&)>& ok) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      auto [status, body] = Get(port, "/metrics");
      if (status == 200 && ok(ParseSamples(body))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
};

TEST_F(ServiceTest, MetricsFollowCommitsAndCountACompactionOnce) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table a, Create("a", "category"));
  FLOE_ASSERT_OK_AND_ASSIGN(Table b, Create("b"));
  FLOE_ASSERT_OK(AppendIds(a, 0, 10).status());
  FLOE_ASSERT_OK(AppendIds(b, 0, 5).status());
  std::ostringstream log;
  Service service(catalog_, Options(), &log);
  FLOE_ASSERT_OK(service.Start());
  const int port = service.port();
  ASSERT_GT(port, 0);
  EXPECT_EQ(Get(port, "/healthz").first, 200);
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_total_records" + Labels("a")) == 10 &&
           At(s, "iceberg_table_total_records" + Labels("b")) == 5;
  })) << log.str();
  EXPECT_EQ(Get(port, "/readyz").first, 200);
  {
    // Brotli is never chosen (seconds of CPU per large scrape); gzip is.
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/metrics", {{"Accept-Encoding", "br, gzip"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
    EXPECT_NE(res->body.find("iceberg_table_total_records"), std::string::npos);
  }
  auto [status, body] = Get(port, "/metrics");
  auto s = ParseSamples(body);
  EXPECT_EQ(At(s, "iceberg_table_data_files" + Labels("a")), 4);
  EXPECT_EQ(At(s, "iceberg_table_snapshot_count" + Labels("a")), 1);
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_count" + Labels("a")), 0);
  EXPECT_GT(At(s, "iceberg_table_total_size_bytes" + Labels("a")), 0);

  for (int i = 1; i < 6; ++i) FLOE_ASSERT_OK(AppendIds(a, i * 10, 10).status());
  const std::string appends =
      R"(iceberg_table_commits_total{catalog="default",namespace="db",operation="append",table="a"})";
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_total_records" + Labels("a")) == 60 && At(s, appends) == 5;
  })) << log.str();

  FLOE_ASSERT_OK_AND_ASSIGN(auto report, maintenance::Compact(a, maintenance::CompactionOptions{}));
  ASSERT_EQ(report.commits, 1);
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_compaction_duration_seconds_count" + Labels("a")) == 1 &&
           At(s, "iceberg_table_data_files" + Labels("a")) == 4;
  })) << log.str();
  // Later refreshes (verifying ones included) do not count it again.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  s = ParseSamples(Get(port, "/metrics").second);
  EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_count" + Labels("a")), 1);
  EXPECT_EQ(At(s, appends), 5);
  EXPECT_GT(At(s, R"(floe_serve_http_request_duration_seconds_count{path="/metrics"})"), 0);
  // Idle refreshes read no manifests (verifying passes re-read metadata
  // files only).
  const double manifests_read = At(s, "floe_serve_manifest_reads_total");
  EXPECT_GT(manifests_read, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  s = ParseSamples(Get(port, "/metrics").second);
  EXPECT_EQ(At(s, "floe_serve_manifest_reads_total"), manifests_read);
  EXPECT_EQ(At(s, "iceberg_table_expirable_snapshots" + Labels("a")), 0);

  // A retention of 1 ms: all but the last snapshot could expire now.
  FLOE_ASSERT_OK(table::UpdateProperties(a, {{"history.expire.max-snapshot-age-ms", "1"}}, {}));
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_expirable_snapshots" + Labels("a")) ==
           At(s, "iceberg_table_snapshot_count" + Labels("a")) - 1;
  })) << log.str();

  // A dropped table leaves /metrics.
  FLOE_ASSERT_OK(catalog_->DropTable(Id("b")).status());
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_total_records" + Labels("b")) == -1;
  }));
  service.Stop();
  EXPECT_NE(log.str().find("msg=stopped"), std::string::npos);
  EXPECT_EQ(Get(port, "/healthz").first, -1) << "still serving after Stop";
}

TEST_F(ServiceTest, ABrokenTableIsReportedAndTheRestServed) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table good, Create("good"));
  FLOE_ASSERT_OK_AND_ASSIGN(Table bad, Create("bad"));
  FLOE_ASSERT_OK(AppendIds(good, 0, 10).status());
  FLOE_ASSERT_OK(AppendIds(bad, 0, 10).status());
  std::ostringstream log;
  Service service(catalog_, Options(), &log);
  FLOE_ASSERT_OK(service.Start());
  const int port = service.port();
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_total_records" + Labels("bad")) == 10;
  }));
  // Its metadata file disappears under an unchanged catalog pointer.
  const std::string metadata = bad.metadata_location();
  FLOE_ASSERT_OK_AND_ASSIGN(std::string saved, bad.io()->ReadFile(metadata));
  FLOE_ASSERT_OK(bad.io()->Delete(metadata));
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_load_errors_total" + Labels("bad")) >= 1;
  })) << log.str();
  FLOE_ASSERT_OK(AppendIds(good, 10, 10).status());
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    // The good table follows; the bad one keeps its last values.
    return At(s, "iceberg_table_total_records" + Labels("good")) == 20 &&
           At(s, "iceberg_table_total_records" + Labels("bad")) == 10;
  })) << log.str();
  EXPECT_EQ(Get(port, "/readyz").first, 200);
  const std::string text = log.str();
  EXPECT_NE(text.find("msg=\"table load failed\" table=db.bad"), std::string::npos) << text;
  // Logged once, not every refresh.
  EXPECT_EQ(text.find("msg=\"table load failed\" table=db.bad"),
            text.rfind("msg=\"table load failed\" table=db.bad"));
  // The file comes back: the table recovers without a restart.
  FLOE_ASSERT_OK(bad.io()->WriteNewFile(metadata, saved));
  FLOE_ASSERT_OK(AppendIds(bad, 10, 10).status());
  ASSERT_TRUE(WaitForMetrics(port, [&](const auto& s) {
    return At(s, "iceberg_table_total_records" + Labels("bad")) == 20;
  })) << log.str();
  EXPECT_NE(log.str().find("msg=\"table recovered\" table=db.bad"), std::string::npos);
}

TEST_F(ServiceTest, AnAddressInUseIsAClearError) {
  std::ostringstream log;
  Service first(catalog_, Options(), &log);
  FLOE_ASSERT_OK(first.Start());
  ServeOptions o = Options();
  o.listen = "127.0.0.1:" + std::to_string(first.port());
  Service second(catalog_, o, &log);
  Status st = second.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--listen"), std::string::npos) << st.ToString();
  o.listen = "nonsense";
  Service third(catalog_, o, &log);
  EXPECT_TRUE(third.Start().IsInvalid());
}

// Start and end times of each maintenance job in a log, by table.
struct Job {
  std::string table;
  double start, end;
};
std::vector<Job> Jobs(const std::string& log) {
  std::vector<Job> out;
  Samples open;
  std::istringstream in(log);
  std::string line;
  const std::regex ts(R"(ts=\S+T(\d+):(\d+):([\d.]+)Z)");
  const std::regex table(R"( table=(\S+))");
  while (std::getline(in, line)) {
    std::smatch t, name;
    if (!std::regex_search(line, t, ts) || !std::regex_search(line, name, table)) continue;
    const double secs = std::stod(t[1]) * 3600 + std::stod(t[2]) * 60 + std::stod(t[3]);
    if (line.find("msg=\"maintenance started\"") != std::string::npos) open[name[1]] = secs;
    if (line.find("msg=\"maintenance done\"") != std::string::npos && open.count(name[1])) {
      out.push_back({name[1], open[name[1]], secs});
      open.erase(name[1]);
    }
  }
  return out;
}

// The scheduler keeps decoded manifests across runs: a table maintained
// again unchanged is planned from the cache (issue: one manifest cache for
// every scan of a long-running process).
TEST_F(ServiceTest, MaintenancePlansFromCachedManifestsAcrossRuns) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("c", "category"));
  for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  ServeOptions o = Options();
  o.maintain = true;
  o.scheduler.every_ms = 100;
  std::ostringstream log;
  Service service(catalog_, o, &log);
  FLOE_ASSERT_OK(service.Start());
  ASSERT_TRUE(WaitForMetrics(service.port(), [&](const auto& s) {
    return At(s, "floe_serve_manifest_cache_hits") >= 3;
  })) << Get(service.port(), "/metrics").second << log.str();
  auto s = ParseSamples(Get(service.port(), "/metrics").second);
  EXPECT_GT(At(s, "floe_serve_manifest_cache_misses"), 0);
  EXPECT_GT(At(s, "floe_serve_manifest_cache_bytes"), 0);
  service.Stop();

  // Off: nothing is kept.
  o.scheduler.manifest_cache_bytes = 0;
  std::ostringstream log_off;
  Service off(catalog_, o, &log_off);
  FLOE_ASSERT_OK(off.Start());
  ASSERT_TRUE(WaitForMetrics(off.port(), [&](const auto& s) {
    return At(s, R"(floe_maintenance_runs_total{catalog="default",kind="compact",namespace="db",table="c"})") >= 2;
  })) << Get(off.port(), "/metrics").second << log_off.str();
  s = ParseSamples(Get(off.port(), "/metrics").second);
  EXPECT_EQ(At(s, "floe_serve_manifest_cache_hits"), 0);
  off.Stop();
}

TEST_F(ServiceTest, TwoMaintainingServicesNeverShareATable) {
  for (const char* name : {"t0", "t1", "t2"}) {
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create(name, "category"));
    for (int i = 0; i < 6; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  }
  ServeOptions o = Options();
  o.maintain = true;
  o.scheduler.every_ms = 100;
  o.scheduler.concurrency = 2;
  std::ostringstream log_a, log_b;
  FLOE_ASSERT_OK_AND_ASSIGN(auto other_catalog, OpenCatalog());
  Service a(catalog_, o, &log_a);
  Service b(other_catalog, o, &log_b);
  FLOE_ASSERT_OK(a.Start());
  FLOE_ASSERT_OK(b.Start());
  // Compaction brings every table to one file per partition.
  ASSERT_TRUE(WaitForMetrics(a.port(), [&](const auto& s) {
    for (const char* name : {"t0", "t1", "t2"}) {
      if (At(s, "iceberg_table_data_files" + Labels(name)) != 4) return false;
      if (At(s, "iceberg_compaction_duration_seconds_count" + Labels(name)) != 1) return false;
    }
    return true;
  })) << Get(a.port(), "/metrics").second << log_b.str();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  b.Stop();
  a.Stop();
  std::vector<Job> jobs = Jobs(log_a.str());
  const size_t from_a = jobs.size();
  for (const Job& j : Jobs(log_b.str())) jobs.push_back(j);
  EXPECT_GT(from_a, 0u);
  EXPECT_GT(jobs.size(), from_a) << "one service did all the work";
  for (size_t i = 0; i < jobs.size(); ++i) {
    for (size_t k = i + 1; k < jobs.size(); ++k) {
      if (jobs[i].table != jobs[k].table) continue;
      const bool overlap = jobs[i].start < jobs[k].end && jobs[k].start < jobs[i].end;
      EXPECT_FALSE(overlap) << jobs[i].table << ": [" << jobs[i].start << ", " << jobs[i].end
                            << "] and [" << jobs[k].start << ", " << jobs[k].end << "]";
    }
  }
  // Each compaction was counted once in the histogram of the service that
  // did not run it too.
  auto s = ParseSamples(b.metrics().Serialize(0));
  for (const char* name : {"t0", "t1", "t2"}) {
    EXPECT_EQ(At(s, "iceberg_compaction_duration_seconds_count" + Labels(name)), 1) << name;
  }
}

}  // namespace
}  // namespace floe::server
