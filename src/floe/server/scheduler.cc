#include "floe/server/scheduler.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "floe/maintenance/maintain.h"
#include "floe/table/table.h"
#include "floe/util/random_ids.h"

namespace floe::server {

namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string DefaultHolder() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}:{}", host[0] ? host : "localhost", getpid(),
                     util::RandomUuid().substr(0, 8));
}

// The kinds floe_maintenance_*_total count: the steps of maintain.h.
std::string KindOf(const std::string& step) { return step == "expire cleanup" ? "expire" : step; }

}  // namespace

MaintenanceScheduler::MaintenanceScheduler(std::shared_ptr<catalog::Catalog> catalog,
                                           CatalogMonitor* monitor, ServeMetrics* metrics,
                                           Logger* log, SchedulerOptions options)
    : catalog_(std::move(catalog)),
      monitor_(monitor),
      metrics_(metrics),
      log_(log),
      options_(std::move(options)) {
  if (options_.holder.empty()) options_.holder = DefaultHolder();
  options_.concurrency = std::max(1, options_.concurrency);
  options_.lease_ttl_ms = std::max<int64_t>(3000, options_.lease_ttl_ms);
  if (options_.manifest_cache_bytes > 0) {
    manifest_cache_ = std::make_shared<table::ManifestCache>(options_.manifest_cache_bytes);
  }
}

MaintenanceScheduler::~MaintenanceScheduler() { Stop(); }

void MaintenanceScheduler::Start() {
  threads_.emplace_back([this] { Dispatch(); });
  for (int i = 0; i < options_.concurrency; ++i) threads_.emplace_back([this] { Work(); });
}

void MaintenanceScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& job : running_) job->stop = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void MaintenanceScheduler::Dispatch() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const std::vector<catalog::TableIdentifier> ids = monitor_->Tables();
    const int64_t now = SteadyMs();
    lock.lock();
    if (stopping_) break;
    std::map<std::string, const catalog::TableIdentifier*> listed;
    for (const auto& id : ids) listed.emplace(id.ToString(), &id);
    for (auto it = schedule_.begin(); it != schedule_.end();) {
      it = (!listed.count(it->first) && !it->second.running) ? schedule_.erase(it) : std::next(it);
    }
    std::vector<std::pair<int64_t, const catalog::TableIdentifier*>> due;
    for (const auto& [name, id] : listed) {
      auto [it, added] = schedule_.try_emplace(name);
      if (added) {
        // New tables start within a minute (or an interval), spread so a
        // thousand tables do not all start at once.
        const int64_t spread = std::min<int64_t>(options_.every_ms, 60000);
        it->second.due_ms = now + static_cast<int64_t>(std::hash<std::string>{}(name) %
                                                       static_cast<uint64_t>(std::max<int64_t>(1, spread)));
      }
      if (!it->second.running && it->second.due_ms <= now) due.emplace_back(it->second.due_ms, id);
    }
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t free = static_cast<size_t>(options_.concurrency) - std::min(running_.size() + queue_.size(),
                                                                      static_cast<size_t>(options_.concurrency));
    for (size_t i = 0; i < due.size() && i < free; ++i) {
      auto job = std::make_shared<Job>();
      job->id = *due[i].second;
      schedule_[job->id.ToString()].running = true;
      queue_.push_back(std::move(job));
    }
    if (!due.empty()) cv_.notify_all();
    std::vector<std::shared_ptr<Job>> running = running_;
    lock.unlock();
    for (auto& job : running) {
      if (now - job->lease_renewed_ms < options_.lease_ttl_ms / 3) continue;
      auto renewed = catalog_->TryAcquireLease(job->id, options_.holder, options_.lease_ttl_ms);
      if (renewed.ok() && *renewed) {
        job->lease_renewed_ms = now;
      } else if ((renewed.ok() && !*renewed) || now - job->lease_renewed_ms > options_.lease_ttl_ms / 2) {
        // Another process may take the table soon: stop after this step.
        job->stop = true;
        log_->Warn("maintenance lease lost",
                   {{"table", job->id.ToString()},
                    {"error", renewed.ok() ? "held by another process" : renewed.status().ToString()},
                    {"action", "stopping after the current step"}});
      }
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; });
  }
}

void MaintenanceScheduler::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Job> job = queue_.front();
    queue_.pop_front();
    job->lease_renewed_ms = SteadyMs();
    running_.push_back(job);
    metrics_->SetMaintenanceRunning(static_cast<int64_t>(running_.size()));
    lock.unlock();
    RunJob(job.get());
    lock.lock();
    running_.erase(std::find(running_.begin(), running_.end(), job));
    metrics_->SetMaintenanceRunning(static_cast<int64_t>(running_.size()));
  }
}

