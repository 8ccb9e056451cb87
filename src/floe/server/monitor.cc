#include "floe/server/monitor.h"

#include <chrono>
#include <limits>

#include "floe/catalog/metadata_files.h"
#include "floe/table/snapshot_expiry.h"
#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::server {

namespace {

// What `floe expire` with the table's own settings would remove now; none
// when gc.enabled=false forbids expiry.
int64_t ExpirableSnapshots(const spec::TableMetadata& md, int64_t now_ms) {
  if (!md.GcEnabled()) return 0;
  table::ExpiryOptions o;
  o.now_ms = now_ms;
  auto plan = table::PlanExpiry(md, o);
  return plan.ok() ? static_cast<int64_t>(plan->snapshots.size()) : 0;
}

}  // namespace

CatalogMonitor::CatalogMonitor(std::shared_ptr<catalog::Catalog> catalog, ServeMetrics* metrics,
                               Logger* log, MonitorOptions options)
    : catalog_(std::move(catalog)), metrics_(metrics), log_(log), options_(std::move(options)) {
  if (options_.threads <= 0) options_.threads = util::DefaultParallelism();
}

std::vector<catalog::TableIdentifier> CatalogMonitor::Tables() const {
  std::lock_guard<std::mutex> lock(mu_);
  return listed_;
}

bool CatalogMonitor::ready() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ready_;
}

Result<std::vector<std::pair<catalog::TableIdentifier, std::string>>> CatalogMonitor::ListLocations() {
  std::vector<catalog::Namespace> namespaces;
  if (options_.namespaces.empty()) {
    FLOE_ASSIGN_OR_RAISE(namespaces, catalog::ListNamespacesRecursive(*catalog_, std::nullopt));
  } else {
    for (const auto& root : options_.namespaces) {
      auto below = catalog::ListNamespacesRecursive(*catalog_, root);
      // A watched namespace that does not exist (yet) holds no tables.
      if (!below.ok() && below.status().IsNotFound()) continue;
      FLOE_RETURN_NOT_OK(below.status());
      namespaces.insert(namespaces.end(), below->begin(), below->end());
    }
  }
  std::vector<std::pair<catalog::TableIdentifier, std::string>> out;
  for (const auto& ns : namespaces) {
    auto tables = catalog_->ListTableLocations(ns);
    // Dropped between the two listings.
    if (!tables.ok() && tables.status().IsNotFound()) continue;
    FLOE_RETURN_NOT_OK(tables.status());
    for (auto& t : *tables) out.push_back(std::move(t));
  }
  return out;
}

void CatalogMonitor::Load(TableState* state, int inner_threads, RefreshSummary* summary,
                          std::mutex* mu) {
  const std::string name = state->id.ToString();
  auto fail = [&](const Status& st) {
    metrics_->RecordLoadError(state->id);
    std::lock_guard<std::mutex> lock(*mu);
    ++summary->errors;
    if (st.ToString() != state->last_error) {
      state->last_error = st.ToString();
      log_->Warn("table load failed", {{"table", name},
                                       {"metadata", state->location},
                                       {"error", state->last_error},
                                       {"action", "serving the last values; retrying every refresh"}});
    }
  };
  auto md = catalog::ReadMetadataFile(*catalog_->io(), state->location);
  if (!md.ok()) return fail(md.status());
  const int64_t manifests_before = state->tracker->manifests_read();
  auto commits = state->tracker->Update(**md, *catalog_->io(), inner_threads);
  metrics_->RecordReads(1, state->tracker->manifests_read() - manifests_before);
  if (!commits.ok()) return fail(commits.status());
  state->metadata = *md;
  metrics_->SetStats(state->id, state->tracker->stats());
  metrics_->RecordCommits(state->id, *commits);
  state->loaded_location = state->location;
  std::lock_guard<std::mutex> lock(*mu);
  ++summary->reloaded;
  summary->commits += static_cast<int64_t>(commits->size());
  if (!state->last_error.empty()) {
    log_->Info("table recovered", {{"table", name}});
    state->last_error.clear();
  }
}

Result<RefreshSummary> CatalogMonitor::Refresh() {
  const auto start = std::chrono::steady_clock::now();
  const int64_t pass_ms = util::NowMillis();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto listed = ListLocations();
  if (!listed.ok()) {
    metrics_->SetCatalogUp(false);
    metrics_->ObserveRefresh(seconds(), false);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ready_ = false;
    }
    return listed.status().WithContext("listing the tables of catalog '" + catalog_->name() + "'");
  }
  metrics_->SetCatalogUp(true);

  // Tables that left the catalog take their series with them.
  std::map<std::string, std::string> now;
  for (const auto& [id, location] : *listed) now[id.ToString()] = location;
  for (auto it = tables_.begin(); it != tables_.end();) {
    if (now.count(it->first)) {
      ++it;
      continue;
    }
    metrics_->RemoveTable(it->second.id);
    log_->Info("table gone", {{"table", it->first}});
    it = tables_.erase(it);
  }
  const bool verify = options_.verify_every_passes > 0 && passes_ > 0 &&
                      passes_ % options_.verify_every_passes == 0;
  ++passes_;
  std::vector<TableState*> changed;
  std::vector<catalog::TableIdentifier> ids;
  for (auto& [id, location] : *listed) {
    ids.push_back(id);
    auto [it, added] = tables_.try_emplace(id.ToString());
    TableState& st = it->second;
    if (added) {
      st.id = id;
      // Tables there at start: their history is not news. Tables that
      // appear later: commits since the previous pass are (a minute of
      // slack for writers' clocks).
      st.tracker = std::make_unique<TableStatsTracker>(
          first_pass_ ? std::numeric_limits<int64_t>::max() : previous_pass_ms_ - 60000);
      metrics_->AddTable(id);
    }
    st.location = location;
    if (verify || st.location != st.loaded_location) changed.push_back(&st);
  }

  RefreshSummary summary;
  summary.tables = static_cast<int64_t>(ids.size());
  std::mutex mu;
  // Many changed tables: one thread each. Few: their manifests in parallel.
  const int outer = std::min<int>(options_.threads, static_cast<int>(changed.size()));
  const int inner = std::max(1, options_.threads / std::max(1, outer));
  (void)util::ParallelFor(changed.size(), std::max(1, outer), [&](size_t i) {
    Load(changed[i], inner, &summary, &mu);
    return Status::OK();  // a table's error is its own
  });
  // Expirable snapshots change with the clock, not only with commits:
  // judged for every table each pass (metadata only, no I/O).
  for (auto& [name, st] : tables_) {
    if (st.metadata) metrics_->SetExpirable(st.id, ExpirableSnapshots(*st.metadata, pass_ms));
  }
  first_pass_ = false;
  previous_pass_ms_ = pass_ms;
  {
    std::lock_guard<std::mutex> lock(mu_);
    listed_ = std::move(ids);
    ready_ = true;
  }
  summary.seconds = seconds();
  metrics_->ObserveRefresh(summary.seconds, true);
  return summary;
}

}  // namespace floe::server
