// The refresh loop's one pass: which tables the catalog has, and what
// changed in them since the previous pass.
//
// A pass lists the watched namespaces (and those below them) and every
// table's current metadata location — one query per namespace with the SQL
// catalog — then reads only the metadata files that moved, in parallel,
// and updates the metrics. Cost per pass: O(tables) catalog rows plus the
// commits made since the last one; an idle catalog re-reads nothing, except
// on every verify_every_passes-th pass, which re-reads each metadata file
// (no manifests) to notice files lost under an unchanged pointer.
//
// Faults stay local: a table whose metadata cannot be read (file deleted,
// storage down) counts a load error, logs once per new error, keeps its
// last values and is retried next pass; a catalog that cannot be listed
// fails the pass (floe_serve_catalog_up 0, /readyz 503) and everything
// keeps its last values until the catalog answers again.
//
// Thread-safe: Refresh runs on one thread at a time (the service's refresh
// thread); Tables() may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "floe/catalog/catalog.h"
#include "floe/server/log.h"
#include "floe/server/metrics.h"
#include "floe/server/table_stats.h"

namespace floe::server {

struct MonitorOptions {
  // Namespaces to watch, with everything below them; empty: the catalog.
  std::vector<catalog::Namespace> namespaces;
  int threads = 0;  // metadata files read at once; 0: util::DefaultParallelism()
  // Every this many passes, every table's metadata file is read again even
  // if the catalog still points at it: a file deleted or damaged under an
  // unchanged pointer shows up as a load error. 0: never.
  int verify_every_passes = 10;
};

struct RefreshSummary {
  int64_t tables = 0;
  int64_t reloaded = 0;  // metadata files read
  int64_t errors = 0;    // tables that failed to load this pass
  int64_t commits = 0;   // new snapshots seen
  double seconds = 0;
};

class CatalogMonitor {
 public:
  // `metrics` and `log` must outlive the monitor.
  CatalogMonitor(std::shared_ptr<catalog::Catalog> catalog, ServeMetrics* metrics, Logger* log,
                 MonitorOptions options);

  // One pass. Errors only when the catalog cannot be listed.
  Result<RefreshSummary> Refresh();

  // The tables found by the last successful listing.
  std::vector<catalog::TableIdentifier> Tables() const;
  // True once a pass listed the catalog and the last one succeeded.
  bool ready() const;

 private:
  struct TableState {
    catalog::TableIdentifier id;
    std::string location;         // as the catalog lists it now
    std::string loaded_location;  // the metadata the stats reflect ("" never loaded)
    std::unique_ptr<TableStatsTracker> tracker;
    std::shared_ptr<const spec::TableMetadata> metadata;  // as last loaded
    std::string last_error;       // logged once until it changes or clears
  };
  Result<std::vector<std::pair<catalog::TableIdentifier, std::string>>> ListLocations();
  void Load(TableState* state, int inner_threads, RefreshSummary* summary, std::mutex* mu);

  std::shared_ptr<catalog::Catalog> catalog_;
  ServeMetrics* metrics_;
  Logger* log_;
  MonitorOptions options_;
  bool first_pass_ = true;
  int64_t passes_ = 0;
  int64_t previous_pass_ms_ = 0;  // wall clock at the start of the last good pass
  std::map<std::string, TableState> tables_;  // by "ns.table"; the refresh thread only

  mutable std::mutex mu_;  // guards the two below
  std::vector<catalog::TableIdentifier> listed_;
  bool ready_ = false;
};

}  // namespace floe::server
