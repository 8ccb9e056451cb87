// Starting and stopping the real servers tests run beside them (PostgreSQL,
// SeaweedFS): free ports, fork/exec with logs, reaping.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "floe/result.h"
#include "support/system_user.h"

namespace floe::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (a server may still
// lose it to another process: callers retry on "address in use").
Result<int> FreeLoopbackPort();

// The last `max_bytes` of a log file, for error messages.
std::string Tail(const std::filesystem::path& file, size_t max_bytes = 2000);

// Starts `args` (args[0] an absolute path) with stdin from /dev/null and
// stdout+stderr appended to `log`, as `user` when given, in folder `cwd`,
// with LC_ALL=C and without the caller's LC_*, LANG and PG* variables. The
// child gets SIGQUIT when the calling thread exits (PR_SET_PDEATHSIG), so a
// crashed test leaves no server behind.
Result<pid_t> Spawn(const std::vector<std::string>& args, const std::optional<SystemUser>& user,
                    const std::filesystem::path& log, const std::filesystem::path& cwd);

// The wait status of `pid` if it has exited (-1 if it is not our child),
// without blocking.
std::optional<int> Reap(pid_t pid);

// Waits up to `timeout` for `pid` to exit; true if it did.
bool WaitExit(pid_t pid, std::chrono::milliseconds timeout);

// "exit code 1", "signal 9".
std::string DescribeExit(int status);

}  // namespace floe::testing
