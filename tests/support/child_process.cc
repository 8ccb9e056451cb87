#include "support/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace floe::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

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

std::string Tail(const fs::path& file, size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return text;
}

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

}  // namespace floe::testing
