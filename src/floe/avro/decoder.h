// Decoder: reads Avro binary encoding (Avro 1.11 specification, "Binary
// Encoding") from a byte span, for hot loops over untrusted input.
//
// Errors are sticky: the first malformed or truncated value records a
// Corruption status, moves the read position to the end and every later
// read returns zero / false / an empty view without touching memory. So a
// caller may decode a whole record and check ok() once; loops whose trip
// count comes from the data should also stop on !ok(). The decoder never
// reads outside its span, never allocates and never recurses deeper than
// kMaxNestingDepth.
//
// Not thread-safe; cheap to copy (a copy continues independently).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "floe/avro/schema.h"
#include "floe/status.h"

namespace floe::avro {

class Decoder {
 public:
  Decoder() = default;
  // `data` must outlive the decoder and every view it returns.
  explicit Decoder(std::string_view data)
      : begin_(reinterpret_cast<const uint8_t*>(data.data())),
        pos_(begin_),
        end_(begin_ + data.size()) {}

  bool ok() const { return status_.ok(); }
  // The first error, or OK. Messages give the byte offset within the span.
  const Status& status() const { return status_; }
  // Bytes not yet read (0 after an error).
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  // Offset of the next byte to read from the start of the span.
  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  bool at_end() const { return pos_ == end_; }

  // int: zigzag varint of at most 5 bytes whose value fits 32 bits.
  int32_t ReadInt() {
    if (pos_ != end_ && *pos_ < 0x80) [[likely]] {
      uint32_t v = *pos_++;
      return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    return ReadIntSlow();
  }
  // long: zigzag varint of at most 10 bytes whose value fits 64 bits.
  int64_t ReadLong() {
    if (pos_ != end_ && *pos_ < 0x80) [[likely]] {
      uint64_t v = *pos_++;
      return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    return ReadLongSlow();
  }
  // boolean: one byte, 0 or 1; any other byte is Corruption.
  bool ReadBool() {
    if (pos_ != end_ && *pos_ <= 1) [[likely]] return *pos_++ != 0;
    FailBool();
    return false;
  }
  // float / double: 4 / 8 bytes, IEEE 754, little-endian.
  float ReadFloat() {
    uint32_t bits = 0;
    if (Need(4)) [[likely]] {
      std::memcpy(&bits, pos_, 4);
      pos_ += 4;
      if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap32(bits);
    }
    return std::bit_cast<float>(bits);
  }
  double ReadDouble() {
    uint64_t bits = 0;
    if (Need(8)) [[likely]] {
      std::memcpy(&bits, pos_, 8);
      pos_ += 8;
      if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap64(bits);
    }
    return std::bit_cast<double>(bits);
  }
  // bytes / string: a long length, then that many bytes. Returns a view into
  // the span; a negative length or one past the end is Corruption. Strings
  // are not checked for valid UTF-8.
  std::string_view ReadBytes() {
    int64_t n = ReadLong();
    if (n >= 0 && static_cast<uint64_t>(n) <= remaining()) [[likely]] {
      std::string_view out(reinterpret_cast<const char*>(pos_), static_cast<size_t>(n));
      pos_ += n;
      return out;
    }
    FailLength("bytes/string", n);
    return {};
  }
  std::string_view ReadString() { return ReadBytes(); }
  // fixed(n): exactly n raw bytes, as a view into the span.
  std::string_view ReadFixed(size_t n) {
    if (!Need(n)) return {};
    std::string_view out(reinterpret_cast<const char*>(pos_), n);
    pos_ += n;
    return out;
  }
  // Skips n raw bytes (Corruption if fewer remain).
  void SkipBytes(size_t n) {
    if (Need(n)) pos_ += n;
  }
  // union: the branch index, checked to be in [0, branch_count); 0 on error.
  size_t ReadUnionIndex(size_t branch_count) { return ReadIndex(branch_count, "union branch"); }
  // enum: the symbol index, checked to be in [0, symbol_count); 0 on error.
  size_t ReadEnum(size_t symbol_count) { return ReadIndex(symbol_count, "enum symbol"); }

  // Arrays and maps are a series of blocks, each an item count then that
  // many items (a map item is a string key then the value), ended by a block
  // of count 0. A negative count -n means n items preceded by the block's
  // byte size. Loop:
  //   for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount())
  //     for (int64_t i = 0; i < n && d.ok(); ++i) ...read one item...
  //
  // ReadBlockCount returns the next block's item count, 0 at the end (or on
  // error). Since every item of a type that is not zero-size takes at least
  // one byte, a count larger than the bytes left is Corruption; for items of
  // a zero-size type (Node::zero_size: null, empty record) use
  // ReadBlockHeader, which does not bound the count.
  int64_t ReadBlockCount() {
    int64_t n = ReadLong();
    if (n >= 0 && static_cast<uint64_t>(n) <= remaining()) [[likely]] return n;
    return ReadBlockCountSlow(n);
  }
  struct BlockHeader {
    int64_t count = 0;       // items in the block; 0 ends the array or map
    int64_t byte_size = -1;  // the block's size in bytes, -1 if the writer gave none
  };
  // The next block's count and byte size. The byte size, when given, is
  // checked against the bytes left; the count is not bounded.
  BlockHeader ReadBlockHeader();

  // Skips one value of type `node`. Arrays and maps with byte-sized blocks
  // are skipped without decoding their items. REQUIRES: `node` belongs to a
  // finalized schema (Schema::Parse or Schema::Finalize).
  void Skip(const Node& node) { SkipValue(node, 0); }

  // Records `status` if no error was recorded yet and stops reading; for
  // callers that find the data inconsistent (e.g. an out-of-range value).
  void Fail(Status status);

 private:
  bool Need(size_t n) {
    if (n <= remaining()) [[likely]] return true;
    FailTruncated(n);
    return false;
  }
  size_t ReadIndex(size_t count, const char* what) {
    int64_t i = ReadLong();
    if (i >= 0 && static_cast<uint64_t>(i) < count) [[likely]] return static_cast<size_t>(i);
    FailIndex(what, i, count);
    return 0;
  }
  int32_t ReadIntSlow();
  int64_t ReadLongSlow();
  int64_t ReadBlockCountSlow(int64_t n);
  void SkipValue(const Node& node, int depth);
  void SkipBlocks(const Node& item, bool map, int depth);

  // Cold paths: build the message, record it, stop reading.
  [[gnu::cold, gnu::noinline]] void FailTruncated(size_t needed);
  [[gnu::cold, gnu::noinline]] void FailBool();
  [[gnu::cold, gnu::noinline]] void FailLength(const char* what, int64_t n);
  [[gnu::cold, gnu::noinline]] void FailIndex(const char* what, int64_t i, size_t count);
  [[gnu::cold, gnu::noinline]] void FailAt(size_t offset, std::string message);

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  Status status_;
};

}  // namespace floe::avro
