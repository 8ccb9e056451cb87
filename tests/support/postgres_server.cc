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

#include "support/system_user.h"

extern char** environ;

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

Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError("socket: ", std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return Status::IOError("cannot find a free port on 127.0.0.1: ", std::strerror(err));
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

std::string Tail(const fs::path& file, size_t max_bytes = 2000) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return text;
}

// Starts `args` with stdin from /dev/null and stdout+stderr appended to
// `log`, as `user` when given, in folder `cwd`, with LC_ALL=C.
Result<pid_t> Spawn(const std::vector<std::string>& args, const std::optional<SystemUser>& user,
                    const fs::path& log, const fs::path& cwd) {
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls are allowed (the test may have threads).
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var = *e;
    if (var.rfind("LC_", 0) == 0 || var.rfind("LANG=", 0) == 0 || var.rfind("PG", 0) == 0) {
      continue;
    }
    env_storage.emplace_back(var);
  }
  env_storage.emplace_back("LC_ALL=C");
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string cwd_str = cwd.string();

  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::IOError("cannot open ", log.string(), ": ", std::strerror(errno));
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return Status::IOError("cannot open /dev/null: ", std::strerror(errno));
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    // Inherited descriptors (catalog connections, gtest's files) stay with the
    // test; the mask and handlers are reset so that SIGINT stops the server.
    close_range(3, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (user && !BecomeUser(*user)) {
      static const char kMsg[] = "floe test support: cannot switch to the unprivileged user\n";
      (void)!write(2, kMsg, sizeof(kMsg) - 1);
      _exit(126);
    }
    // Set after the uid change, which clears it.
    prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (getppid() != parent) _exit(1);
    if (chdir(cwd_str.c_str()) != 0) _exit(125);
    execve(argv[0], argv.data(), envp.data());
    static const char kMsg[] = "floe test support: exec failed\n";
    (void)!write(2, kMsg, sizeof(kMsg) - 1);
    _exit(127);
  }
  int fork_errno = errno;
  close(log_fd);
  close(null_fd);
  if (pid < 0) return Status::IOError("fork: ", std::strerror(fork_errno));
  return pid;
}

// Reaps `pid` if it has exited; returns its wait status.
std::optional<int> Reap(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid) return status;
  if (r < 0) return -1;  // not our child any more
  return std::nullopt;
}

bool WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (Reap(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Reap(pid).has_value();
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
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
  Status last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    FLOE_ASSIGN_OR_RAISE(int port, FreeLoopbackPort());
    FLOE_ASSIGN_OR_RAISE(
        server->pid_,
        Spawn({(bin / "postgres").string(), "-D", data.string(), "-p", std::to_string(port),
               "-k", dir.string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
               "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
               "max_connections=200", "-c", "shared_buffers=32MB", "-c",
               "logging_collector=off"},
              user, log, dir));
    server->port_ = port;
    const auto deadline = Clock::now() + options.start_timeout;
    const std::string conninfo = AdminConninfo(port);
    bool ready = false;
    std::optional<int> exited;
    while (Clock::now() < deadline) {
      if ((exited = Reap(server->pid_))) break;
      if (PQping(conninfo.c_str()) == PQPING_OK) {
        ready = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (ready) {
      last_error = Status::OK();
      break;
    }
    std::string log_tail = Tail(log);
    if (exited) {
      server->pid_ = -1;
      last_error = Status::IOError("postgres on port ", port, " exited at start-up (",
                                   DescribeExit(*exited), "): ", log_tail);
      if (log_tail.find("Address already in use") != std::string::npos) continue;
      return last_error;
    }
    return Status::IOError("postgres on port ", port, " was not ready after ",
                           options.start_timeout.count(), " s: ", log_tail);
  }
  FLOE_RETURN_NOT_OK(last_error);
  FLOE_ASSIGN_OR_RAISE(server->uri_, server->CreateDatabase(options.database));
  server->startup_time_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return server;
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
