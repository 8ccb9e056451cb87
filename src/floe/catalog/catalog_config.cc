#include "floe/catalog/catalog_config.h"

#include <cctype>
#include <cstdlib>

#include "floe/util/strings.h"

namespace floe::catalog {

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

namespace {

// Logical lines: continuations joined, leading whitespace of continued
// lines dropped (java.util.Properties).
std::vector<std::pair<int, std::string>> LogicalLines(std::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  std::string current;
  int start_line = 0, line_no = 0;
  bool continuing = false;
  for (std::string_view raw : util::Split(text, '\n')) {
    ++line_no;
    std::string line(raw);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string_view trimmed = line;
    if (continuing) {
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
        trimmed.remove_prefix(1);
      }
    } else {
      start_line = line_no;
      std::string_view t = util::Trim(trimmed);
      if (t.empty() || t.front() == '#' || t.front() == '!') continue;
    }
    // An odd number of trailing backslashes continues the line.
    size_t slashes = 0;
    while (slashes < trimmed.size() && trimmed[trimmed.size() - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 1) {
      current += std::string(trimmed.substr(0, trimmed.size() - 1));
      continuing = true;
      continue;
    }
    current += std::string(trimmed);
    out.emplace_back(start_line, current);
    current.clear();
    continuing = false;
  }
  if (continuing) out.emplace_back(start_line, current);
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u':
        if (i + 4 < s.size()) {
          auto hex = util::HexDecode(s.substr(i + 1, 4));
          if (hex && hex->size() == 2) {
            unsigned cp = (static_cast<unsigned char>((*hex)[0]) << 8) |
                          static_cast<unsigned char>((*hex)[1]);
            // UTF-8 encode the BMP code point.
            if (cp < 0x80) {
              out += static_cast<char>(cp);
            } else if (cp < 0x800) {
              out += static_cast<char>(0xC0 | (cp >> 6));
              out += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
              out += static_cast<char>(0xE0 | (cp >> 12));
              out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
              out += static_cast<char>(0x80 | (cp & 0x3F));
            }
            i += 4;
            break;
          }
        }
        out += 'u';
        break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> Substitute(const std::string& value, const EnvLookup& env,
                               const std::string& where) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '$' && i + 1 < value.size() && value[i + 1] == '{') {
      size_t end = value.find('}', i + 2);
      if (end == std::string::npos) {
        return Status::Invalid(where, ": unclosed '${' in ", util::Quote(value));
      }
      std::string name = value.substr(i + 2, end - i - 2);
      auto v = env(name);
      if (!v) {
        return Status::Invalid(where, ": environment variable ", name,
                               " is not set (it is used as ${", name, "})");
      }
      out += *v;
      i = end;
    } else {
      out += value[i];
    }
  }
  return out;
}

std::string EnvName(const std::string& key) {
  std::string out = "FLOE_";
  for (char c : key) out += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

bool ParseBool(const std::string& v) {
  std::string l = util::AsciiLower(util::Trim(v));
  return l == "true" || l == "1" || l == "yes";
}

}  // namespace

Result<PropertyMap> ParseJavaProperties(std::string_view text, const EnvLookup& env,
                                        const std::string& source) {
  PropertyMap out;
  for (const auto& [line_no, line] : LogicalLines(text)) {
    std::string_view l = line;
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t' || l.front() == '\f')) {
      l.remove_prefix(1);
    }
    // The key ends at the first unescaped '=', ':' or whitespace.
    size_t i = 0;
    while (i < l.size()) {
      if (l[i] == '\\') {
        i += 2;
        continue;
      }
      if (l[i] == '=' || l[i] == ':' || l[i] == ' ' || l[i] == '\t') break;
      ++i;
    }
    std::string key = Unescape(l.substr(0, std::min(i, l.size())));
    std::string_view rest = i < l.size() ? l.substr(i) : std::string_view();
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest.remove_prefix(1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    std::string where = source + " line " + std::to_string(line_no);
    FLOE_ASSIGN_OR_RAISE(std::string value, Substitute(Unescape(rest), env, where));
    out[key] = value;
  }
  return out;
}

