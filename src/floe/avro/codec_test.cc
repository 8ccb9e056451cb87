#include "floe/avro/codec.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>
#include <random>
#include <string>

namespace floe::avro {
namespace {

constexpr Codec kAllCodecs[] = {Codec::kNull, Codec::kDeflate, Codec::kSnappy, Codec::kZstandard};

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string Compressible(size_t n) {
  std::string out;
  while (out.size() < n) out += "manifest_entry data_file s3://bucket/path/to/file.parquet ";
  out.resize(n);
  return out;
}

void ExpectError(const Status& st, StatusCode code, std::string_view needle) {
  EXPECT_EQ(st.code(), code) << st.ToString();
  EXPECT_NE(st.message().find(needle), std::string::npos)
      << "message '" << st.message() << "' lacks '" << needle << "'";
}

TEST(AvroCodec, Names) {
  for (Codec c : kAllCodecs) EXPECT_EQ(*ParseCodec(CodecName(c)), c);
  EXPECT_EQ(CodecName(Codec::kZstandard), "zstandard");
  EXPECT_EQ(*ParseCodec("zstd"), Codec::kZstandard);
  Result<Codec> bad = ParseCodec("bzip2");
  ASSERT_FALSE(bad.ok());
  ExpectError(bad.status(), StatusCode::kNotSupported, "unsupported Avro codec 'bzip2'");
  EXPECT_FALSE(ParseCodec("gzip").ok());
  EXPECT_FALSE(ParseCodec("").ok());
}

TEST(AvroCodec, RoundTrips) {
  for (Codec c : kAllCodecs) {
    for (const std::string& input :
         {std::string(), std::string("x"), RandomBytes(100000, 1), Compressible(300000)}) {
      std::string compressed, back;
      ASSERT_TRUE(Compress(c, input, std::nullopt, &compressed).ok()) << CodecName(c);
      Status st = Decompress(c, compressed, &back);
      ASSERT_TRUE(st.ok()) << CodecName(c) << ": " << st.ToString();
      EXPECT_EQ(back, input) << CodecName(c);
      if (c != Codec::kNull && input.size() == 300000) {
        EXPECT_LT(compressed.size(), input.size() / 10) << CodecName(c);
      }
    }
  }
}

TEST(AvroCodec, Levels) {
  std::string input = Compressible(50000);
  for (int level : {0, 1, 9, -1}) {
    std::string compressed, back;
    ASSERT_TRUE(Compress(Codec::kDeflate, input, level, &compressed).ok()) << level;
    ASSERT_TRUE(Decompress(Codec::kDeflate, compressed, &back).ok());
    EXPECT_EQ(back, input);
  }
  for (int level : {1, 3, 19, -5}) {
    std::string compressed, back;
    ASSERT_TRUE(Compress(Codec::kZstandard, input, level, &compressed).ok()) << level;
    ASSERT_TRUE(Decompress(Codec::kZstandard, compressed, &back).ok());
    EXPECT_EQ(back, input);
  }
  std::string out;
  ExpectError(Compress(Codec::kDeflate, input, 10, &out), StatusCode::kInvalid,
              "deflate compression level 10 is not in -1..9");
  ExpectError(CheckCompressionLevel(Codec::kZstandard, 1000), StatusCode::kInvalid,
              "zstandard compression level 1000");
  EXPECT_TRUE(CheckCompressionLevel(Codec::kSnappy, 1000).ok());  // ignored
}

TEST(AvroCodec, SnappyAppendsBigEndianCrc32) {
  std::string input = "iceberg";
  std::string compressed;
  ASSERT_TRUE(Compress(Codec::kSnappy, input, std::nullopt, &compressed).ok());
  uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(input.data()),
                                             static_cast<uInt>(input.size())));
  ASSERT_GE(compressed.size(), 4u);
  std::string tail = compressed.substr(compressed.size() - 4);
  EXPECT_EQ(static_cast<uint8_t>(tail[0]), crc >> 24);
  EXPECT_EQ(static_cast<uint8_t>(tail[1]), (crc >> 16) & 0xff);
  EXPECT_EQ(static_cast<uint8_t>(tail[2]), (crc >> 8) & 0xff);
  EXPECT_EQ(static_cast<uint8_t>(tail[3]), crc & 0xff);
}

TEST(AvroCodec, DeflateIsRawAndToleratesTrailer) {
  std::string input = Compressible(1000);
  std::string compressed;
  ASSERT_TRUE(Compress(Codec::kDeflate, input, std::nullopt, &compressed).ok());
  // Raw deflate: no zlib header (0x78 ..).
  EXPECT_NE(static_cast<uint8_t>(compressed[0]), 0x78);
  // fastavro writes zlib.compress(...)[2:-1], leaving 3 adler32 bytes behind.
  std::string back;
  ASSERT_TRUE(Decompress(Codec::kDeflate, compressed + "\x01\x02\x03", &back).ok());
  EXPECT_EQ(back, input);
}

