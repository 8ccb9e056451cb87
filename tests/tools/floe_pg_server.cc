// floe_pg_server: a throwaway PostgreSQL server for tests written in other
// languages (tests/support/postgres_server.h).
//
//   floe_pg_server [--database NAME]
//
// Prints the connection URI as the first line on stdout once the server
// accepts connections, then runs until stdin reaches end of file or it gets
// SIGTERM, SIGINT or SIGHUP; then stops the server and deletes its folder.
// Keep stdin open (a pipe) while the server is needed, e.g. in Python:
//   proc = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
//   uri = proc.stdout.readline().strip()
//   ...; proc.stdin.close(); proc.wait()
// Lines on stdin control the server while it runs: "stop" stops PostgreSQL
// (clients are disconnected), "start" starts it again on the same port and
// data; each is answered with a line "stopped" / "started" (or "error: ...")
// on stdout. Tests of a catalog database that restarts use them.
// Exit code 0 after a clean stop, 1 if the server could not start (the
// reason is on stderr), 2 on bad arguments.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "support/postgres_server.h"

int main(int argc, char** argv) {
  floe::testing::PostgresServerOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--database" && i + 1 < argc) {
      options.database = argv[++i];
    } else {
      std::cerr << "usage: floe_pg_server [--database NAME]\n";
      return 2;
    }
  }

  // Signals are read from a descriptor, so that waiting for them and for
  // stdin is one poll. The mask is reset in the server's process (Spawn).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  int signal_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::cerr << "floe_pg_server: signalfd: " << std::strerror(errno) << "\n";
    return 1;
  }
  // A closed reader of stdout must not kill us before the server is stopped.
  signal(SIGPIPE, SIG_IGN);

  auto server = floe::testing::PostgresServer::Start(options);
  if (!server.ok()) {
    std::cerr << "floe_pg_server: " << server.status().ToString() << "\n";
    return 1;
  }
  std::cout << (*server)->uri() << std::endl;
  std::cerr << "floe_pg_server: PostgreSQL on 127.0.0.1:" << (*server)->port() << ", folder "
            << (*server)->dir().string() << ", started in " << (*server)->startup_time().count()
            << " ms\n";

  pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signal_fd, POLLIN, 0}};
  std::string pending;
  for (;;) {
    int n = poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (fds[1].revents) break;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      char buffer[256];
      ssize_t got = read(STDIN_FILENO, buffer, sizeof(buffer));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;  // end of file or error
      pending.append(buffer, static_cast<size_t>(got));
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        const std::string command = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        floe::Status st;
        if (command == "stop") {
          st = (*server)->Halt();
        } else if (command == "start") {
          st = (*server)->Resume();
        } else {
          st = floe::Status::Invalid("unknown command '", command, "' (stop, start)");
        }
        std::cout << (st.ok() ? (command == "stop" ? "stopped" : "started") : "error: " + st.ToString())
                  << std::endl;
      }
    }
  }
  server->reset();  // stops the server and deletes its folder
  return 0;
}
