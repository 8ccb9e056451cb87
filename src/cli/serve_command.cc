// floe serve: arguments in; the service (floe/server) does the work until
// SIGTERM or SIGINT, then stops gracefully and exits 0.
#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "floe/server/service.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

Result<int64_t> Duration(const std::string& flag, const std::string& text) {
  auto ms = util::ParseDurationMillis(text);
  if (!ms || *ms <= 0) {
    return Status::Invalid(flag, " ", util::Quote(text), ": give a duration such as 500ms, 30s or 10m");
  }
  return *ms;
}

}  // namespace

void AddServeCommand(CLI::App& app, const CommandEnv& env) {
  auto* serve = app.add_subcommand(
      "serve",
      "Watch the catalog's tables: Prometheus metrics on /metrics, /healthz, /readyz; with "
      "--maintain, run each table's maintenance policy on schedule");
  struct ServeArgs {
    std::string listen = "127.0.0.1:9464", refresh = "30s", every = "10m", lease_ttl = "5m",
                verify = "5m";
    bool maintain = false;
    int concurrency = 1;
    int64_t manifest_cache_mb = 256;
    std::vector<std::string> namespaces;
  };
  auto a = std::make_shared<ServeArgs>();
  serve->add_option("--listen", a->listen, "HOST:PORT to serve on (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--refresh", a->refresh, "How often to re-read the catalog")->capture_default_str();
  serve->add_option("--verify-every", a->verify,
                    "Re-read every table's metadata file this often, to notice files lost under an "
                    "unchanged catalog pointer")
      ->capture_default_str();
  serve->add_option("--namespace", a->namespaces,
                    "Watch only this namespace and those below it (repeatable); default all");
  serve->add_flag("--maintain", a->maintain, "Run floe maintain on every watched table on schedule");
  serve->add_option("--maintain-every", a->every,
                    "How often each table is maintained (floe.maintenance.interval-ms overrides)")
      ->capture_default_str();
  serve->add_option("--maintain-concurrency", a->concurrency, "Tables maintained at once")
      ->capture_default_str();
  serve->add_option("--manifest-cache-mb", a->manifest_cache_mb,
                    "MiB of decoded manifests kept for maintenance planning across runs (0: none)")
      ->capture_default_str();
  serve->add_option("--lease-ttl", a->lease_ttl,
                    "How long a maintenance lease outlives a process that died holding it")
      ->capture_default_str();
  serve->callback([=] {
    RunCommand(env, "serve", [&](Context& ctx) -> Status {
      server::ServeOptions o;
      o.listen = a->listen;
      FLOE_ASSIGN_OR_RAISE(o.refresh_ms, Duration("--refresh", a->refresh));
      FLOE_ASSIGN_OR_RAISE(int64_t verify_ms, Duration("--verify-every", a->verify));
      o.monitor.verify_every_passes = static_cast<int>(std::max<int64_t>(1, verify_ms / o.refresh_ms));
      o.maintain = a->maintain;
      FLOE_ASSIGN_OR_RAISE(o.scheduler.every_ms, Duration("--maintain-every", a->every));
      FLOE_ASSIGN_OR_RAISE(o.scheduler.lease_ttl_ms, Duration("--lease-ttl", a->lease_ttl));
      if (a->concurrency < 1) return Status::Invalid("--maintain-concurrency must be at least 1");
      o.scheduler.concurrency = a->concurrency;
      if (a->manifest_cache_mb < 0) return Status::Invalid("--manifest-cache-mb must be 0 or more");
      o.scheduler.manifest_cache_bytes = a->manifest_cache_mb << 20;
      for (const auto& text : a->namespaces) {
        FLOE_ASSIGN_OR_RAISE(auto ns, catalog::ParseNamespace(text));
        o.monitor.namespaces.push_back(std::move(ns));
      }
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      // Signals go to this thread only (the service's threads inherit the
      // mask), which waits for them and then stops the service in order.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      server::Service service(cat, o, &std::cerr);
      FLOE_RETURN_NOT_OK(service.Start());
      int sig = 0;
      sigwait(&signals, &sig);
      std::cerr << fmt::format("floe serve: {} received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
      service.Stop();
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