TEST(AvroCodec, RejectsCorruptData) {
  std::string input = RandomBytes(5000, 7) + Compressible(5000);
  std::string garbage = RandomBytes(64, 3);
  std::string out;
  for (Codec c : {Codec::kDeflate, Codec::kSnappy, Codec::kZstandard}) {
    std::string compressed;
    ASSERT_TRUE(Compress(c, input, std::nullopt, &compressed).ok());
    std::string name(CodecName(c));
    // Truncated.
    Status st = Decompress(c, std::string_view(compressed).substr(0, compressed.size() / 2), &out);
    ExpectError(st, StatusCode::kCorruption, name + ":");
    // Garbage.
    st = Decompress(c, garbage, &out);
    ExpectError(st, StatusCode::kCorruption, name + ":");
    // Flipped bytes in the middle: an error, never a crash (deflate and
    // zstd may or may not notice every flip; snappy has its CRC).
    for (size_t i = 0; i < compressed.size(); i += 7) {
      std::string bad = compressed;
      bad[i] = static_cast<char>(bad[i] ^ 0x5a);
      st = Decompress(c, bad, &out);
      if (!st.ok()) {
        EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.ToString();
      }
      if (c == Codec::kSnappy) {
        EXPECT_FALSE(st.ok()) << "flip at " << i;
      }
    }
  }
  ExpectError(Decompress(Codec::kDeflate, "", &out), StatusCode::kCorruption,
              "deflate: truncated data");
  ExpectError(Decompress(Codec::kSnappy, "ab", &out), StatusCode::kCorruption,
              "shorter than its 4-byte CRC");
  ExpectError(Decompress(Codec::kZstandard, "", &out), StatusCode::kCorruption,
              "zstandard: empty block");
}

TEST(AvroCodec, SnappyCrcMismatch) {
  std::string compressed;
  ASSERT_TRUE(Compress(Codec::kSnappy, "some data", std::nullopt, &compressed).ok());
  compressed.back() = static_cast<char>(compressed.back() ^ 1);
  std::string out;
  ExpectError(Decompress(Codec::kSnappy, compressed, &out), StatusCode::kCorruption,
              "snappy: CRC mismatch");
}

TEST(AvroCodec, CapsOutputSize) {
  std::string zeros(1 << 20, '\0');
  for (Codec c : kAllCodecs) {
    std::string compressed, out;
    ASSERT_TRUE(Compress(c, zeros, std::nullopt, &compressed).ok());
    Status st = Decompress(c, compressed, &out, 1000);
    ExpectError(st, StatusCode::kCorruption, "1000");
    EXPECT_LE(out.capacity(), size_t{4} << 20) << CodecName(c);
  }
  // Declared sizes are checked before allocating: a snappy header claiming
  // 2^32-1 bytes, a zstd frame header claiming 2^40.
  std::string out;
  std::string snappy_header = std::string("\xff\xff\xff\xff\x0f", 5) + std::string(4, '\0');
  ExpectError(Decompress(Codec::kSnappy, snappy_header, &out),
              StatusCode::kCorruption, "snappy: block declares 4294967295 uncompressed bytes");
  // zstd frame: magic, descriptor 0xE0 (8-byte content size, single segment).
  std::string zstd_frame("\x28\xb5\x2f\xfd\xe0", 5);
  zstd_frame += std::string("\x00\x00\x00\x00\x00\x01\x00\x00", 8);  // 2^40 little-endian
  zstd_frame += std::string("\x01\x00\x00", 3);
  ExpectError(Decompress(Codec::kZstandard, zstd_frame, &out), StatusCode::kCorruption,
              "zstandard: frame declares 1099511627776 uncompressed bytes");
}

TEST(AvroCodec, ZstdWithoutContentSize) {
  // Streaming writers (Java's Avro) leave the content size out of the frame.
  std::string input = Compressible(200000) + RandomBytes(1000, 9);
  std::string compressed;
  {
    // Build a frame with no content size through the streaming API.
    std::unique_ptr<ZSTD_CStream, size_t (*)(ZSTD_CStream*)> cs(ZSTD_createCStream(),
                                                                ZSTD_freeCStream);
    ZSTD_initCStream(cs.get(), 3);
    compressed.resize(ZSTD_compressBound(input.size()) + 1024);
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    ZSTD_outBuffer ob{compressed.data(), compressed.size(), 0};
    while (in.pos < in.size) ZSTD_compressStream(cs.get(), &ob, &in);
    while (ZSTD_endStream(cs.get(), &ob) != 0) {
    }
    compressed.resize(ob.pos);
  }
  ASSERT_EQ(ZSTD_getFrameContentSize(compressed.data(), compressed.size()),
            ZSTD_CONTENTSIZE_UNKNOWN);
  std::string out;
  Status st = Decompress(Codec::kZstandard, compressed, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(out, input);
}

}  // namespace
}  // namespace floe::avro
