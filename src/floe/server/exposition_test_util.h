// Reading the Prometheus text exposition format in the server's tests.
#pragma once

#include <map>
#include <sstream>
#include <string>

namespace floe::server::testing {

using Samples = std::map<std::string, double>;

// Every sample line "name{labels} value" of an exposition text, by
// "name{labels}" (labels as written: sorted by name, `le` last).
inline Samples ParseSamples(const std::string& text) {
  Samples out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

// A sample's value; -1 when absent.
inline double At(const Samples& s, const std::string& key) {
  auto it = s.find(key);
  return it == s.end() ? -1 : it->second;
}

}  // namespace floe::server::testing
