#include "floe/avro/codec.h"

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "floe/util/strings.h"

namespace floe::avro {
namespace {

// The first guess for an output buffer whose final size is unknown; it
// doubles as data is produced, up to the cap.
size_t InitialGuess(size_t input_size, size_t max_size) {
  size_t guess = std::max<size_t>(input_size * 4, 4096);
  return std::min(guess, max_size);
}

Status OutputTooLarge(std::string_view codec, size_t max_size) {
  return Status::Corruption(codec, " block decompresses to more than ", max_size,
                            " bytes, the limit for one block");
}

Status DeflateCompress(std::string_view input, int level, std::string* out) {
  z_stream zs{};
  // Negative window bits: raw deflate, no zlib header or trailer (Avro spec).
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Invalid("deflate: cannot initialize zlib at level ", level);
  }
  out->resize(deflateBound(&zs, static_cast<uLong>(input.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data());
  zs.avail_out = static_cast<uInt>(out->size());
  int rc = deflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return Status::Invalid("deflate: compression failed (zlib code ", rc, ")");
  }
  out->resize(produced);
  return Status::OK();
}

Status DeflateDecompress(std::string_view input, std::string* out, size_t max_size) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) return Status::Invalid("deflate: cannot initialize zlib");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  const auto* in = reinterpret_cast<const Bytef*>(input.data());
  size_t in_left = input.size();
  size_t produced = 0;
  out->resize(InitialGuess(input.size(), max_size));
  while (true) {
    if (produced == out->size()) {
      if (out->size() >= max_size) return OutputTooLarge("deflate", max_size);
      out->resize(std::min(out->size() * 2, max_size));
    }
    if (zs.avail_in == 0 && in_left > 0) {
      zs.next_in = const_cast<Bytef*>(in);
      zs.avail_in = static_cast<uInt>(std::min<size_t>(in_left, UINT_MAX));
      in += zs.avail_in;
      in_left -= zs.avail_in;
    }
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(out->size() - produced, UINT_MAX));
    uInt before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before - zs.avail_out;
    if (rc == Z_STREAM_END) break;  // trailing bytes, if any, are ignored
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && produced == out->size()) continue;  // needs more room
    if (rc == Z_BUF_ERROR) return Status::Corruption("deflate: truncated data");
    return Status::Corruption("deflate: corrupt data (", zs.msg ? zs.msg : "zlib error",
                              ", code ", rc, ")");
  }
  out->resize(produced);
  return Status::OK();
}

void AppendBigEndian32(uint32_t v, std::string* out) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

uint32_t Crc32(std::string_view data) {
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

Status SnappyCompress(std::string_view input, std::string* out) {
  size_t len = snappy_max_compressed_length(input.size());
  out->resize(len);
  if (snappy_compress(input.data(), input.size(), out->data(), &len) != SNAPPY_OK) {
    return Status::Invalid("snappy: compression failed");
  }
  out->resize(len);
  AppendBigEndian32(Crc32(input), out);
  return Status::OK();
}

Status SnappyDecompress(std::string_view input, std::string* out, size_t max_size) {
  if (input.size() < 4) {
    return Status::Corruption("snappy: block of ", input.size(),
                              " bytes is shorter than its 4-byte CRC");
  }
  std::string_view data = input.substr(0, input.size() - 4);
  const auto* crc_bytes = reinterpret_cast<const uint8_t*>(input.data() + data.size());
  uint32_t stored = (uint32_t{crc_bytes[0]} << 24) | (uint32_t{crc_bytes[1]} << 16) |
                    (uint32_t{crc_bytes[2]} << 8) | uint32_t{crc_bytes[3]};
  size_t len = 0;
  if (snappy_uncompressed_length(data.data(), data.size(), &len) != SNAPPY_OK) {
    return Status::Corruption("snappy: corrupt data (bad length header)");
  }
  if (len > max_size) {
    return Status::Corruption("snappy: block declares ", len, " uncompressed bytes, more than the ",
                              max_size, " allowed for one block");
  }
  // Validating first means we allocate only what the data really produces
  // (snappy expands at most ~21x), never a length that merely was declared.
  if (snappy_validate_compressed_buffer(data.data(), data.size()) != SNAPPY_OK) {
    return Status::Corruption("snappy: corrupt data");
  }
  out->resize(len);
  if (snappy_uncompress(data.data(), data.size(), out->data(), &len) != SNAPPY_OK) {
    return Status::Corruption("snappy: corrupt data");
  }
  out->resize(len);
  uint32_t computed = Crc32(*out);
  if (computed != stored) {
    std::string computed_bytes;
    AppendBigEndian32(computed, &computed_bytes);
    return Status::Corruption("snappy: CRC mismatch (stored ",
                              util::HexEncode(input.substr(data.size())), ", data has ",
                              util::HexEncode(computed_bytes), ")");
  }
  return Status::OK();
}

Status ZstdCompress(std::string_view input, int level, std::string* out) {
  out->resize(ZSTD_compressBound(input.size()));
  size_t rc = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), level);
  if (ZSTD_isError(rc)) return Status::Invalid("zstandard: ", ZSTD_getErrorName(rc));
  out->resize(rc);
  return Status::OK();
}

