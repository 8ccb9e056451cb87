// Decoder and Encoder: the binary encoding, round trips, hostile input, Skip.
#include "floe/avro/decoder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "floe/avro/encoder.h"
#include "floe/util/strings.h"

namespace floe::avro {
namespace {

std::string Bytes(std::string_view hex) { return *util::HexDecode(hex); }

Schema MustParse(std::string_view json) {
  Result<Schema> r = Schema::Parse(json);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : Schema();
}

void ExpectCorruption(const Decoder& d, std::string_view needle) {
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption) << d.status().ToString();
  EXPECT_NE(d.status().message().find(needle), std::string::npos)
      << "message '" << d.status().message() << "' lacks '" << needle << "'";
}

TEST(AvroVarint, KnownEncodings) {
  struct Case {
    int64_t value;
    std::string_view hex;
  };
  const Case cases[] = {
      {0, "00"},
      {-1, "01"},
      {1, "02"},
      {-64, "7f"},
      {63, "7e"},
      {64, "8001"},
      {-65, "8101"},
      {std::numeric_limits<int32_t>::max(), "feffffff0f"},
      {std::numeric_limits<int32_t>::min(), "ffffffff0f"},
      {std::numeric_limits<int64_t>::max(), "feffffffffffffffff01"},
      {std::numeric_limits<int64_t>::min(), "ffffffffffffffffff01"},
  };
  for (const Case& c : cases) {
    Encoder e;
    e.WriteLong(c.value);
    EXPECT_EQ(util::HexEncode(e.buffer()), c.hex) << c.value;
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadLong(), c.value);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE(d.at_end());
    if (c.value >= std::numeric_limits<int32_t>::min() &&
        c.value <= std::numeric_limits<int32_t>::max()) {
      Encoder ei;
      ei.WriteInt(static_cast<int32_t>(c.value));
      EXPECT_EQ(ei.buffer(), e.buffer());
      Decoder di(ei.buffer());
      EXPECT_EQ(di.ReadInt(), c.value);
      EXPECT_TRUE(di.ok() && di.at_end());
    }
  }
}

TEST(AvroVarint, RoundTripsManyValues) {
  Encoder e;
  std::vector<int64_t> values;
  for (int shift = 0; shift < 64; ++shift) {
    // Unsigned arithmetic: wraps around at the int64 limits instead of overflowing.
    uint64_t u = uint64_t{1} << shift;
    for (uint64_t x : {u, u - 1, u + 1, 0 - u, 0 - u - 1, 0 - u + 1}) {
      values.push_back(static_cast<int64_t>(x));
    }
  }
  for (int64_t v : values) e.WriteLong(v);
  Decoder d(e.buffer());
  for (int64_t v : values) EXPECT_EQ(d.ReadLong(), v);
  EXPECT_TRUE(d.ok() && d.at_end());
}

TEST(AvroVarint, AcceptsNonCanonicalWithinLimits) {
  // 0 padded to 10 bytes is still a valid long; 5 bytes a valid int.
  std::string ten = Bytes("80808080808080808000");
  Decoder d(ten);
  EXPECT_EQ(d.ReadLong(), 0);
  EXPECT_TRUE(d.ok() && d.at_end());
  std::string five = Bytes("8280808000");
  Decoder di(five);
  EXPECT_EQ(di.ReadInt(), 1);
  EXPECT_TRUE(di.ok() && di.at_end());
}

TEST(AvroVarint, RejectsOverlongAndOverflow) {
  {
    std::string eleven = Bytes("8080808080808080808000");
    Decoder d(eleven);
    EXPECT_EQ(d.ReadLong(), 0);
    ExpectCorruption(d, "long varint longer than 10 bytes at byte offset 0");
  }
  {
    std::string overflow = Bytes("ffffffffffffffffff02");  // bit 64 set
    Decoder d(overflow);
    d.ReadLong();
    ExpectCorruption(d, "long varint overflows 64 bits");
  }
  {
    std::string six = Bytes("808080808000");
    Decoder d(six);
    d.ReadInt();
    ExpectCorruption(d, "int varint longer than 5 bytes");
  }
  {
    std::string big = Bytes("8080808010");  // 2^32 << 0: bit 32 set
    Decoder d(big);
    d.ReadInt();
    ExpectCorruption(d, "int varint overflows 32 bits");
  }
  {
    // A value that fits a long but not an int.
    Encoder e;
    e.WriteLong(int64_t{1} << 40);
    Decoder d(e.buffer());
    d.ReadInt();
    EXPECT_FALSE(d.ok());
  }
  {
    std::string truncated = Bytes("8080");
    Decoder d(truncated);
    d.ReadLong();
    ExpectCorruption(d, "truncated long varint at byte offset 0");
    Decoder di(truncated);
    di.ReadInt();
    ExpectCorruption(di, "truncated int varint");
  }
  {
    Decoder d{std::string_view()};
    EXPECT_EQ(d.ReadLong(), 0);
    ExpectCorruption(d, "truncated");
  }
}

