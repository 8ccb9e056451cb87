#include "floe/server/service.h"

#include <fmt/format.h>

#include <chrono>

#include "floe/util/random_ids.h"

namespace floe::server {

Service::Service(std::shared_ptr<catalog::Catalog> catalog, ServeOptions options,
                 std::ostream* log_out)
    : catalog_(catalog),
      options_(std::move(options)),
      log_(log_out),
      metrics_(catalog->name()),
      monitor_(catalog, &metrics_, &log_, options_.monitor) {}

Service::~Service() { Stop(); }

Status Service::Start() {
  http_.SetObserver([this](const std::string& path, double seconds) {
    metrics_.ObserveRequest(path, seconds);
  });
  http_.Get("/metrics", [this] {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.Serialize(util::NowMillis());
    return r;
  });
  http_.Get("/healthz", [] { return HttpResponse{200, "text/plain; charset=utf-8", "ok\n"}; });
  http_.Get("/readyz", [this] {
    if (monitor_.ready()) return HttpResponse{200, "text/plain; charset=utf-8", "ready\n"};
    return HttpResponse{503, "text/plain; charset=utf-8",
                        "not ready: the catalog has not been listed yet or the last listing failed "
                        "(see the log)\n"};
  });
  FLOE_RETURN_NOT_OK(http_.Start(options_.listen));
  started_ = true;
  log_.Info("listening", {{"address", options_.listen},
                          {"port", std::to_string(http_.port())},
                          {"catalog", catalog_->name()},
                          {"refresh_ms", std::to_string(options_.refresh_ms)},
                          {"maintain", options_.maintain ? "true" : "false"}});
  refresher_ = std::thread([this] { RefreshLoop(); });
  if (options_.maintain) {
    scheduler_ = std::make_unique<MaintenanceScheduler>(catalog_, &monitor_, &metrics_, &log_,
                                                        options_.scheduler);
    log_.Info("maintenance on", {{"holder", scheduler_->holder()},
                                 {"every_ms", std::to_string(options_.scheduler.every_ms)},
                                 {"concurrency", std::to_string(options_.scheduler.concurrency)}});
    scheduler_->Start();
  }
  return Status::OK();
}

void Service::RefreshLoop() {
  std::string last_error;
  int64_t last_tables = -1;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto r = monitor_.Refresh();
    metrics_.Publish();
    if (!r.ok()) {
      if (r.status().ToString() != last_error) {
        last_error = r.status().ToString();
        log_.Error("refresh failed", {{"error", last_error},
                                      {"action", "serving the last values; retrying every refresh"}});
      }
    } else {
      if (!last_error.empty()) log_.Info("catalog recovered", {{"catalog", catalog_->name()}});
      last_error.clear();
      // A line when something happened, not every quiet pass.
      if (r->commits > 0 || r->errors > 0 || r->tables != last_tables) {
        last_tables = r->tables;
        log_.Info("refresh", {{"tables", std::to_string(r->tables)},
                              {"reloaded", std::to_string(r->reloaded)},
                              {"commits", std::to_string(r->commits)},
                              {"errors", std::to_string(r->errors)},
                              {"seconds", fmt::format("{:.3f}", r->seconds)}});
      }
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(options_.refresh_ms), [&] { return stopping_; });
  }
}

void Service::Stop() {
  if (!started_) return;
  started_ = false;
  if (scheduler_) scheduler_->Stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
  http_.Stop();
  log_.Info("stopped", {});
}

}  // namespace floe::server
