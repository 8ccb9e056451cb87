// One-line structured logs for `floe serve`, in logfmt
// (ts=2026-12-07T18:00:00.123Z level=info msg="refresh" tables=12 ...),
// which Loki, Vector, journald and grep all read. A value is quoted when it
// holds a space, a quote, '=' or a control character.
//
// Thread-safe: each line is formatted first and written whole under a lock.
#pragma once

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace floe::server {

using LogFields = std::vector<std::pair<std::string, std::string>>;

class Logger {
 public:
  // `out` must outlive the logger.
  explicit Logger(std::ostream* out) : out_(out) {}

  void Info(std::string_view msg, const LogFields& fields = {}) { Write("info", msg, fields); }
  void Warn(std::string_view msg, const LogFields& fields = {}) { Write("warn", msg, fields); }
  void Error(std::string_view msg, const LogFields& fields = {}) { Write("error", msg, fields); }

 private:
  void Write(std::string_view level, std::string_view msg, const LogFields& fields);
  std::mutex mu_;
  std::ostream* out_;
};

// `value` as a logfmt value: as is when it needs no quoting.
std::string LogfmtValue(std::string_view value);

}  // namespace floe::server
