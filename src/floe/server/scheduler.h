// `floe serve --maintain`: runs the maintenance policy (maintain.h) on every
// watched table on a schedule.
//
// - Each table runs every `every_ms`, or its floe.maintenance.interval-ms;
//   at most `concurrency` tables at once.
// - Never two jobs on one table: within the process by bookkeeping, across
//   processes sharing the catalog by a lease (catalog/maintenance_leases.h)
//   taken before the job and renewed while it runs; a job whose lease
//   cannot be renewed stops after its current step. A table leased by
//   another process is simply not due until its next turn.
// - A run that loses commits to concurrent writers (CommitConflict) is
//   retried after conflict_backoff_ms, doubling up to the table's interval,
//   rather than waiting a whole interval or hammering a busy table.
// - Stop(): no job starts; running jobs finish their current step, give
//   their leases back and end (an interrupted step is safe anyway: the
//   table stays at its previous or next state).
//
// Thread-safe: Start and Stop from one thread; the rest is internal.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "floe/catalog/catalog.h"
#include "floe/server/log.h"
#include "floe/server/metrics.h"
#include "floe/server/monitor.h"
#include "floe/table/manifest_cache.h"

namespace floe::server {

struct SchedulerOptions {
  int64_t every_ms = 10 * 60 * 1000;
  int concurrency = 1;
  int64_t lease_ttl_ms = 5 * 60 * 1000;  // renewed every third of it
  int64_t conflict_backoff_ms = 30 * 1000;
  int threads_per_job = 0;  // 0: util::CpuParallelism()
  // Decoded manifests kept across jobs (and cycles) for their planning:
  // maintenance plans the same unchanged manifests every interval. 0: none.
  int64_t manifest_cache_bytes = 256LL << 20;
  std::string holder;       // this process in the lease table; default host:pid:random
};

class MaintenanceScheduler {
 public:
  // `monitor`, `metrics` and `log` must outlive the scheduler.
  MaintenanceScheduler(std::shared_ptr<catalog::Catalog> catalog, CatalogMonitor* monitor,
                       ServeMetrics* metrics, Logger* log, SchedulerOptions options);
  ~MaintenanceScheduler();

  void Start();
  // Returns once every job has ended.
  void Stop();

  const std::string& holder() const { return options_.holder; }

 private:
  struct TableSchedule {
    int64_t due_ms = 0;  // steady clock
    int conflicts = 0;   // consecutive runs that lost to writers
    bool running = false;
  };
  struct Job {
    catalog::TableIdentifier id;
    std::atomic<bool> stop{false};
    int64_t lease_renewed_ms = 0;
  };
  void Dispatch();
  void Work();
  void RunJob(Job* job);
  void RenewLeases(int64_t now);

  std::shared_ptr<catalog::Catalog> catalog_;
  CatalogMonitor* monitor_;
  ServeMetrics* metrics_;
  Logger* log_;
  SchedulerOptions options_;
  std::shared_ptr<table::ManifestCache> manifest_cache_;  // null when off
  std::mutex cache_metrics_mu_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::map<std::string, TableSchedule> schedule_;  // by "ns.table"
  std::deque<std::shared_ptr<Job>> queue_;
  std::vector<std::shared_ptr<Job>> running_;
  std::vector<std::thread> threads_;
};

}  // namespace floe::server