TEST(AvroDecoder, PrimitivesRoundTrip) {
  const std::string binary("\0\x01\xff\x80 bytes", 10);
  const std::string utf8 = "h\xc3\xa9llo \xf0\x9f\x98\x80";
  Encoder e;
  e.WriteNull();
  e.WriteBool(true);
  e.WriteBool(false);
  e.WriteInt(-123456);
  e.WriteLong(9876543210LL);
  e.WriteFloat(1.5f);
  e.WriteFloat(-0.0f);
  e.WriteFloat(std::numeric_limits<float>::infinity());
  e.WriteFloat(std::numeric_limits<float>::quiet_NaN());
  e.WriteDouble(-2.25);
  e.WriteDouble(std::numeric_limits<double>::denorm_min());
  e.WriteDouble(std::numeric_limits<double>::quiet_NaN());
  e.WriteBytes(binary);
  e.WriteBytes("");
  e.WriteString(utf8);
  e.WriteString(std::string(300, 'x'));
  e.WriteFixed("abcd");
  e.WriteUnionIndex(1);
  e.WriteEnum(2);

  Decoder d(e.buffer());
  EXPECT_TRUE(d.ReadBool());
  EXPECT_FALSE(d.ReadBool());
  EXPECT_EQ(d.ReadInt(), -123456);
  EXPECT_EQ(d.ReadLong(), 9876543210LL);
  EXPECT_EQ(d.ReadFloat(), 1.5f);
  float negzero = d.ReadFloat();
  EXPECT_EQ(negzero, 0.0f);
  EXPECT_TRUE(std::signbit(negzero));
  EXPECT_EQ(d.ReadFloat(), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(d.ReadFloat()));
  EXPECT_EQ(d.ReadDouble(), -2.25);
  EXPECT_EQ(d.ReadDouble(), std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::isnan(d.ReadDouble()));
  EXPECT_EQ(d.ReadBytes(), binary);
  EXPECT_EQ(d.ReadBytes(), "");
  EXPECT_EQ(d.ReadString(), utf8);
  EXPECT_EQ(d.ReadString(), std::string(300, 'x'));
  EXPECT_EQ(d.ReadFixed(4), "abcd");
  EXPECT_EQ(d.ReadUnionIndex(2), 1u);
  EXPECT_EQ(d.ReadEnum(3), 2u);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d.at_end());
}

TEST(AvroDecoder, LittleEndianFloats) {
  Encoder e;
  e.WriteFloat(1.0f);
  e.WriteDouble(1.0);
  EXPECT_EQ(util::HexEncode(e.buffer()), "0000803f000000000000f03f");
}

TEST(AvroDecoder, ErrorsAreSticky) {
  std::string data = Bytes("02" "03" "04");  // long 1, boolean byte 3
  Decoder d(data);
  EXPECT_EQ(d.ReadLong(), 1);
  EXPECT_FALSE(d.ReadBool());
  ExpectCorruption(d, "boolean byte is 3, not 0 or 1 at byte offset 1");
  std::string first = d.status().message();
  // Later reads return zeros and keep the first error.
  EXPECT_EQ(d.ReadLong(), 0);
  EXPECT_EQ(d.ReadInt(), 0);
  EXPECT_EQ(d.ReadDouble(), 0.0);
  EXPECT_EQ(d.ReadString(), "");
  EXPECT_EQ(d.ReadFixed(1), "");
  EXPECT_EQ(d.ReadBlockCount(), 0);
  EXPECT_EQ(d.remaining(), 0u);
  EXPECT_EQ(d.status().message(), first);
}

