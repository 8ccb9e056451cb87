#include "floe/io/location.h"

#include <cctype>

namespace floe::io {

namespace {

std::string CollapseSlashes(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  return out;
}

}  // namespace

ParsedLocation ParseLocation(std::string_view location) {
  ParsedLocation out;
  const size_t colon = location.find(':');
  const size_t slash = location.find('/');
  // A scheme is letters before the first ':' that comes before any '/'.
  bool has_scheme = colon != std::string_view::npos && colon > 0 &&
                    (slash == std::string_view::npos || colon < slash);
  for (size_t i = 0; has_scheme && i < colon; ++i) {
    const char c = location[i];
    has_scheme = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  }
  if (!has_scheme) {
    out.scheme = "file";
    out.path = CollapseSlashes(location);
    return out;
  }
  for (size_t i = 0; i < colon; ++i) {
    out.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(location[i])));
  }
  std::string_view rest = location.substr(colon + 1);
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const size_t end = rest.find('/');
    out.authority = std::string(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  out.path = CollapseSlashes(rest);
  return out;
}

std::string CanonicalScheme(const std::string& scheme,
                            const std::map<std::string, std::string>& equal_schemes) {
  auto it = equal_schemes.find(scheme);
  if (it != equal_schemes.end()) return it->second;
  if (scheme == "s3a" || scheme == "s3n") return "s3";
  return scheme;
}

std::string CanonicalLocation(std::string_view location) {
  ParsedLocation p = ParseLocation(location);
  return CanonicalScheme(p.scheme) + "://" + p.authority + p.path;
}

}  // namespace floe::io