Status ZstdDecompress(std::string_view input, std::string* out, size_t max_size) {
  // The declared content size (absent when the writer streamed, as Java's
  // Avro does) is only a hint for the first allocation, never trusted beyond
  // what the input could plausibly hold.
  unsigned long long declared = ZSTD_getFrameContentSize(input.data(), input.size());
  size_t guess = InitialGuess(input.size(), max_size);
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR) {
    if (declared > max_size) {
      return Status::Corruption("zstandard: frame declares ", declared,
                                " uncompressed bytes, more than the ", max_size,
                                " allowed for one block");
    }
    size_t plausible = std::max<size_t>(guess, input.size() * 64);
    guess = std::min<size_t>(std::max<size_t>(declared, 1), plausible);
  }
  if (input.empty()) return Status::Corruption("zstandard: empty block");
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!ctx) return Status::Invalid("zstandard: cannot create a decompression context");
  out->resize(guess);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  size_t produced = 0;
  size_t last = 1;  // ZSTD_decompressStream's hint: 0 once a frame is complete
  while (in.pos < in.size || last != 0) {
    if (produced == out->size()) {
      if (out->size() >= max_size) return OutputTooLarge("zstandard", max_size);
      out->resize(std::min(std::max<size_t>(out->size() * 2, 4096), max_size));
    }
    ZSTD_outBuffer ob{out->data(), out->size(), produced};
    size_t in_before = in.pos;
    last = ZSTD_decompressStream(ctx.get(), &ob, &in);
    if (ZSTD_isError(last)) {
      return Status::Corruption("zstandard: corrupt data (", ZSTD_getErrorName(last), ")");
    }
    bool progressed = ob.pos != produced || in.pos != in_before;
    produced = ob.pos;
    if (!progressed && produced < out->size()) {
      return Status::Corruption("zstandard: truncated data");
    }
  }
  out->resize(produced);
  return Status::OK();
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNull: return "null";
    case Codec::kDeflate: return "deflate";
    case Codec::kSnappy: return "snappy";
    case Codec::kZstandard: return "zstandard";
  }
  return "unknown";
}

Result<Codec> ParseCodec(std::string_view name) {
  if (name == "null") return Codec::kNull;
  if (name == "deflate") return Codec::kDeflate;
  if (name == "snappy") return Codec::kSnappy;
  if (name == "zstandard" || name == "zstd") return Codec::kZstandard;
  return Status::NotSupported("unsupported Avro codec ", util::Quote(name),
                              " (supported: null, deflate, snappy, zstandard)");
}

Status CheckCompressionLevel(Codec codec, std::optional<int> level) {
  if (!level) return Status::OK();
  switch (codec) {
    case Codec::kDeflate:
      if (*level < -1 || *level > 9) {
        return Status::Invalid("deflate compression level ", *level, " is not in -1..9");
      }
      return Status::OK();
    case Codec::kZstandard:
      if (*level < ZSTD_minCLevel() || *level > ZSTD_maxCLevel()) {
        return Status::Invalid("zstandard compression level ", *level, " is not in ",
                               ZSTD_minCLevel(), "..", ZSTD_maxCLevel());
      }
      return Status::OK();
    default:
      return Status::OK();
  }
}

Status Compress(Codec codec, std::string_view input, std::optional<int> level, std::string* out) {
  FLOE_RETURN_NOT_OK(CheckCompressionLevel(codec, level));
  if (input.size() > kMaxBlockSize) {
    return Status::Invalid("cannot compress a block of ", input.size(), " bytes; the limit is ",
                           kMaxBlockSize);
  }
  switch (codec) {
    case Codec::kNull:
      out->assign(input);
      return Status::OK();
    case Codec::kDeflate:
      return DeflateCompress(input, level.value_or(Z_DEFAULT_COMPRESSION), out);
    case Codec::kSnappy:
      return SnappyCompress(input, out);
    case Codec::kZstandard:
      return ZstdCompress(input, level.value_or(ZSTD_CLEVEL_DEFAULT), out);
  }
  return Status::Invalid("unknown codec");
}

Status Decompress(Codec codec, std::string_view input, std::string* out, size_t max_size) {
  switch (codec) {
    case Codec::kNull:
      if (input.size() > max_size) return OutputTooLarge("null", max_size);
      out->assign(input);
      return Status::OK();
    case Codec::kDeflate:
      return DeflateDecompress(input, out, max_size);
    case Codec::kSnappy:
      return SnappyDecompress(input, out, max_size);
    case Codec::kZstandard:
      return ZstdDecompress(input, out, max_size);
  }
  return Status::Invalid("unknown codec");
}

}  // namespace floe::avro
