// Progress for long operations, shown on stderr only when it is a terminal
// (scripts and logs see just the final result).
#pragma once

#include <chrono>
#include <string>

namespace floe::cli {

class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  // Redraws "<what>: <status>" at most a few times a second.
  void Update(const std::string& status);
  // Clears the line.
  void Done();

 private:
  std::string what_;
  bool tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace floe::cli
