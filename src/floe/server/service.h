// `floe serve`: one process that watches a catalog's tables, exports their
// metrics over HTTP and, with maintain, keeps them within policy.
//
//   refresh thread ── CatalogMonitor::Refresh every refresh_ms ──> ServeMetrics
//   HTTP pool      ── /metrics (ServeMetrics::Serialize), /healthz, /readyz
//   scheduler      ── MaintenanceScheduler (optional) ──> commits, which
//                     the next refresh reads back like anyone else's
//
// Nothing is read per scrape: a scrape serializes what the last refresh
// found. Thread-safe as a whole; Start and Stop from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "floe/catalog/catalog.h"
#include "floe/server/http_endpoint.h"
#include "floe/server/log.h"
#include "floe/server/metrics.h"
#include "floe/server/monitor.h"
#include "floe/server/scheduler.h"

namespace floe::server {

struct ServeOptions {
  std::string listen = "127.0.0.1:9464";
  int64_t refresh_ms = 30000;
  bool maintain = false;
  MonitorOptions monitor;
  SchedulerOptions scheduler;
};

class Service {
 public:
  // `log_out` receives the log lines; it must outlive the service.
  Service(std::shared_ptr<catalog::Catalog> catalog, ServeOptions options, std::ostream* log_out);
  ~Service();

  // Binds the address, runs a first refresh in the background and starts
  // serving. Errors: the address (see HttpEndpoint::Start).
  Status Start();
  // Stops the scheduler (jobs end after their current step), the refresh
  // loop and the HTTP server, in that order.
  void Stop();

  int port() const { return http_.port(); }
  ServeMetrics& metrics() { return metrics_; }

 private:
  void RefreshLoop();

  std::shared_ptr<catalog::Catalog> catalog_;
  ServeOptions options_;
  Logger log_;
  ServeMetrics metrics_;
  CatalogMonitor monitor_;
  std::unique_ptr<MaintenanceScheduler> scheduler_;
  HttpEndpoint http_;
  std::thread refresher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool started_ = false;
};

}  // namespace floe::server
