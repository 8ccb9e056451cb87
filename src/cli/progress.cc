#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace floe::cli {

Progress::Progress(std::string what) : what_(std::move(what)), tty_(isatty(STDERR_FILENO)) {}

Progress::~Progress() { Done(); }

void Progress::Update(const std::string& status) {
  if (!tty_) return;
  auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(150)) return;
  last_ = now;
  std::fprintf(stderr, "\r\033[K%s: %s", what_.c_str(), status.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Done() {
  if (tty_ && shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  shown_ = false;
}

}  // namespace floe::cli
