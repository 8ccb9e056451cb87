#include "floe/catalog/metadata_files.h"

#include <zlib.h>

#include <cstdio>

#include "floe/spec/json.h"
#include "floe/util/random_ids.h"
#include "floe/util/strings.h"

namespace floe::catalog {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string_view FileName(std::string_view location) {
  size_t slash = location.rfind('/');
  return slash == std::string_view::npos ? location : location.substr(slash + 1);
}

Result<std::string> Gunzip(const std::string& location, std::string_view in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::IOError(location, ": zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Status::Corruption(location, ": corrupt gzip data (", zs.msg ? zs.msg : "?", ")");
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return Status::Corruption(location, ": truncated gzip data");
    }
    if (out.size() > (size_t{1} << 31)) {
      inflateEnd(&zs);
      return Status::Corruption(location, ": metadata larger than 2 GiB after decompression");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string Gzip(std::string_view in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

std::string MetadataFolder(const spec::TableMetadata& md) {
  auto it = md.properties.find("write.metadata.path");
  if (it != md.properties.end() && !it->second.empty()) {
    std::string p = it->second;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
  }
  return io::JoinLocation(md.location, "metadata");
}

int64_t MetadataVersion(std::string_view location) {
  std::string_view name = FileName(location);
  if (!name.starts_with('v') && !(name.size() > 0 && name[0] >= '0' && name[0] <= '9')) return -1;
  if (name.starts_with('v')) {
    size_t dot = name.find('.');
    if (dot == std::string_view::npos) return -1;
    return util::ParseInt64(name.substr(1, dot - 1)).value_or(-1);
  }
  size_t dash = name.find('-');
  if (dash == std::string_view::npos) return -1;
  return util::ParseInt64(name.substr(0, dash)).value_or(-1);
}

std::string NewMetadataLocation(const spec::TableMetadata& md, int64_t version) {
  char prefix[32];
  std::snprintf(prefix, sizeof(prefix), "%05lld-", static_cast<long long>(version));
  bool gzip = util::AsciiLower(md.Property("write.metadata.compression-codec", "none")) == "gzip";
  return io::JoinLocation(MetadataFolder(md), std::string(prefix) + util::RandomUuid() +
                                                  (gzip ? ".gz.metadata.json" : ".metadata.json"));
}

Result<std::shared_ptr<const spec::TableMetadata>> ReadMetadataFile(io::FileIO& io,
                                                                    const std::string& location) {
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io.ReadFile(location));
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    FLOE_ASSIGN_OR_RAISE(bytes, Gunzip(location, bytes));
  }
  auto md = spec::TableMetadataFromJson(bytes);
  if (!md.ok()) {
    return md.status().WithContext("table metadata file " + location);
  }
  return std::make_shared<const spec::TableMetadata>(std::move(*md));
}

Status WriteMetadataFile(io::FileIO& io, const std::string& location,
                         const spec::TableMetadata& md) {
  std::string json = spec::TableMetadataToJson(md, /*pretty=*/false);
  if (EndsWith(location, ".gz.metadata.json") || EndsWith(location, ".metadata.json.gz")) {
    json = Gzip(json);
  }
  return io.WriteNewFile(location, json);
}

Result<std::string> FindCurrentMetadata(io::FileIO& io, const std::string& table_or_file) {
  std::string path = table_or_file;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (EndsWith(path, ".metadata.json") || EndsWith(path, ".metadata.json.gz")) return path;
  std::string folder = EndsWith(path, "/metadata") ? path : io::JoinLocation(path, "metadata");
  FLOE_ASSIGN_OR_RAISE(auto files, io.List(folder));
  // version-hint.text holds the current version (file-system tables); an
  // empty or unreadable hint falls back to the highest version.
  std::string hint_location = io::JoinLocation(folder, "version-hint.text");
  int64_t hinted = -1;
  for (const io::FileInfo& f : files) {
    if (f.location == hint_location) {
      auto text = io.ReadFile(hint_location);
      if (text.ok()) hinted = util::ParseInt64(util::Trim(*text)).value_or(-1);
    }
  }
  std::string best;
  int64_t best_version = -1;
  for (const io::FileInfo& f : files) {
    std::string_view name = FileName(f.location);
    if (name.starts_with('.') || !(EndsWith(name, ".metadata.json") ||
                                   EndsWith(name, ".metadata.json.gz"))) {
      continue;
    }
    // Only direct children of the metadata folder.
    if (f.location.size() <= folder.size() + 1 ||
        f.location.find('/', folder.size() + 1) != std::string::npos) {
      continue;
    }
    int64_t v = MetadataVersion(f.location);
    if (hinted >= 0 && v == hinted) return f.location;
    if (v > best_version || (v == best_version && f.location > best)) {
      best_version = v;
      best = f.location;
    }
  }
  if (best.empty()) {
    return Status::NotFound(table_or_file, ": no table metadata file (*.metadata.json) in ",
                            folder);
  }
  return best;
}

}  // namespace floe::catalog
