#include "support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/system_user.h"

namespace floe::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kSuperuser = "floe";

Result<fs::path> FindBinDir() {
  if (const char* env = std::getenv("FLOE_PG_BINDIR"); env && *env) {
    if (fs::exists(fs::path(env) / "initdb")) return fs::path(env);
    return Status::NotFound("FLOE_PG_BINDIR=", env, " has no initdb");
  }
  std::error_code ec;
  std::optional<std::pair<int, fs::path>> best;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    int version = std::atoi(entry.path().filename().c_str());
    if (fs::exists(bin / "initdb") && fs::exists(bin / "postgres") &&
        (!best || version > best->first)) {
      best = {version, bin};
    }
  }
  if (best) return best->second;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty() && fs::exists(fs::path(dir) / "initdb")) return fs::path(dir);
    }
  }
  return Status::NotFound("PostgreSQL server binaries (initdb, postgres) not found: install "
                          "Debian's postgresql package or set FLOE_PG_BINDIR");
}

// Deletes the folders of servers whose test process crashed: the server then
// got SIGQUIT and removed its postmaster.pid, but nobody removed the folder.
// Folders younger than ten minutes may belong to a server being set up.
void SweepStaleFolders(const fs::path& base) {
  if (std::getenv("FLOE_KEEP_TEMP")) return;
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::minutes(10);
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    const fs::path& dir = entry.path();
    if (dir.filename().string().rfind("floe-pg-", 0) != 0) continue;
    // Any doubt (another user's folder we cannot look into) keeps it.
    std::error_code stat_ec;
    bool has_log = fs::exists(dir / "server.log", stat_ec);
    if (stat_ec || !has_log) continue;
    bool running = fs::exists(dir / "data" / "postmaster.pid", stat_ec);
    if (stat_ec || running) continue;
    auto modified = fs::last_write_time(dir / "server.log", stat_ec);
    if (!stat_ec && modified < cutoff) fs::remove_all(dir, stat_ec);
  }
}

// A folder with a short path: the server's Unix socket path must fit in 107
// bytes.
Result<fs::path> MakeTempDir() {
  std::string base = "/tmp";
  if (const char* env = std::getenv("TMPDIR"); env && *env && std::strlen(env) < 60) base = env;
  SweepStaleFolders(base);
  std::string templ = base + "/floe-pg-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    return Status::IOError("cannot create a temporary folder in ", base, ": ",
                           std::strerror(errno));
  }
  return fs::path(templ);
}