PropertyMap PropertiesFromEnvironment(const EnvLookup& env) {
  static const char* kKeys[] = {"uri",          "warehouse",         "io-impl",
                                "catalog-impl", "jdbc.user",         "jdbc.password",
                                "s3.endpoint",  "s3.access-key-id",  "s3.secret-access-key",
                                "s3.session-token", "s3.path-style-access", "s3.region"};
  PropertyMap out;
  for (const char* key : kKeys) {
    if (auto v = env(EnvName(key))) out[key] = *v;
  }
  return out;
}

Result<ResolvedCatalogConfig> ResolveCatalogConfig(const PropertyMap& p) {
  ResolvedCatalogConfig out;
  out.properties = p;
  auto get = [&](const char* key) -> std::string {
    auto it = p.find(key);
    return it == p.end() ? "" : it->second;
  };
  std::string uri = get("uri");
  if (uri.rfind("jdbc:postgresql://", 0) == 0) {
    // jdbc:postgresql://host:port/db?params -> postgresql://user:pass@host:port/db?params
    std::string rest = uri.substr(std::string("jdbc:postgresql://").size());
    std::string user = get("jdbc.user"), password = get("jdbc.password");
    auto pct = [](const std::string& s) {
      std::string o;
      for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          o += static_cast<char>(c);
        } else {
          static const char kHex[] = "0123456789ABCDEF";
          o += '%';
          o += kHex[c >> 4];
          o += kHex[c & 15];
        }
      }
      return o;
    };
    std::string auth;
    if (!user.empty()) auth = pct(user) + (password.empty() ? "" : ":" + pct(password)) + "@";
    out.uri = "postgresql://" + auth + rest;
  } else if (uri.rfind("jdbc:sqlite:", 0) == 0) {
    std::string path = uri.substr(std::string("jdbc:sqlite:").size());
    if (path.rfind("file:", 0) == 0) path = path.substr(5);
    out.uri = "sqlite:///" + path;
  } else if (uri.rfind("jdbc:", 0) == 0) {
    return Status::NotSupported("uri ", util::Quote(uri),
                                ": Floe's SQL catalog supports jdbc:postgresql and jdbc:sqlite");
  } else {
    out.uri = uri;
  }
  out.warehouse = get("warehouse");
  bool s3_keys = false;
  for (const auto& [k, v] : p) s3_keys |= k.rfind("s3.", 0) == 0;
  if (s3_keys || io::IsS3Location(out.warehouse)) {
    io::S3Config s3;
    s3.endpoint = get("s3.endpoint");
    s3.access_key_id = get("s3.access-key-id");
    s3.secret_access_key = get("s3.secret-access-key");
    s3.session_token = get("s3.session-token");
    if (!get("s3.region").empty()) s3.region = get("s3.region");
    // Java's default is virtual-host addressing; S3-compatible servers
    // (SeaweedFS, MinIO) need path style, which the design note sets.
    s3.path_style_access = get("s3.path-style-access").empty()
                               ? !s3.endpoint.empty()
                               : ParseBool(get("s3.path-style-access"));
    if (s3.access_key_id.empty() != s3.secret_access_key.empty()) {
      return Status::Invalid("s3.access-key-id and s3.secret-access-key must be set together");
    }
    out.s3 = s3;
  }
  return out;
}

Status AddPropertyOptions(const std::vector<std::string>& options, PropertyMap* properties) {
  for (const std::string& kv : options) {
    auto split = util::SplitKeyValue(kv);
    if (!split) return Status::Invalid("--property ", util::Quote(kv), " must look like key=value");
    (*properties)[split->first] = split->second;
  }
  return Status::OK();
}

Result<std::shared_ptr<io::FileIO>> MakeFileIO(const std::optional<io::S3Config>& s3) {
  std::shared_ptr<io::FileIO> s3_io;
  if (s3) {
    FLOE_ASSIGN_OR_RAISE(s3_io, io::MakeS3FileIO(*s3));
  }
  return io::MakeRoutingFileIO(io::MakeLocalFileIO(), std::move(s3_io));
}

}  // namespace floe::catalog
