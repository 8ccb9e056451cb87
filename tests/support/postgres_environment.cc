#include "support/postgres_environment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace floe::testing {
namespace {

std::mutex g_mu;
std::unique_ptr<PostgresServer> g_server;  // guarded by g_mu
std::string g_error;                       // why the start failed; guarded by g_mu

class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard<std::mutex> lock(g_mu);
    g_server.reset();
    g_error.clear();
  }
};

// Registered when this file is linked, i.e. when a test uses SharedPostgres.
[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}  // namespace

PostgresServer* SharedPostgres() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_server && g_error.empty()) {
    Result<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (started.ok()) {
      g_server = std::move(started).value();
      std::cerr << "[floe] PostgreSQL test server on port " << g_server->port() << " started in "
                << g_server->startup_time().count() << " ms\n";
    } else {
      g_error = started.status().ToString();
    }
  }
  if (g_server) return g_server.get();
  const char* skip = std::getenv("FLOE_SKIP_POSTGRES");
  if (!(skip && std::string(skip) == "1")) {
    ADD_FAILURE() << "the PostgreSQL test server could not start: " << g_error
                  << " (set FLOE_SKIP_POSTGRES=1 to skip PostgreSQL tests)";
  }
  return nullptr;
}

}  // namespace floe::testing
