// catalog.properties (catalog/catalog_config.h): Java .properties text with
// ${ENV} substitution, then the translation into a catalog configuration.
// Properties: any text gives a map or an error naming the line; a map
// written back as .properties text (keys and values escaped as
// java.util.Properties.store does) parses to the same map; resolving a map
// never crashes and keeps every key.
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "floe/catalog/catalog_config.h"
#include "fuzz_target.h"

namespace {

namespace catalog = floe::catalog;

std::optional<std::string> Env(const std::string& name) {
  static const std::map<std::string, std::string> kEnv = {
      {"SEAWEEDFS_ACCESS_KEY", "weed"}, {"SEAWEEDFS_SECRET_KEY", "s3cr=t:#!"},
      {"HOST", "localhost"}, {"EMPTY", ""}, {"SPACES", "  a b  "}};
  auto it = kEnv.find(name);
  if (it == kEnv.end()) return std::nullopt;
  return it->second;
}

// java.util.Properties.store's escaping: backslash escapes for \ = : # ! and
// whitespace, \uXXXX for control characters; every space is escaped in keys,
// only a leading one in values.
std::string Escape(const std::string& s, bool key) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\f': out += "\\f"; break;
      case '=': case ':': case '#': case '!': out += '\\'; out += c; break;
      case ' ': out += (key || i == 0) ? "\\ " : " "; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

FLOE_FUZZ_TARGET(catalog_properties) {
  auto props = catalog::ParseJavaProperties(input, &Env, "catalog.properties");
  if (!props.ok()) return;
  bool literal_dollar = false;
  std::string text;
  for (const auto& [k, v] : *props) {
    literal_dollar |= k.find("${") != std::string::npos || v.find("${") != std::string::npos;
    text += Escape(k, true) + "=" + Escape(v, false) + "\n";
  }
  // A value holding "${" after substitution would be substituted again: the
  // format has no escape for it (as Iceberg's own substitution).
  if (!literal_dollar) {
    auto again = catalog::ParseJavaProperties(text, &Env, "again");
    FLOE_FUZZ_CHECK(again.ok(), "written properties do not parse: " + again.status().ToString() +
                                    "\n" + text);
    FLOE_FUZZ_CHECK(*again == *props, "properties changed in a write/parse round trip:\n" + text);
  }
  auto resolved = catalog::ResolveCatalogConfig(*props);
  if (resolved.ok()) {
    FLOE_FUZZ_CHECK(resolved->properties == *props, "resolving dropped or changed a key");
  }
}