TEST(AvroDecoder, RejectsBadLengths) {
  {
    Encoder e;
    e.WriteLong(-5);
    e.WriteRaw("abcdefgh");
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadString(), "");
    ExpectCorruption(d, "negative bytes/string length -5");
  }
  {
    Encoder e;
    e.WriteLong(1000);
    e.WriteRaw("abc");
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBytes(), "");
    ExpectCorruption(d, "bytes/string length 1000 exceeds the 3 bytes left at byte offset 2");
  }
  {
    Encoder e;
    e.WriteLong(std::numeric_limits<int64_t>::max());
    Decoder d(e.buffer());
    d.ReadBytes();
    ExpectCorruption(d, "exceeds");
  }
  {
    std::string three = "abc";
    Decoder d(three);
    EXPECT_EQ(d.ReadFixed(4), "");
    ExpectCorruption(d, "truncated data: needs 4 bytes, only 3 left");
    Decoder f(three);
    f.ReadDouble();
    ExpectCorruption(f, "needs 8 bytes");
  }
  {
    Encoder e;
    e.WriteLong(2);
    Decoder d(e.buffer());
    d.ReadUnionIndex(2);
    ExpectCorruption(d, "union branch index 2 is out of range [0, 2)");
    Encoder n;
    n.WriteLong(-1);
    Decoder dn(n.buffer());
    dn.ReadEnum(3);
    ExpectCorruption(dn, "enum symbol index -1 is out of range [0, 3)");
  }
}

TEST(AvroDecoder, ArraysAndMapsWithBlocks) {
  // [1, 2, 3, 4, 5] as a plain block of 2, a sized block of 3, then the end.
  Encoder items;
  items.WriteLong(3);
  items.WriteLong(4);
  items.WriteLong(5);
  Encoder e;
  e.WriteBlockCount(2);
  e.WriteLong(1);
  e.WriteLong(2);
  e.WriteSizedBlock(3, items.buffer());
  e.WriteBlockEnd();
  // {"a": 1, "bb": 2} as one sized block, then an empty map.
  Encoder entries;
  entries.WriteString("a");
  entries.WriteLong(1);
  entries.WriteString("bb");
  entries.WriteLong(2);
  e.WriteSizedBlock(2, entries.buffer());
  e.WriteBlockEnd();
  e.WriteBlockEnd();

  Decoder d(e.buffer());
  std::vector<int64_t> got;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t i = 0; i < n && d.ok(); ++i) got.push_back(d.ReadLong());
  }
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  std::vector<std::pair<std::string, int64_t>> map;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t i = 0; i < n && d.ok(); ++i) {
      std::string key(d.ReadString());
      map.emplace_back(key, d.ReadLong());
    }
  }
  EXPECT_EQ(map, (std::vector<std::pair<std::string, int64_t>>{{"a", 1}, {"bb", 2}}));
  EXPECT_EQ(d.ReadBlockCount(), 0);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d.at_end());

  // ReadBlockHeader exposes the byte size.
  Decoder h(e.buffer());
  Decoder::BlockHeader first = h.ReadBlockHeader();
  EXPECT_EQ(first.count, 2);
  EXPECT_EQ(first.byte_size, -1);
  h.ReadLong();
  h.ReadLong();
  Decoder::BlockHeader second = h.ReadBlockHeader();
  EXPECT_EQ(second.count, 3);
  EXPECT_EQ(second.byte_size, static_cast<int64_t>(items.size()));
}

