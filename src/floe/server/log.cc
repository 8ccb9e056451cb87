#include "floe/server/log.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "floe/util/strings.h"

namespace floe::server {

std::string LogfmtValue(std::string_view value) {
  bool quote = value.empty();
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      quote = true;
      break;
    }
  }
  if (!quote) return std::string(value);
  return util::JsonQuote(value);  // logfmt quotes as JSON does
}

void Logger::Write(std::string_view level, std::string_view msg, const LogFields& fields) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string line = fmt::format("ts={:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z level={} msg={}",
                                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                 tm.tm_min, tm.tm_sec, ms, level, LogfmtValue(msg));
  for (const auto& [k, v] : fields) {
    line += ' ';
    line += k;
    line += '=';
    line += LogfmtValue(v);
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  *out_ << line << std::flush;
}

}  // namespace floe::server
