#include "floe/server/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <optional>
#include <sstream>

namespace floe::server {

using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;

namespace {

// Compactions take from under a second (a small partition) to hours.
const Histogram::BucketBoundaries kCompactionBuckets = {0.1, 0.25, 0.5, 1,   2.5,  5,    10,  30,
                                                        60,  120,  300, 600, 1800, 3600, 7200};
const Histogram::BucketBoundaries kRefreshBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                     1,     2.5,  5,     10,   30,  60};
const Histogram::BucketBoundaries kRequestBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1};

}  // namespace

// The series of one table. Pointers into the families; gauges are null
// until the table first loads.
struct ServeMetrics::TableSeries {
  std::map<std::string, std::string> labels;
  Gauge* snapshot_count = nullptr;
  Gauge* data_files = nullptr;
  Gauge* total_records = nullptr;
  Gauge* total_size = nullptr;
  Gauge* delete_files = nullptr;
  Gauge* position_deletes = nullptr;
  Gauge* equality_deletes = nullptr;
  Gauge* manifests = nullptr;
  Gauge* small_files = nullptr;
  Gauge* since_commit = nullptr;
  Gauge* oldest_age = nullptr;
  Gauge* expirable = nullptr;
  Histogram* compaction = nullptr;
  Counter* load_errors = nullptr;
  std::map<std::string, Counter*> commits, retries;      // by operation
  std::map<std::string, Counter*> runs, failures;        // by maintenance kind
  int64_t last_commit_ms = 0;
  std::optional<int64_t> oldest_snapshot_ms;
};

ServeMetrics::ServeMetrics(std::string catalog_name)
    : catalog_(std::move(catalog_name)),
      tables_registry_(std::make_shared<prometheus::Registry>()),
      live_registry_(std::make_shared<prometheus::Registry>()),
      published_(std::make_shared<const std::string>()) {
  // Per-table series go to the registry published after each refresh; the
  // ages and the service's own series to the one serialized per scrape.
  prometheus::Registry* r = tables_registry_.get();
  auto gauge = [&](const char* name, const char* help) {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(*r);
  };
  auto counter = [&](const char* name, const char* help) {
    return &prometheus::BuildCounter().Name(name).Help(help).Register(*r);
  };
  auto histogram = [&](const char* name, const char* help) {
    return &prometheus::BuildHistogram().Name(name).Help(help).Register(*r);
  };
  snapshot_count_ = gauge("iceberg_table_snapshot_count", "Snapshots in the table's metadata");
  data_files_ = gauge("iceberg_table_data_files", "Live data files (summary total-data-files)");
  total_records_ = gauge("iceberg_table_total_records", "Live rows before deletes (summary total-records)");
  total_size_ = gauge("iceberg_table_total_size_bytes",
                      "Bytes of live data and delete files (summary total-files-size)");
  compaction_duration_ = histogram("iceberg_compaction_duration_seconds",
                                   "Duration of each data compaction committed to the table");
  delete_files_ = gauge("iceberg_table_delete_files", "Live delete files (summary total-delete-files)");
  position_deletes_ = gauge("iceberg_table_position_deletes",
                            "Rows deleted by live position deletes and deletion vectors");
  equality_deletes_ = gauge("iceberg_table_equality_deletes", "Rows of live equality delete files");
  manifests_ = gauge("iceberg_table_manifests", "Manifests of the current snapshot");
  small_files_ = gauge("iceberg_table_small_data_files",
                       "Live data files under 0.75 x write.target-file-size-bytes");
  expirable_ = gauge("iceberg_table_expirable_snapshots",
                     "Snapshots the table's retention policy (history.expire.*) would expire now");
  commits_ = counter("iceberg_table_commits_total", "Snapshots committed, by operation");
  commit_retries_ = counter("iceberg_table_commit_retries_total",
                            "Commit attempts lost to a concurrent writer (Floe's commits), by operation");
  load_errors_ = counter("iceberg_table_load_errors_total",
                         "Failed reads of the table's metadata or manifests");
  maintenance_runs_ = counter("floe_maintenance_runs_total", "Maintenance steps run, by kind");
  maintenance_failures_ = counter("floe_maintenance_failures_total", "Maintenance steps failed, by kind");
  r = live_registry_.get();
  since_commit_ = gauge("iceberg_table_seconds_since_last_commit",
                        "Seconds since the newest snapshot was committed");
  oldest_snapshot_age_ = gauge("iceberg_table_oldest_snapshot_age_seconds",
                               "Age of the oldest snapshot kept in the metadata");
  gauge("floe_serve_info", "The floe serve build")->Add({{"version", FLOE_VERSION}}).Set(1);
  tables_ = &gauge("floe_serve_tables", "Tables watched")->Add({});
  catalog_up_ = &gauge("floe_serve_catalog_up", "1 when the last catalog listing succeeded")->Add({});
  maintenance_running_ =
      &gauge("floe_serve_maintenance_running", "Maintenance jobs running now")->Add({});
  refresh_duration_ = &histogram("floe_serve_refresh_duration_seconds",
                                 "Duration of each refresh of the catalog's tables")
                           ->Add({}, kRefreshBuckets);
  refresh_errors_ = &counter("floe_serve_refresh_errors_total",
                             "Refreshes that could not list the catalog")->Add({});
  metadata_reads_ = &counter("floe_serve_metadata_reads_total",
                             "Table metadata files read by refreshes")->Add({});
  manifest_reads_ = &counter("floe_serve_manifest_reads_total",
                             "Manifests read by refreshes (each new manifest once)")->Add({});
  // Gauges set from the cache's own totals (which only grow), so a cache
  // made per process needs no deltas.
  cache_hits_ = &gauge("floe_serve_manifest_cache_hits",
                       "Manifests maintenance planning found in the cache")->Add({});
  cache_misses_ = &gauge("floe_serve_manifest_cache_misses",
                         "Manifests maintenance planning read and cached")->Add({});
  cache_bytes_ = &gauge("floe_serve_manifest_cache_bytes",
                        "Estimated bytes of the decoded manifests cached")->Add({});
  request_duration_ = histogram("floe_serve_http_request_duration_seconds",
                                "Duration of the HTTP requests served, by path");
}

