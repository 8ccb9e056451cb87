#include "floe/puffin/puffin_file.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace floe::puffin {
namespace {

using nlohmann::json;

constexpr int64_t kFooterTrailer = 12;  // payload size (4) + flags (4) + magic (4)

uint32_t ReadLE32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void AppendLE32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

Result<BlobMetadata> ParseBlob(const json& j, const std::string& where) {
  if (!j.is_object()) return Status::Corruption(where, ": a blob entry is not an object");
  BlobMetadata b;
  try {
    b.type = j.at("type").get<std::string>();
    b.fields = j.at("fields").get<std::vector<int32_t>>();
    b.snapshot_id = j.at("snapshot-id").get<int64_t>();
    b.sequence_number = j.at("sequence-number").get<int64_t>();
    b.offset = j.at("offset").get<int64_t>();
    b.length = j.at("length").get<int64_t>();
    if (j.contains("compression-codec") && !j["compression-codec"].is_null()) {
      b.compression_codec = j["compression-codec"].get<std::string>();
    }
    if (j.contains("properties")) {
      b.properties = j["properties"].get<std::map<std::string, std::string>>();
    }
  } catch (const json::exception& e) {
    return Status::Corruption(where, ": blob metadata is malformed (", e.what(),
                              "); puffin-spec requires type, fields, snapshot-id, "
                              "sequence-number, offset and length");
  }
  return b;
}

}  // namespace

Result<Footer> ParseFooter(std::string_view tail, int64_t file_size, const std::string& location) {
  const int64_t min_size = static_cast<int64_t>(kMagic.size()) * 2 + kFooterTrailer;
  if (file_size < min_size || static_cast<int64_t>(tail.size()) < kFooterTrailer) {
    return Status::Corruption(location, ": too short for a Puffin file (", file_size, " bytes)");
  }
  const char* end = tail.data() + tail.size();
  if (std::string_view(end - 4, 4) != kMagic) {
    return Status::Corruption(location, ": no Puffin magic at the end of the file");
  }
  const int64_t payload_size = ReadLE32(end - kFooterTrailer);
  const int64_t footer_size = payload_size + kFooterTrailer + 4;
  if (payload_size > file_size - min_size || footer_size > static_cast<int64_t>(tail.size())) {
    return Status::Corruption(location, ": Puffin footer payload size ", payload_size,
                              " does not fit in the file (", file_size, " bytes)");
  }
  const char* footer = end - footer_size;
  if (std::string_view(footer, 4) != kMagic) {
    return Status::Corruption(location, ": no Puffin magic at the start of the footer");
  }
  const unsigned char flags0 = static_cast<unsigned char>(end[-8]);
  if (flags0 & 1) {
    return Status::NotSupported(location, ": the Puffin footer is LZ4-compressed; Floe reads "
                                          "uncompressed footers");
  }
  Footer out;
  out.footer_size = footer_size;
  json j = json::parse(footer + 4, footer + 4 + payload_size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("blobs") || !j["blobs"].is_array()) {
    return Status::Corruption(location, ": the Puffin footer is not a JSON object with blobs");
  }
  for (const json& b : j["blobs"]) {
    FLOE_ASSIGN_OR_RAISE(BlobMetadata meta, ParseBlob(b, location));
    out.blobs.push_back(std::move(meta));
  }
  if (j.contains("properties") && j["properties"].is_object()) {
    for (const auto& [k, v] : j["properties"].items()) {
      if (v.is_string()) out.properties[k] = v.get<std::string>();
    }
  }
  return out;
}

Result<Footer> ReadFooter(std::string_view file, const std::string& location) {
  if (file.size() < kMagic.size() || file.substr(0, 4) != kMagic) {
    return Status::Corruption(location, ": not a Puffin file (no PFA1 magic at the start)");
  }
  FLOE_ASSIGN_OR_RAISE(Footer footer,
                       ParseFooter(file, static_cast<int64_t>(file.size()), location));
  const int64_t blobs_end = static_cast<int64_t>(file.size()) - footer.footer_size;
  for (const BlobMetadata& b : footer.blobs) {
    if (b.offset < 4 || b.length < 0 || b.offset > blobs_end - b.length) {
      return Status::Corruption(location, ": blob ", b.type, " at offset ", b.offset,
                                " length ", b.length, " lies outside the blob area");
    }
  }
  return footer;
}

Writer::Writer() : out_(kMagic) {}

Status Writer::Add(std::string_view bytes, BlobMetadata meta) {
  if (!meta.compression_codec.empty()) {
    return Status::NotSupported("Puffin blob ", meta.type, ": Floe writes blobs uncompressed");
  }
  meta.offset = static_cast<int64_t>(out_.size());
  meta.length = static_cast<int64_t>(bytes.size());
  out_.append(bytes);
  blobs_.push_back(std::move(meta));
  return Status::OK();
}

std::string Writer::Finish(const std::string& created_by) {
  json blobs = json::array();
  for (const BlobMetadata& b : blobs_) {
    json j = {{"type", b.type},         {"fields", b.fields},
              {"snapshot-id", b.snapshot_id}, {"sequence-number", b.sequence_number},
              {"offset", b.offset},     {"length", b.length}};
    // puffin-spec: omit compression-codec when the blob is not compressed.
    if (!b.properties.empty()) j["properties"] = b.properties;
    blobs.push_back(std::move(j));
  }
  json footer = {{"blobs", blobs}};
  if (!created_by.empty()) footer["properties"] = {{"created-by", created_by}};
  std::string payload = footer.dump();
  std::string out = std::move(out_);
  out.append(kMagic);
  out.append(payload);
  AppendLE32(out, static_cast<uint32_t>(payload.size()));
  AppendLE32(out, 0);  // flags: footer not compressed
  out.append(kMagic);
  out_ = std::string(kMagic);
  blobs_.clear();
  return out;
}

}  // namespace floe::puffin
