// Puffin files (format/puffin-spec.md): blobs followed by a JSON footer.
//
//   Magic Blob1 ... BlobN Footer
//   Footer = Magic FooterPayload FooterPayloadSize(int32 LE) Flags(4 bytes) Magic
//
// Magic is "PFA1". Readers find the footer from the end of the file; blob
// offsets and lengths in the footer are absolute positions in the file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

namespace floe::puffin {

inline constexpr std::string_view kMagic = "PFA1";
inline constexpr std::string_view kDeletionVectorV1 = "deletion-vector-v1";

struct BlobMetadata {
  std::string type;             // "deletion-vector-v1", "apache-datasketches-theta-v1", ...
  std::vector<int32_t> fields;  // field ids the blob was computed from
  int64_t snapshot_id = -1;
  int64_t sequence_number = -1;
  int64_t offset = 0;  // from the start of the file
  int64_t length = 0;
  std::string compression_codec;  // empty: uncompressed
  std::map<std::string, std::string> properties;
};

struct Footer {
  std::vector<BlobMetadata> blobs;
  std::map<std::string, std::string> properties;
  int64_t footer_size = 0;  // the whole footer: magic, payload, size, flags, magic
};

// Parses the footer from the last bytes of a file of `file_size` bytes;
// `tail` holds at least the footer (the caller reads the file's end).
// Errors name `location`: Corruption for a bad magic, size or JSON,
// NotSupported for an LZ4-compressed footer.
Result<Footer> ParseFooter(std::string_view tail, int64_t file_size, const std::string& location);

// Reads a whole Puffin file held in memory: the footer, and checks that each
// blob lies inside the file, after the leading magic and before the footer.
Result<Footer> ReadFooter(std::string_view file, const std::string& location);

// Builds a Puffin file in memory: Add blobs, then Finish.
class Writer {
 public:
  Writer();
  // Appends `bytes` as a blob; fills in `meta.offset` and `meta.length`.
  // Blobs are stored uncompressed (`compression_codec` must be empty).
  Status Add(std::string_view bytes, BlobMetadata meta);
  // The finished file. `created_by` goes into the footer's properties.
  std::string Finish(const std::string& created_by);
  const std::vector<BlobMetadata>& blobs() const { return blobs_; }

 private:
  std::string out_;
  std::vector<BlobMetadata> blobs_;
};

}  // namespace floe::puffin
