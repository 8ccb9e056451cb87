// Encoder: appends Avro binary encoding (Avro 1.11 specification, "Binary
// Encoding") to a byte buffer it owns. Writing cannot fail; the caller is
// responsible for following the schema (the right union index, a fixed of
// the right size, a block count matching the items written).
//
// Not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace floe::avro {

class Encoder {
 public:
  Encoder() = default;
  // Continues appending to `initial`.
  explicit Encoder(std::string initial) : buf_(std::move(initial)) {}

  // The bytes written so far.
  const std::string& buffer() const { return buf_; }
  size_t size() const { return buf_.size(); }
  // Moves the bytes out, leaving the encoder empty.
  std::string Release() { return std::exchange(buf_, std::string()); }
  void Clear() { buf_.clear(); }

  void WriteNull() {}
  void WriteBool(bool v) { buf_.push_back(v ? '\1' : '\0'); }
  // int and long: zigzag varints (at most 5 and 10 bytes).
  void WriteInt(int32_t v) {
    WriteVarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
  }
  void WriteLong(int64_t v) {
    WriteVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  // float / double: IEEE 754, little-endian.
  void WriteFloat(float v) {
    uint32_t bits = std::bit_cast<uint32_t>(v);
    if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap32(bits);
    buf_.append(reinterpret_cast<const char*>(&bits), 4);
  }
  void WriteDouble(double v) {
    uint64_t bits = std::bit_cast<uint64_t>(v);
    if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap64(bits);
    buf_.append(reinterpret_cast<const char*>(&bits), 8);
  }
  // bytes / string: the length as a long, then the bytes.
  void WriteBytes(std::string_view v) {
    WriteLong(static_cast<int64_t>(v.size()));
    buf_.append(v);
  }
  void WriteString(std::string_view v) { WriteBytes(v); }
  // fixed: the raw bytes, no length. REQUIRES: v.size() == the fixed's size.
  void WriteFixed(std::string_view v) { buf_.append(v); }
  // Raw bytes, e.g. a value encoded elsewhere.
  void WriteRaw(std::string_view v) { buf_.append(v); }
  // union: the branch index; enum: the symbol index.
  void WriteUnionIndex(int64_t index) { WriteLong(index); }
  void WriteEnum(int64_t index) { WriteLong(index); }

  // Arrays and maps: WriteBlockCount(n) then n items (map items: WriteString
  // key, then the value), repeated for more blocks, then WriteBlockEnd().
  // An empty array or map is just WriteBlockEnd(). REQUIRES: count > 0.
  void WriteBlockCount(int64_t count) { WriteLong(count); }
  void WriteBlockEnd() { buf_.push_back('\0'); }
  // One block in the form with a byte size (count -n, then the size), which
  // lets readers skip it: `items` holds the n items, already encoded.
  void WriteSizedBlock(int64_t count, std::string_view items);

 private:
  template <typename U>
  void WriteVarint(U v) {
    char tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
      tmp[n++] = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
      v >>= 7;
    }
    tmp[n++] = static_cast<char>(v);
    buf_.append(tmp, n);
  }

  std::string buf_;
};

}  // namespace floe::avro