TEST(AvroDecoder, RejectsHostileBlockCounts) {
  {
    // 2^62 items in a 3-byte buffer.
    Encoder e;
    e.WriteLong(int64_t{1} << 62);
    e.WriteRaw("abc");
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBlockCount(), 0);
    ExpectCorruption(d, "array/map block of 4611686018427387904 items exceeds the 3 bytes left");
  }
  {
    Encoder e;
    e.WriteLong(std::numeric_limits<int64_t>::min());
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBlockCount(), 0);
    ExpectCorruption(d, "cannot be negated");
    Decoder h(e.buffer());
    EXPECT_EQ(h.ReadBlockHeader().count, 0);
    ExpectCorruption(h, "cannot be negated");
  }
  {
    // Negative count with a byte size past the end, or a negative size.
    Encoder e;
    e.WriteLong(-2);
    e.WriteLong(100);
    e.WriteRaw("xy");
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBlockCount(), 0);
    ExpectCorruption(d, "block byte size 100 is negative or exceeds the 2 bytes left");
    Encoder n;
    n.WriteLong(-2);
    n.WriteLong(-1);
    Decoder dn(n.buffer());
    dn.ReadBlockHeader();
    ExpectCorruption(dn, "block byte size -1 is negative");
  }
  {
    // More items than the declared byte size can hold.
    Encoder e;
    e.WriteSizedBlock(5, "ab");
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBlockCount(), 0);
    ExpectCorruption(d, "block of 5 items cannot fit in 2 bytes");
  }
  {
    // ReadBlockHeader does not bound the count: for zero-size items.
    Encoder e;
    e.WriteBlockCount(int64_t{1} << 40);
    Decoder d(e.buffer());
    EXPECT_EQ(d.ReadBlockHeader().count, int64_t{1} << 40);
    EXPECT_TRUE(d.ok());
  }
}

// A schema with every node kind, and a value of it encoded by hand.
constexpr std::string_view kAllKinds = R"json({"type": "record", "name": "all", "fields": [
  {"name": "n", "type": "null"},
  {"name": "b", "type": "boolean"},
  {"name": "i", "type": "int"},
  {"name": "l", "type": "long"},
  {"name": "f", "type": "float"},
  {"name": "d", "type": "double"},
  {"name": "by", "type": "bytes"},
  {"name": "s", "type": "string"},
  {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
  {"name": "fx", "type": {"type": "fixed", "name": "F3", "size": 3}},
  {"name": "a", "type": {"type": "array", "items": "string"}},
  {"name": "m", "type": {"type": "map", "values": ["null", "long"]}},
  {"name": "u", "type": ["null", "string", "F3"]},
  {"name": "r", "type": {"type": "record", "name": "inner", "fields": [
     {"name": "x", "type": {"type": "array", "items": {"type": "map", "values": "double"}}}]}}
]})json";

std::string EncodeAllKinds(bool sized_blocks) {
  Encoder e;
  e.WriteBool(true);
  e.WriteInt(-7);
  e.WriteLong(1234567890123LL);
  e.WriteFloat(0.25f);
  e.WriteDouble(8.5);
  e.WriteBytes(std::string("\0\1", 2));
  e.WriteString("str");
  e.WriteEnum(1);
  e.WriteFixed("xyz");
  // array<string> ["p", "q", "r"]
  Encoder items;
  items.WriteString("p");
  items.WriteString("q");
  items.WriteString("r");
  if (sized_blocks) {
    e.WriteSizedBlock(3, items.buffer());
  } else {
    e.WriteBlockCount(3);
    e.WriteRaw(items.buffer());
  }
  e.WriteBlockEnd();
  // map<["null","long"]> {"k": null, "v": 5}
  Encoder entries;
  entries.WriteString("k");
  entries.WriteUnionIndex(0);
  entries.WriteString("v");
  entries.WriteUnionIndex(1);
  entries.WriteLong(5);
  if (sized_blocks) {
    e.WriteSizedBlock(2, entries.buffer());
  } else {
    e.WriteBlockCount(1);
    e.WriteRaw(entries.buffer().substr(0, 3));
    e.WriteBlockCount(1);
    e.WriteRaw(entries.buffer().substr(3));
  }
  e.WriteBlockEnd();
  // union: the fixed branch
  e.WriteUnionIndex(2);
  e.WriteFixed("uvw");
  // inner.x: [{"a": 1.0}, {}]
  e.WriteBlockCount(2);
  e.WriteBlockCount(1);
  e.WriteString("a");
  e.WriteDouble(1.0);
  e.WriteBlockEnd();
  e.WriteBlockEnd();
  e.WriteBlockEnd();
  return e.Release();
}

