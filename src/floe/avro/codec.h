// Block compression of Avro object container files (the "avro.codec"
// header key): null, deflate (raw deflate, no zlib header), snappy (followed
// by the 4-byte big-endian CRC32 of the uncompressed data) and zstandard.
//
// Decompression treats its input as hostile: output is capped (kMaxBlockSize
// by default) and grows only as data is actually produced, so a corrupt or
// crafted block cannot make us allocate more than the cap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "floe/result.h"

namespace floe::avro {

enum class Codec : uint8_t { kNull, kDeflate, kSnappy, kZstandard };

// The name written to "avro.codec": "null", "deflate", "snappy", "zstandard".
std::string_view CodecName(Codec codec);

// Parses an "avro.codec" value; "zstd" is accepted for zstandard. Returns
// NotSupported naming the codec for any other name (e.g. "bzip2", "xz").
Result<Codec> ParseCodec(std::string_view name);

// The largest block, compressed or not, that Compress and Decompress accept.
inline constexpr size_t kMaxBlockSize = size_t{1} << 30;

// Checks a compression level: deflate -1 (zlib default) or 0..9, zstandard
// ZSTD_minCLevel()..ZSTD_maxCLevel() (0 = library default); any level is
// accepted, and ignored, for null and snappy. nullopt means the default.
// Returns Invalid naming the codec and the allowed range.
Status CheckCompressionLevel(Codec codec, std::optional<int> level);

// Compresses `input` as one block into `*out`, replacing its content. Returns
// Invalid for a bad level or an input above kMaxBlockSize.
Status Compress(Codec codec, std::string_view input, std::optional<int> level, std::string* out);

// Decompresses one block into `*out`, replacing its content (reusing its
// capacity). Returns Corruption, naming the codec, for corrupt or truncated
// data, a snappy CRC mismatch, or output larger than `max_size`. Bytes after
// the end of a deflate stream are ignored (some writers leave a trailer).
Status Decompress(Codec codec, std::string_view input, std::string* out,
                  size_t max_size = kMaxBlockSize);

}  // namespace floe::avro