void MaintenanceScheduler::RunJob(Job* job) {
  const std::string name = job->id.ToString();
  int64_t interval = options_.every_ms;
  bool conflict = false;
  auto reschedule = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    TableSchedule& s = schedule_[name];
    s.running = false;
    s.conflicts = conflict ? s.conflicts + 1 : 0;
    int64_t wait = interval;
    if (conflict) {
      wait = std::min(interval, options_.conflict_backoff_ms << std::min(s.conflicts - 1, 16));
    }
    s.due_ms = SteadyMs() + wait;
  };

  auto lease = catalog_->TryAcquireLease(job->id, options_.holder, options_.lease_ttl_ms);
  const bool leased = lease.ok() && *lease;
  if (lease.ok() && !*lease) {
    log_->Info("maintenance skipped", {{"table", name}, {"reason", "leased by another process"}});
    return reschedule();
  }
  if (!lease.ok() && !lease.status().IsNotSupported()) {
    // No lease, no job: two processes could otherwise collide.
    log_->Warn("maintenance lease failed", {{"table", name},
                                            {"error", lease.status().ToString()},
                                            {"action", "retrying at the next turn"}});
    metrics_->RecordMaintenance(job->id, "lease", true);
    return reschedule();
  }
  job->lease_renewed_ms = SteadyMs();
  log_->Info("maintenance started", {{"table", name}, {"holder", options_.holder}});
  auto release = [&] {
    if (!leased) return;
    Status st = catalog_->ReleaseLease(job->id, options_.holder);
    if (!st.ok()) {
      log_->Warn("maintenance lease release failed",
                 {{"table", name}, {"error", st.ToString()}, {"action", "it expires on its own"}});
    }
  };

  auto loaded = catalog_->LoadTable(job->id);
  if (!loaded.ok()) {
    log_->Warn("maintenance load failed", {{"table", name}, {"error", loaded.status().ToString()}});
    metrics_->RecordMaintenance(job->id, "load", true);
    release();
    return reschedule();
  }
  table::Table table(catalog_, std::move(*loaded));
  maintenance::MaintainOptions o;
  o.threads = options_.threads_per_job;
  o.manifest_cache = manifest_cache_;
  o.stop = &job->stop;
  o.log = [&](const std::string& line) { log_->Info("maintenance", {{"table", name}, {"step", line}}); };
  auto report = maintenance::MaintainTable(table, o);
  if (auto policy = maintenance::PolicyFromProperties(table.metadata()); policy.ok() && policy->interval_ms) {
    interval = *policy->interval_ms;
  }
  if (!report.ok()) {
    log_->Warn("maintenance failed", {{"table", name}, {"error", report.status().ToString()}});
    metrics_->RecordMaintenance(job->id, "policy", true);
    release();
    return reschedule();
  }
  std::map<std::string, bool> kinds;  // kind -> failed
  if (report->compaction) kinds["compact"] = false;
  if (report->deletes) kinds["compact-deletes"] = false;
  if (report->manifests) kinds["rewrite-manifests"] = false;
  if (report->expire) kinds["expire"] = false;
  if (report->orphans) kinds["remove-orphans"] = false;
  for (const auto& e : report->errors) {
    kinds[KindOf(e.step)] = true;
    conflict |= e.status.IsCommitConflict();
    log_->Warn("maintenance step failed",
               {{"table", name}, {"step", e.step}, {"error", e.status.ToString()}});
  }
  for (const auto& [kind, failed] : kinds) metrics_->RecordMaintenance(job->id, kind, failed);
  if (manifest_cache_) {
    // Read and set together, so concurrent jobs cannot set older totals last.
    std::lock_guard<std::mutex> lock(cache_metrics_mu_);
    metrics_->SetManifestCache(manifest_cache_->stats());
  }
  // Logged while the lease is still held: "started" to "done" lines of one
  // table never overlap across processes.
  log_->Info("maintenance done", {{"table", name},
                                  {"seconds", fmt::format("{:.3f}", report->seconds)},
                                  {"steps", std::to_string(kinds.size())},
                                  {"failed", std::to_string(report->errors.size())},
                                  {"skipped", report->skipped ? "true" : "false"},
                                  {"stopped", report->stopped ? "true" : "false"}});
  release();
  reschedule();
}

}  // namespace floe::server