std::string AdminConninfo(int port) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " user=" + kSuperuser +
         " dbname=postgres connect_timeout=5";
}

}  // namespace

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    const PostgresServerOptions& options) {
  const auto started = Clock::now();
  FLOE_ASSIGN_OR_RAISE(fs::path bin, FindBinDir());
  std::optional<SystemUser> user;
  if (geteuid() == 0) {
    FLOE_ASSIGN_OR_RAISE(user, UnprivilegedUser());
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  FLOE_ASSIGN_OR_RAISE(server->dir_, MakeTempDir());
  const fs::path& dir = server->dir_;
  if (user && chown(dir.c_str(), user->uid, user->gid) != 0) {
    return Status::IOError("cannot hand ", dir.string(), " to user ", user->name, ": ",
                           std::strerror(errno));
  }
  const fs::path data = dir / "data";
  const fs::path log = dir / "server.log";

  FLOE_ASSIGN_OR_RAISE(pid_t initdb,
                       Spawn({(bin / "initdb").string(), "-D", data.string(), "-U", kSuperuser,
                              "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
                              "--no-instructions"},
                             user, log, dir));
  int status = 0;
  while (waitpid(initdb, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IOError("initdb into ", data.string(), " failed (", DescribeExit(status),
                           user ? ", as user " + user->name : std::string(), "): ", Tail(log));
  }

  // The port is free when probed but could be taken before the server binds
  // it; retry with another.
  server->bin_ = bin;
  server->user_ = user;
  server->start_timeout_ = options.start_timeout;
  Status last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    FLOE_ASSIGN_OR_RAISE(int port, FreeLoopbackPort());
    last_error = server->Launch(port);
    if (last_error.ok()) break;
    if (last_error.message().find("Address already in use") == std::string::npos) return last_error;
  }
  FLOE_RETURN_NOT_OK(last_error);
  FLOE_ASSIGN_OR_RAISE(server->uri_, server->CreateDatabase(options.database));
  server->startup_time_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return server;
}

Status PostgresServer::Launch(int port) {
  const fs::path data = dir_ / "data";
  const fs::path log = dir_ / "server.log";
  FLOE_ASSIGN_OR_RAISE(
      pid_, Spawn({(bin_ / "postgres").string(), "-D", data.string(), "-p", std::to_string(port),
                   "-k", dir_.string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                   "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
                   "max_connections=200", "-c", "shared_buffers=32MB", "-c",
                   "logging_collector=off"},
                  user_, log, dir_));
  port_ = port;
  const auto deadline = Clock::now() + start_timeout_;
  const std::string conninfo = AdminConninfo(port);
  std::optional<int> exited;
  while (Clock::now() < deadline) {
    if ((exited = Reap(pid_))) break;
    if (PQping(conninfo.c_str()) == PQPING_OK) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string log_tail = Tail(log);
  if (exited) {
    pid_ = -1;
    return Status::IOError("postgres on port ", port, " exited at start-up (",
                           DescribeExit(*exited), "): ", log_tail);
  }
  return Status::IOError("postgres on port ", port, " was not ready after ",
                         start_timeout_.count(), " s: ", log_tail);
}

Status PostgresServer::Halt() {
  Stop();
  return Status::OK();
}

Status PostgresServer::Resume() {
  if (pid_ > 0) return Status::OK();
  return Launch(port_);
}

PostgresServer::~PostgresServer() {
  Stop();
  std::error_code ec;
  if (!dir_.empty() && !std::getenv("FLOE_KEEP_TEMP")) fs::remove_all(dir_, ec);
}

void PostgresServer::Stop() {
  if (pid_ <= 0) return;
  // SIGINT is PostgreSQL's fast shutdown: sessions are disconnected and the
  // server exits cleanly in well under a second.
  kill(pid_, SIGINT);
  if (!WaitExit(pid_, std::chrono::seconds(30))) {
    kill(pid_, SIGQUIT);
    if (!WaitExit(pid_, std::chrono::seconds(5))) {
      kill(pid_, SIGKILL);
      WaitExit(pid_, std::chrono::seconds(5));
    }
  }
  pid_ = -1;
}

std::string PostgresServer::UriFor(std::string_view database) const {
  return "postgresql://" + std::string(kSuperuser) + "@127.0.0.1:" + std::to_string(port_) +
         "/" + std::string(database) + "?sslmode=disable";
}

Result<std::string> PostgresServer::CreateDatabase(std::string_view name) {
  std::string conninfo = AdminConninfo(port_);
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Status::IOError("cannot connect to the test PostgreSQL server on port ", port_, ": ",
                           message);
  }
  std::string db(name);
  char* quoted = PQescapeIdentifier(conn, db.c_str(), db.size());
  std::string sql = std::string("CREATE DATABASE ") + (quoted ? quoted : "\"\"");
  PQfreemem(quoted);
  PGresult* res = PQexec(conn, sql.c_str());
  Status st;
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string message = PQresultErrorMessage(res);
    st = (state && std::string_view(state) == "42P04")
             ? Status::AlreadyExists("database ", db, " exists: ", message)
             : Status::IOError("CREATE DATABASE ", db, " failed: ", message);
  }
  PQclear(res);
  PQfinish(conn);
  FLOE_RETURN_NOT_OK(st);
  return UriFor(db);
}

}  // namespace floe::testing