ServeMetrics::~ServeMetrics() = default;

std::map<std::string, std::string> ServeMetrics::Labels(const catalog::TableIdentifier& id) const {
  return {{"catalog", catalog_}, {"namespace", catalog::NamespaceToString(id.ns)}, {"table", id.name}};
}

ServeMetrics::TableSeries* ServeMetrics::Find(const catalog::TableIdentifier& id) {
  auto it = tables_by_name_.find(id.ToString());
  return it == tables_by_name_.end() ? nullptr : it->second.get();
}

void ServeMetrics::AddTable(const catalog::TableIdentifier& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = tables_by_name_[id.ToString()];
  if (slot) return;
  slot = std::make_unique<TableSeries>();
  slot->labels = Labels(id);
  slot->compaction = &compaction_duration_->Add(slot->labels, kCompactionBuckets);
  slot->load_errors = &load_errors_->Add(slot->labels);
  tables_->Set(static_cast<double>(tables_by_name_.size()));
}

void ServeMetrics::RemoveTable(const catalog::TableIdentifier& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tables_by_name_.find(id.ToString());
  if (it == tables_by_name_.end()) return;
  TableSeries& s = *it->second;
  auto drop = [](auto* family, auto* metric) {
    if (metric) family->Remove(metric);
  };
  drop(snapshot_count_, s.snapshot_count);
  drop(data_files_, s.data_files);
  drop(total_records_, s.total_records);
  drop(total_size_, s.total_size);
  drop(delete_files_, s.delete_files);
  drop(position_deletes_, s.position_deletes);
  drop(equality_deletes_, s.equality_deletes);
  drop(manifests_, s.manifests);
  drop(small_files_, s.small_files);
  drop(since_commit_, s.since_commit);
  drop(oldest_snapshot_age_, s.oldest_age);
  drop(expirable_, s.expirable);
  drop(compaction_duration_, s.compaction);
  drop(load_errors_, s.load_errors);
  for (auto& [op, c] : s.commits) commits_->Remove(c);
  for (auto& [op, c] : s.retries) commit_retries_->Remove(c);
  for (auto& [kind, c] : s.runs) maintenance_runs_->Remove(c);
  for (auto& [kind, c] : s.failures) maintenance_failures_->Remove(c);
  tables_by_name_.erase(it);
  tables_->Set(static_cast<double>(tables_by_name_.size()));
}

void ServeMetrics::SetStats(const catalog::TableIdentifier& id, const TableStats& st) {
  std::lock_guard<std::mutex> lock(mu_);
  TableSeries* s = Find(id);
  if (s == nullptr) return;
  if (s->snapshot_count == nullptr) {
    s->snapshot_count = &snapshot_count_->Add(s->labels);
    s->data_files = &data_files_->Add(s->labels);
    s->total_records = &total_records_->Add(s->labels);
    s->total_size = &total_size_->Add(s->labels);
    s->delete_files = &delete_files_->Add(s->labels);
    s->position_deletes = &position_deletes_->Add(s->labels);
    s->equality_deletes = &equality_deletes_->Add(s->labels);
    s->manifests = &manifests_->Add(s->labels);
    s->small_files = &small_files_->Add(s->labels);
    s->since_commit = &since_commit_->Add(s->labels);
    s->expirable = &expirable_->Add(s->labels);
  }
  auto d = [](int64_t v) { return static_cast<double>(v); };
  s->snapshot_count->Set(d(st.snapshot_count));
  s->data_files->Set(d(st.data_files));
  s->total_records->Set(d(st.total_records));
  s->total_size->Set(d(st.total_size_bytes));
  s->delete_files->Set(d(st.delete_files));
  s->position_deletes->Set(d(st.position_deletes));
  s->equality_deletes->Set(d(st.equality_deletes));
  s->manifests->Set(d(st.manifests));
  s->small_files->Set(d(st.small_data_files));
  s->last_commit_ms = st.last_commit_ms;
  s->oldest_snapshot_ms = st.oldest_snapshot_ms;
  // A table without snapshots has no oldest snapshot: no series, not a 0.
  if (st.oldest_snapshot_ms && s->oldest_age == nullptr) {
    s->oldest_age = &oldest_snapshot_age_->Add(s->labels);
  } else if (!st.oldest_snapshot_ms && s->oldest_age != nullptr) {
    oldest_snapshot_age_->Remove(s->oldest_age);
    s->oldest_age = nullptr;
  }
}

