// PostgresServer: a private, throwaway PostgreSQL server for tests, run from
// the binaries of Debian's postgresql package.
//
// Start() runs initdb into a fresh temporary folder (trust authentication,
// superuser "floe", no fsync), starts `postgres` on a free TCP port of
// 127.0.0.1 only (its Unix socket and lock file stay inside the folder),
// waits until it accepts connections and creates a database. The destructor
// stops the server (fast shutdown, then SIGQUIT, then SIGKILL) and deletes the
// folder.
//
// As root, initdb and the server run as an unprivileged account
// (system_user.h) that owns the folder: PostgreSQL refuses to run as root.
//
// The server gets SIGQUIT when the thread that started it exits
// (PR_SET_PDEATHSIG), so a crashed test leaves no server running, only its
// folder (under $TMPDIR or /tmp, named floe-pg-*), which the next Start()
// deletes once it is ten minutes old. Start it from the main thread or from a
// thread that outlives it. FLOE_KEEP_TEMP=1 keeps the folders.
//
// Binaries: $FLOE_PG_BINDIR, else the newest /usr/lib/postgresql/<n>/bin,
// else the folder of `initdb` on PATH.
//
// Not thread-safe; share the URI, not the object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "floe/result.h"
#include "support/system_user.h"

namespace floe::testing {

struct PostgresServerOptions {
  std::string database = "floe_test";  // created after start-up
  std::chrono::seconds start_timeout{60};
};

class PostgresServer {
 public:
  static Result<std::unique_ptr<PostgresServer>> Start(const PostgresServerOptions& options);
  static Result<std::unique_ptr<PostgresServer>> Start() {
    return Start(PostgresServerOptions{});
  }
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://floe@127.0.0.1:<port>/<database>?sslmode=disable
  const std::string& uri() const { return uri_; }
  // The same server, another database.
  std::string UriFor(std::string_view database) const;
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  // How long Start() took, initdb included.
  std::chrono::milliseconds startup_time() const { return startup_time_; }

  // Creates database `name` and returns its URI; AlreadyExists if present.
  Result<std::string> CreateDatabase(std::string_view name);

  // Stops the server (fast shutdown: clients are disconnected) and starts it
  // again on the same port and data, for tests of a catalog database that
  // goes away and comes back.
  Status Halt();
  Status Resume();

 private:
  PostgresServer() = default;
  // Starts `postgres` on `port` and waits until it accepts connections.
  Status Launch(int port);
  // Stops the server process; idempotent.
  void Stop();

  std::filesystem::path bin_;
  std::optional<SystemUser> user_;
  std::chrono::seconds start_timeout_{60};

  std::filesystem::path dir_;  // data/, server.log, the socket
  pid_t pid_ = -1;
  int port_ = 0;
  std::string uri_;
  std::chrono::milliseconds startup_time_{0};
};

}  // namespace floe::testing