TEST(AvroDecoder, SkipsEveryKind) {
  Schema schema = MustParse(kAllKinds);
  for (bool sized : {false, true}) {
    std::string data = EncodeAllKinds(sized);
    Encoder sentinel;
    sentinel.WriteLong(-424242);
    data += sentinel.buffer();
    // The whole record.
    Decoder d(data);
    d.Skip(schema.root());
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d.ReadLong(), -424242);
    EXPECT_TRUE(d.at_end());
    // Field by field, which skips each kind on its own.
    Decoder f(data);
    for (const Field& field : schema.root().fields) {
      f.Skip(*field.type);
      ASSERT_TRUE(f.ok()) << field.name << ": " << f.status().ToString();
    }
    EXPECT_EQ(f.ReadLong(), -424242);
  }
}

TEST(AvroDecoder, SkipDetectsCorruption) {
  Schema schema = MustParse(kAllKinds);
  std::string data = EncodeAllKinds(false);
  // Every truncation fails cleanly.
  for (size_t cut = 0; cut < data.size(); ++cut) {
    Decoder d(std::string_view(data).substr(0, cut));
    d.Skip(schema.root());
    EXPECT_FALSE(d.ok()) << "cut at " << cut;
    EXPECT_EQ(d.status().code(), StatusCode::kCorruption);
  }
  // A bad union branch.
  Schema u = MustParse(R"(["null", "long"])");
  std::string two = Bytes("04");
  Decoder d(two);
  d.Skip(u.root());
  ExpectCorruption(d, "union branch index 2 is out of range [0, 2)");
  // A bad enum symbol.
  Schema en = MustParse(R"({"type":"enum","name":"E","symbols":["A"]})");
  Decoder de(two);
  de.Skip(en.root());
  ExpectCorruption(de, "enum symbol index 2");
}

TEST(AvroDecoder, SkipZeroSizeItemsWithoutLooping) {
  // 2^60 nulls (or empty records) cost nothing to skip.
  Schema schema = MustParse(R"({"type":"array","items":{"type":"record","name":"e","fields":[
      {"name":"n","type":"null"}]}})");
  Encoder e;
  e.WriteBlockCount(int64_t{1} << 60);
  e.WriteBlockCount(int64_t{1} << 60);
  e.WriteBlockEnd();
  Decoder d(e.buffer());
  d.Skip(schema.root());
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d.at_end());
}

TEST(AvroDecoder, SkipExponentialZeroSizeSchemaIsFast) {
  // Each level doubles the number of paths: walking it naively would never
  // end. Zero-size records are skipped in O(1).
  std::string json = R"({"type":"record","name":"t0","fields":[{"name":"n","type":"null"}]})";
  for (int i = 1; i < 100; ++i) {
    json = R"({"type":"record","name":"t)" + std::to_string(i) +
           R"(","fields":[{"name":"a","type":)" + json + R"(},{"name":"b","type":"t)" +
           std::to_string(i - 1) + R"("}]})";
  }
  Schema schema = MustParse(json);
  EXPECT_TRUE(schema.root().zero_size);
  auto start = std::chrono::steady_clock::now();
  Decoder d{std::string_view()};
  d.Skip(schema.root());
  EXPECT_TRUE(d.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(AvroDecoder, SkipLimitsDepthOfRecursiveData) {
  // A linked list 1000 deep: more nesting than kMaxNestingDepth.
  Schema schema = MustParse(R"({"type":"record","name":"node","fields":[
      {"name":"next","type":["null","node"]}]})");
  Encoder e;
  for (int i = 0; i < 1000; ++i) e.WriteUnionIndex(1);
  e.WriteUnionIndex(0);
  Decoder d(e.buffer());
  d.Skip(schema.root());
  ExpectCorruption(d, "values nest deeper than 128 levels");
  // A shallow list is fine.
  Encoder s;
  for (int i = 0; i < 10; ++i) s.WriteUnionIndex(1);
  s.WriteUnionIndex(0);
  Decoder ds(s.buffer());
  ds.Skip(schema.root());
  EXPECT_TRUE(ds.ok() && ds.at_end()) << ds.status().ToString();
}

TEST(AvroDecoder, SkipBoundsHugeCounts) {
  Schema schema = MustParse(R"({"type":"array","items":"long"})");
  Encoder e;
  e.WriteBlockCount(int64_t{1} << 62);
  e.WriteLong(1);
  auto start = std::chrono::steady_clock::now();
  Decoder d(e.buffer());
  d.Skip(schema.root());
  ExpectCorruption(d, "items exceeds");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

}  // namespace
}  // namespace floe::avro
