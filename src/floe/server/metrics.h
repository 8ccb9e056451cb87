// The Prometheus metrics of `floe serve`, kept in a prometheus-cpp registry
// and written in the text exposition format by its serializer.
//
// Per table (labels catalog, namespace, table; nested namespaces joined
// with '.'), the design note's five, spelled exactly as it does:
//   iceberg_table_snapshot_count, iceberg_table_data_files,
//   iceberg_table_total_records, iceberg_table_total_size_bytes  (gauges)
//   iceberg_compaction_duration_seconds                          (histogram)
// and what shows trouble coming:
//   iceberg_table_delete_files, iceberg_table_position_deletes,
//   iceberg_table_equality_deletes (rows), iceberg_table_manifests,
//   iceberg_table_small_data_files, iceberg_table_seconds_since_last_commit,
//   iceberg_table_oldest_snapshot_age_seconds,
//   iceberg_table_expirable_snapshots                            (gauges)
//   iceberg_table_commits_total{operation},
//   iceberg_table_commit_retries_total{operation},
//   iceberg_table_load_errors_total,
//   floe_maintenance_runs_total{kind}, floe_maintenance_failures_total{kind}
// and the service's own: floe_serve_info{version}, floe_serve_tables,
// floe_serve_catalog_up, floe_serve_maintenance_running,
// floe_serve_refresh_duration_seconds, floe_serve_refresh_errors_total,
// floe_serve_metadata_reads_total, floe_serve_manifest_reads_total,
// floe_serve_manifest_cache_hits, _misses and _bytes (the maintenance
// scheduler's cache of decoded manifests),
// floe_serve_http_request_duration_seconds{path}.
//
// A table's counters and its histogram exist from the moment it is added
// (at zero), its gauges from its first successful load: a table that never
// loaded shows no made-up zeros.
//
// Scrapes stay cheap at thousands of tables: the per-table series are
// serialized once per refresh (Publish) and a scrape sends that text plus
// the few series that must be current — the ages, computed as of the
// scrape, and the service's own. Per-table counters (commits, maintenance
// runs) therefore show at the next Publish.
//
// Thread-safe: prometheus-cpp's metrics are atomic and its families lock;
// the table map and the published text have their own locks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "floe/catalog/table_identifier.h"
#include "floe/server/table_stats.h"
#include "floe/table/manifest_cache.h"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace floe::server {

class ServeMetrics {
 public:
  explicit ServeMetrics(std::string catalog_name);
  ~ServeMetrics();
  ServeMetrics(const ServeMetrics&) = delete;
  ServeMetrics& operator=(const ServeMetrics&) = delete;

  // A table appeared in the catalog / left it (its series go with it).
  void AddTable(const catalog::TableIdentifier& id);
  void RemoveTable(const catalog::TableIdentifier& id);

  void SetStats(const catalog::TableIdentifier& id, const TableStats& stats);
  void RecordCommits(const catalog::TableIdentifier& id, const std::vector<CommitEvent>& commits);
  void RecordLoadError(const catalog::TableIdentifier& id);
  // Snapshots the retention policy would expire now (computed each refresh).
  void SetExpirable(const catalog::TableIdentifier& id, int64_t snapshots);
  // What a refresh read: metadata files, manifest lists and manifests.
  void RecordReads(int64_t metadata_files, int64_t manifests);
  // The maintenance scheduler's manifest cache, after each job.
  void SetManifestCache(const table::ManifestCache::Stats& stats);
  // One maintenance step run on a table; `kind` is the step's name.
  void RecordMaintenance(const catalog::TableIdentifier& id, const std::string& kind, bool failed);

  void SetCatalogUp(bool up);
  void SetMaintenanceRunning(int64_t jobs);
  void ObserveRefresh(double seconds, bool ok);
  void ObserveRequest(const std::string& path, double seconds);

  // Serializes the per-table series for the scrapes to come.
  void Publish();
  // The exposition text: the last published per-table series, ages as of
  // `now_ms`, the service's series.
  std::string Serialize(int64_t now_ms);

 private:
  struct TableSeries;
  TableSeries* Find(const catalog::TableIdentifier& id);  // mu_ held
  std::map<std::string, std::string> Labels(const catalog::TableIdentifier& id) const;

  const std::string catalog_;
  std::shared_ptr<prometheus::Registry> tables_registry_;
  std::shared_ptr<prometheus::Registry> live_registry_;
  std::mutex published_mu_;
  std::shared_ptr<const std::string> published_;
  // Families, owned by the registry.
  prometheus::Family<prometheus::Gauge>* snapshot_count_;
  prometheus::Family<prometheus::Gauge>* data_files_;
  prometheus::Family<prometheus::Gauge>* total_records_;
  prometheus::Family<prometheus::Gauge>* total_size_;
  prometheus::Family<prometheus::Histogram>* compaction_duration_;
  prometheus::Family<prometheus::Gauge>* delete_files_;
  prometheus::Family<prometheus::Gauge>* position_deletes_;
  prometheus::Family<prometheus::Gauge>* equality_deletes_;
  prometheus::Family<prometheus::Gauge>* manifests_;
  prometheus::Family<prometheus::Gauge>* small_files_;
  prometheus::Family<prometheus::Gauge>* since_commit_;
  prometheus::Family<prometheus::Gauge>* oldest_snapshot_age_;
  prometheus::Family<prometheus::Gauge>* expirable_;
  prometheus::Family<prometheus::Counter>* commits_;
  prometheus::Family<prometheus::Counter>* commit_retries_;
  prometheus::Family<prometheus::Counter>* load_errors_;
  prometheus::Family<prometheus::Counter>* maintenance_runs_;
  prometheus::Family<prometheus::Counter>* maintenance_failures_;
  prometheus::Gauge* tables_;
  prometheus::Gauge* catalog_up_;
  prometheus::Gauge* maintenance_running_;
  prometheus::Histogram* refresh_duration_;
  prometheus::Counter* refresh_errors_;
  prometheus::Counter* metadata_reads_;
  prometheus::Counter* manifest_reads_;
  prometheus::Gauge* cache_hits_;
  prometheus::Gauge* cache_misses_;
  prometheus::Gauge* cache_bytes_;
  prometheus::Family<prometheus::Histogram>* request_duration_;

  std::mutex mu_;
  std::map<std::string, std::unique_ptr<TableSeries>> tables_by_name_;
};

}  // namespace floe::server