void ServeMetrics::RecordCommits(const catalog::TableIdentifier& id,
                                 const std::vector<CommitEvent>& commits) {
  std::lock_guard<std::mutex> lock(mu_);
  TableSeries* s = Find(id);
  if (s == nullptr) return;
  for (const CommitEvent& e : commits) {
    auto labels = s->labels;
    labels["operation"] = e.operation;
    Counter*& c = s->commits[e.operation];
    if (c == nullptr) c = &commits_->Add(labels);
    c->Increment();
    Counter*& r = s->retries[e.operation];
    if (r == nullptr) r = &commit_retries_->Add(labels);
    r->Increment(static_cast<double>(e.retries));
    if (e.compaction_seconds) s->compaction->Observe(*e.compaction_seconds);
  }
}

void ServeMetrics::RecordLoadError(const catalog::TableIdentifier& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (TableSeries* s = Find(id)) s->load_errors->Increment();
}

void ServeMetrics::RecordMaintenance(const catalog::TableIdentifier& id, const std::string& kind,
                                     bool failed) {
  std::lock_guard<std::mutex> lock(mu_);
  TableSeries* s = Find(id);
  if (s == nullptr) return;
  auto labels = s->labels;
  labels["kind"] = kind;
  Counter*& runs = s->runs[kind];
  if (runs == nullptr) runs = &maintenance_runs_->Add(labels);
  // Both series exist once a kind ran, so failure ratios have a denominator
  // and a zero numerator.
  Counter*& failures = s->failures[kind];
  if (failures == nullptr) failures = &maintenance_failures_->Add(labels);
  runs->Increment();
  if (failed) failures->Increment();
}

void ServeMetrics::SetExpirable(const catalog::TableIdentifier& id, int64_t snapshots) {
  std::lock_guard<std::mutex> lock(mu_);
  TableSeries* s = Find(id);
  if (s != nullptr && s->expirable != nullptr) s->expirable->Set(static_cast<double>(snapshots));
}

void ServeMetrics::SetManifestCache(const table::ManifestCache::Stats& stats) {
  cache_hits_->Set(static_cast<double>(stats.hits));
  cache_misses_->Set(static_cast<double>(stats.misses));
  cache_bytes_->Set(static_cast<double>(stats.bytes));
}

void ServeMetrics::RecordReads(int64_t metadata_files, int64_t manifests) {
  metadata_reads_->Increment(static_cast<double>(metadata_files));
  manifest_reads_->Increment(static_cast<double>(manifests));
}

void ServeMetrics::SetCatalogUp(bool up) { catalog_up_->Set(up ? 1 : 0); }

void ServeMetrics::SetMaintenanceRunning(int64_t jobs) {
  maintenance_running_->Set(static_cast<double>(jobs));
}

void ServeMetrics::ObserveRefresh(double seconds, bool ok) {
  refresh_duration_->Observe(seconds);
  if (!ok) refresh_errors_->Increment();
}

void ServeMetrics::ObserveRequest(const std::string& path, double seconds) {
  request_duration_->Add({{"path", path}}, kRequestBuckets).Observe(seconds);
}

void ServeMetrics::Publish() {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, tables_registry_->Collect());
  auto text = std::make_shared<const std::string>(std::move(out).str());
  std::lock_guard<std::mutex> lock(published_mu_);
  published_ = std::move(text);
}

std::string ServeMetrics::Serialize(int64_t now_ms) {
  std::shared_ptr<const std::string> published;
  {
    std::lock_guard<std::mutex> lock(published_mu_);
    published = published_;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [name, s] : tables_by_name_) {
      if (s->since_commit) s->since_commit->Set(static_cast<double>(now_ms - s->last_commit_ms) / 1000.0);
      if (s->oldest_age && s->oldest_snapshot_ms) {
        s->oldest_age->Set(static_cast<double>(now_ms - *s->oldest_snapshot_ms) / 1000.0);
      }
    }
  }
  std::ostringstream live;
  prometheus::TextSerializer().Serialize(live, live_registry_->Collect());
  std::string out;
  out.reserve(published->size() + 4096);
  out += *published;
  out += std::move(live).str();
  return out;
}

}  // namespace floe::server
