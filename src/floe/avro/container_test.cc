// ContainerWriter and ContainerReader: round trips and damaged files.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "floe/avro/container_reader.h"
#include "floe/avro/container_writer.h"

namespace floe::avro {
namespace {

constexpr Codec kAllCodecs[] = {Codec::kNull, Codec::kDeflate, Codec::kSnappy, Codec::kZstandard};
const std::string kSync = "0123456789abcdef";

constexpr std::string_view kSchema = R"json({"type": "record", "name": "manifest_file", "fields": [
  {"name": "path", "type": "string", "field-id": 500},
  {"name": "length", "type": "long", "field-id": 501},
  {"name": "spec_id", "type": "int", "field-id": 502},
  {"name": "added", "type": ["null", "int"], "default": null, "field-id": 504},
  {"name": "partitions", "default": null, "field-id": 507, "type": ["null", {"type": "array",
    "element-id": 508, "items": {"type": "record", "name": "r508", "fields": [
      {"name": "contains_null", "type": "boolean", "field-id": 509},
      {"name": "lower", "type": ["null", "bytes"], "default": null, "field-id": 510}]}}]}
]})json";

struct Summary {
  bool contains_null = false;
  std::optional<std::string> lower;
  bool operator==(const Summary&) const = default;
};
struct Rec {
  std::string path;
  int64_t length = 0;
  int32_t spec_id = 0;
  std::optional<int32_t> added;
  std::optional<std::vector<Summary>> partitions;
  bool operator==(const Rec&) const = default;
};

Rec MakeRec(int i) {
  Rec r;
  r.path = "s3://bucket/db/table/metadata/manifest-" + std::to_string(i) + ".avro";
  r.length = 1000 + i * 37;
  r.spec_id = i % 3;
  if (i % 5 != 0) r.added = i;
  if (i % 2 == 0) {
    r.partitions.emplace();
    for (int j = 0; j < i % 4; ++j) {
      Summary s;
      s.contains_null = (i + j) % 3 == 0;
      if (j % 2 == 0) s.lower = std::string(static_cast<size_t>(j + 1), static_cast<char>('a' + j));
      r.partitions->push_back(s);
    }
  }
  return r;
}

void EncodeRec(const Rec& r, Encoder& e) {
  e.WriteString(r.path);
  e.WriteLong(r.length);
  e.WriteInt(r.spec_id);
  if (r.added) {
    e.WriteUnionIndex(1);
    e.WriteInt(*r.added);
  } else {
    e.WriteUnionIndex(0);
  }
  if (!r.partitions) {
    e.WriteUnionIndex(0);
    return;
  }
  e.WriteUnionIndex(1);
  if (!r.partitions->empty()) {
    e.WriteBlockCount(static_cast<int64_t>(r.partitions->size()));
    for (const Summary& s : *r.partitions) {
      e.WriteBool(s.contains_null);
      if (s.lower) {
        e.WriteUnionIndex(1);
        e.WriteBytes(*s.lower);
      } else {
        e.WriteUnionIndex(0);
      }
    }
  }
  e.WriteBlockEnd();
}

Rec DecodeRec(Decoder& d) {
  Rec r;
  r.path = std::string(d.ReadString());
  r.length = d.ReadLong();
  r.spec_id = d.ReadInt();
  if (d.ReadUnionIndex(2) == 1) r.added = d.ReadInt();
  if (d.ReadUnionIndex(2) == 1) {
    r.partitions.emplace();
    for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
      for (int64_t i = 0; i < n && d.ok(); ++i) {
        Summary s;
        s.contains_null = d.ReadBool();
        if (d.ReadUnionIndex(2) == 1) s.lower = std::string(d.ReadBytes());
        r.partitions->push_back(s);
      }
    }
  }
  return r;
}

ContainerWriterOptions Options(Codec codec) {
  ContainerWriterOptions o;
  o.codec = codec;
  o.sync_marker = kSync;
  o.metadata = {{"format-version", "2"},
                {"partition-spec-id", "0"},
                {"binary", std::string("\0\xff", 2)}};
  return o;
}

std::string WriteFile(int n, ContainerWriterOptions options) {
  Result<ContainerWriter> w = ContainerWriter::Make(kSchema, std::move(options));
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  if (!w.ok()) return {};
  for (int i = 0; i < n; ++i) {
    EncodeRec(MakeRec(i), w->encoder());
    EXPECT_TRUE(w->EndRecord().ok());
  }
  EXPECT_EQ(w->records_written(), n);
  Result<std::string> bytes = w->Finish();
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

struct ReadResult {
  std::vector<Rec> recs;
  std::vector<int64_t> block_counts;
};

Result<ReadResult> ReadFile(std::string_view bytes) {
  FLOE_ASSIGN_OR_RAISE(ContainerReader reader, ContainerReader::Open("test.avro", bytes));
  ReadResult out;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(bool more, reader.NextBlock());
    if (!more) break;
    out.block_counts.push_back(reader.block_count());
    for (int64_t i = 0; i < reader.block_count(); ++i) {
      out.recs.push_back(DecodeRec(reader.decoder()));
    }
    FLOE_RETURN_NOT_OK(reader.FinishBlock());
  }
  return out;
}

// Opens and walks every object with Skip; the status of the first failure.
Status WalkAll(std::string_view bytes) {
  FLOE_ASSIGN_OR_RAISE(ContainerReader reader, ContainerReader::Open("walk.avro", bytes));
  while (true) {
    FLOE_ASSIGN_OR_RAISE(bool more, reader.NextBlock());
    if (!more) return Status::OK();
    for (int64_t i = 0; i < reader.block_count() && reader.decoder().ok(); ++i) {
      reader.decoder().Skip(reader.schema().root());
    }
    FLOE_RETURN_NOT_OK(reader.FinishBlock());
  }
}

// A file assembled by hand: header entries, then (count, bytes) blocks.
std::string BuildFile(const std::vector<std::pair<std::string, std::string>>& metadata,
                      const std::vector<std::pair<int64_t, std::string>>& blocks) {
  Encoder e;
  e.WriteRaw(kContainerMagic);
  if (!metadata.empty()) {
    e.WriteBlockCount(static_cast<int64_t>(metadata.size()));
    for (const auto& [k, v] : metadata) {
      e.WriteString(k);
      e.WriteBytes(v);
    }
  }
  e.WriteBlockEnd();
  e.WriteFixed(kSync);
  for (const auto& [count, data] : blocks) {
    e.WriteLong(count);
    e.WriteLong(static_cast<int64_t>(data.size()));
    e.WriteRaw(data);
    e.WriteFixed(kSync);
  }
  return e.Release();
}

void ExpectError(const Status& st, StatusCode code, std::string_view needle) {
  EXPECT_EQ(st.code(), code) << st.ToString();
  EXPECT_NE(st.message().find(needle), std::string::npos)
      << "message '" << st.message() << "' lacks '" << needle << "'";
}

TEST(AvroContainer, RoundTripEveryCodecWithManyBlocks) {
  for (Codec codec : kAllCodecs) {
    ContainerWriterOptions o = Options(codec);
    o.target_block_bytes = 4096;
    std::string bytes = WriteFile(1000, o);
    Result<ReadResult> r = ReadFile(bytes);
    ASSERT_TRUE(r.ok()) << CodecName(codec) << ": " << r.status().ToString();
    ASSERT_EQ(r->recs.size(), 1000u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(r->recs[i], MakeRec(i)) << i;
    EXPECT_GT(r->block_counts.size(), 5u) << CodecName(codec);

    Result<ContainerReader> reader = ContainerReader::Open("x.avro", bytes);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader->codec(), codec);
    EXPECT_EQ(reader->sync_marker(), kSync);
    EXPECT_EQ(reader->GetMetadata("avro.codec"), CodecName(codec));
    EXPECT_EQ(reader->GetMetadata("avro.schema"), kSchema);
    EXPECT_EQ(reader->GetMetadata("format-version"), "2");
    EXPECT_EQ(reader->GetMetadata("binary"), std::string_view("\0\xff", 2));
    EXPECT_FALSE(reader->GetMetadata("missing").has_value());
    ASSERT_EQ(reader->metadata().size(), 5u);
    EXPECT_EQ(reader->metadata()[0].first, "avro.schema");
    EXPECT_EQ(reader->metadata()[1].first, "avro.codec");
    EXPECT_EQ(reader->metadata()[2].first, "format-version");
    EXPECT_EQ(reader->metadata()[3].first, "partition-spec-id");
    EXPECT_EQ(reader->schema().root().fields[4].field_id, 507);
    EXPECT_TRUE(WalkAll(bytes).ok());
  }
}

TEST(AvroContainer, CutsBlocksByRecordCount) {
  ContainerWriterOptions o = Options(Codec::kSnappy);
  o.max_block_records = 3;
  Result<ReadResult> r = ReadFile(WriteFile(10, o));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->block_counts, (std::vector<int64_t>{3, 3, 3, 1}));
}

TEST(AvroContainer, EmptyFileIsValid) {
  for (Codec codec : kAllCodecs) {
    std::string bytes = WriteFile(0, Options(codec));
    Result<ContainerReader> reader = ContainerReader::Open("empty.avro", bytes);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ(reader->schema().root().name, "manifest_file");
    Result<bool> more = reader->NextBlock();
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(*more);
    EXPECT_FALSE(*reader->NextBlock());  // stays at the end
    // Header only: magic, metadata, sync marker.
    EXPECT_EQ(bytes.substr(bytes.size() - 16), kSync);
  }
}

TEST(AvroContainer, OutputIsDeterministicWithAFixedSyncMarker) {
  EXPECT_EQ(WriteFile(50, Options(Codec::kDeflate)), WriteFile(50, Options(Codec::kDeflate)));
  ContainerWriterOptions a = Options(Codec::kNull);
  a.sync_marker.reset();
  ContainerWriterOptions b = a;
  std::string fa = WriteFile(5, a);
  std::string fb = WriteFile(5, b);
  EXPECT_NE(fa, fb);  // random sync markers
  Result<ContainerReader> ra = ContainerReader::Open("a", fa);
  ASSERT_TRUE(ra.ok());
  EXPECT_NE(ra->sync_marker(), kSync);
  EXPECT_TRUE(ReadFile(fa).ok());
}

TEST(AvroContainer, WriterFromSchemaTree) {
  Result<Schema> schema = Schema::Parse(kSchema);
  ASSERT_TRUE(schema.ok());
  Result<ContainerWriter> w = ContainerWriter::Make(*schema, Options(Codec::kZstandard));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EncodeRec(MakeRec(4), w->encoder());
  ASSERT_TRUE(w->EndRecord().ok());
  Result<std::string> bytes = w->Finish();
  ASSERT_TRUE(bytes.ok());
  Result<ContainerReader> reader = ContainerReader::Open("tree.avro", *bytes);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->GetMetadata("avro.schema"), schema->ToJson());
  EXPECT_TRUE(SchemaEquals(reader->schema().root(), schema->root()));
  Result<ReadResult> r = ReadFile(*bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->recs, std::vector<Rec>{MakeRec(4)});
}

TEST(AvroContainer, WriterErrors) {
  auto make = [](ContainerWriterOptions o) { return ContainerWriter::Make(kSchema, o).status(); };
  ContainerWriterOptions o = Options(Codec::kNull);
  o.metadata = {{"avro.custom", "x"}};
  ExpectError(make(o), StatusCode::kInvalid, "metadata key 'avro.custom' is reserved");
  o.metadata = {{"k", "1"}, {"k", "2"}};
  ExpectError(make(o), StatusCode::kInvalid, "metadata key 'k' is given twice");
  o = Options(Codec::kNull);
  o.sync_marker = "short";
  ExpectError(make(o), StatusCode::kInvalid, "sync marker must be 16 bytes, got 5");
  o = Options(Codec::kDeflate);
  o.compression_level = 12;
  ExpectError(make(o), StatusCode::kInvalid, "deflate compression level 12");
  o = Options(Codec::kNull);
  o.target_block_bytes = 0;
  ExpectError(make(o), StatusCode::kInvalid, "target_block_bytes");
  ExpectError(ContainerWriter::Make("{bad json", Options(Codec::kNull)).status(),
              StatusCode::kInvalid, "Avro writer schema: schema JSON is malformed");

  Result<ContainerWriter> w = ContainerWriter::Make(kSchema, Options(Codec::kNull));
  ASSERT_TRUE(w.ok());
  w->encoder().WriteString("half a record");
  ExpectError(w->Finish().status(), StatusCode::kInvalid,
              "bytes were encoded after the last EndRecord");
  w->encoder().Clear();
  ASSERT_TRUE(w->Finish().ok());
  ExpectError(w->Finish().status(), StatusCode::kInvalid, "Finish called twice");
  ExpectError(w->EndRecord(), StatusCode::kInvalid, "EndRecord after Finish");
}

TEST(AvroContainer, RejectsWrongMagic) {
  for (std::string data : {std::string("PAR1\0\0\0\0", 8), std::string(), std::string("Obj"),
                           std::string("{\"json\": true}")}) {
    Result<ContainerReader> r = ContainerReader::Open("s3://b/t/metadata/x.avro", data);
    ASSERT_FALSE(r.ok());
    ExpectError(r.status(), StatusCode::kInvalid,
                "s3://b/t/metadata/x.avro: not an Avro object container file");
  }
}

TEST(AvroContainer, RejectsTruncatedHeader) {
  std::string bytes = WriteFile(3, Options(Codec::kNull));
  Result<ContainerReader> full = ContainerReader::Open("t.avro", bytes);
  ASSERT_TRUE(full.ok());
  // The header ends where the first block starts: just after the first sync.
  size_t header_size = bytes.find(kSync) + kSync.size();
  for (size_t cut = 4; cut < header_size; ++cut) {
    Result<ContainerReader> r = ContainerReader::Open("t.avro", bytes.substr(0, cut));
    ASSERT_FALSE(r.ok()) << cut;
    ExpectError(r.status(), StatusCode::kCorruption, "t.avro: truncated or corrupt Avro header");
  }
}

TEST(AvroContainer, RejectsBadHeaders) {
  {
    std::string f = BuildFile({{"avro.codec", "null"}}, {});
    ExpectError(ContainerReader::Open("h.avro", f).status(), StatusCode::kCorruption,
                "h.avro: Avro header has no 'avro.schema'");
  }
  {
    std::string f = BuildFile({{"avro.schema", R"({"type":"record","name":"r","fields":[
        {"name":"partition","type":"foo"}]})"}},
                              {});
    ExpectError(ContainerReader::Open("h.avro", f).status(), StatusCode::kInvalid,
                "h.avro: avro.schema: field 'partition': unknown type 'foo'");
  }
  {
    std::string f = BuildFile({{"avro.schema", "\"long\""}, {"avro.codec", "bzip2"}}, {});
    ExpectError(ContainerReader::Open("h.avro", f).status(), StatusCode::kNotSupported,
                "h.avro: unsupported Avro codec 'bzip2'");
  }
  {
    // Metadata in a sized block (negative count) is fine, as is an empty codec.
    Encoder entries;
    entries.WriteString("avro.schema");
    entries.WriteBytes("\"long\"");
    entries.WriteString("avro.codec");
    entries.WriteBytes("");
    Encoder e;
    e.WriteRaw(kContainerMagic);
    e.WriteSizedBlock(2, entries.buffer());
    e.WriteBlockEnd();
    e.WriteFixed(kSync);
    Result<ContainerReader> r = ContainerReader::Open("h.avro", e.buffer());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->codec(), Codec::kNull);
    EXPECT_EQ(r->schema().root().kind, NodeKind::kLong);
  }
  {
    // A metadata map claiming 2^40 entries.
    Encoder e;
    e.WriteRaw(kContainerMagic);
    e.WriteBlockCount(int64_t{1} << 40);
    ExpectError(ContainerReader::Open("h.avro", e.buffer()).status(), StatusCode::kCorruption,
                "h.avro: truncated or corrupt Avro header");
  }
}

TEST(AvroContainer, RejectsTruncatedBlocks) {
  ContainerWriterOptions o = Options(Codec::kDeflate);
  o.max_block_records = 4;
  std::string bytes = WriteFile(12, o);
  // Block boundaries: right after each sync marker.
  std::vector<size_t> boundaries;
  for (size_t p = bytes.find(kSync); p != std::string::npos; p = bytes.find(kSync, p + 1)) {
    boundaries.push_back(p + kSync.size());
  }
  ASSERT_EQ(boundaries.size(), 4u);  // header + 3 blocks
  for (size_t cut = boundaries[0] + 1; cut < bytes.size(); ++cut) {
    if (std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end()) continue;
    Result<ReadResult> r = ReadFile(bytes.substr(0, cut));
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
    EXPECT_EQ(r.status().message().rfind("test.avro: ", 0), 0u) << r.status().ToString();
  }
  // A specific cut in the middle of block 1's data.
  size_t cut = boundaries[1] + 10;
  Result<ReadResult> r = ReadFile(bytes.substr(0, cut));
  ExpectError(r.status(), StatusCode::kCorruption,
              "test.avro: block 1 at byte offset " + std::to_string(boundaries[1]) + ": declares");
  // Cut inside block 1's sync marker.
  size_t in_sync = boundaries[2] - 5;
  ExpectError(ReadFile(bytes.substr(0, in_sync)).status(), StatusCode::kCorruption,
              "test.avro: bad sync marker after block 1 at byte offset " +
                  std::to_string(boundaries[2] - 16));
}

TEST(AvroContainer, RejectsBadSyncMarker) {
  ContainerWriterOptions o = Options(Codec::kNull);
  o.max_block_records = 2;
  std::string bytes = WriteFile(4, o);
  size_t header_sync = bytes.find(kSync);
  size_t block0_sync = bytes.find(kSync, header_sync + 1);
  ASSERT_NE(block0_sync, std::string::npos);
  bytes[block0_sync + 7] ^= 0x01;
  Result<ContainerReader> reader = ContainerReader::Open("sync.avro", bytes);
  ASSERT_TRUE(reader.ok());
  Result<bool> more = reader->NextBlock();
  ASSERT_FALSE(more.ok());
  ExpectError(more.status(), StatusCode::kCorruption,
              "sync.avro: bad sync marker after block 0 at byte offset " +
                  std::to_string(block0_sync));
  // Sticky.
  Result<bool> again = reader->NextBlock();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), more.status().message());
}

TEST(AvroContainer, RejectsCorruptCompressedBlocks) {
  {
    std::string bytes = WriteFile(20, Options(Codec::kSnappy));
    size_t header_end = bytes.find(kSync) + kSync.size();
    bytes[header_end + 10] ^= 0x20;  // inside block 0's compressed bytes
    Result<ReadResult> r = ReadFile(bytes);
    ExpectError(r.status(), StatusCode::kCorruption, "test.avro: block 0 at byte offset ");
    EXPECT_NE(r.status().message().find("snappy"), std::string::npos) << r.status().ToString();
  }
  {
    // Replace deflate data with noise of the same length.
    std::string good = WriteFile(20, Options(Codec::kDeflate));
    size_t header_end = good.find(kSync) + kSync.size();
    size_t sync_after = good.find(kSync, header_end);
    std::string bytes = good;
    std::mt19937 rng(5);
    for (size_t i = header_end + 4; i < sync_after; ++i) bytes[i] = static_cast<char>(rng());
    Result<ReadResult> r = ReadFile(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
    EXPECT_NE(r.status().message().find("test.avro: block 0 at byte offset "), std::string::npos)
        << r.status().ToString();
  }
  {
    std::string bytes = BuildFile({{"avro.schema", "\"long\""}, {"avro.codec", "zstandard"}},
                                  {{1, "not zstd at all"}});
    ExpectError(ReadFile(bytes).status(), StatusCode::kCorruption, "zstandard: corrupt data");
  }
}

TEST(AvroContainer, RejectsBadValuesInBlocks) {
  const std::vector<std::pair<std::string, std::string>> header = {{"avro.schema", "\"string\""}};
  {
    // A string longer than the file.
    Encoder e;
    e.WriteLong(1000);
    e.WriteRaw("abc");
    std::string f = BuildFile(header, {{1, e.buffer()}});
    Result<ReadResult> r = ReadFile(f);
    ExpectError(r.status(), StatusCode::kCorruption,
                "bytes/string length 1000 exceeds the 3 bytes left at byte offset 2");
    EXPECT_NE(r.status().message().find("test.avro: block 0 at byte offset"), std::string::npos);
    Status walk = WalkAll(f);
    ExpectError(walk, StatusCode::kCorruption, "walk.avro: block 0 at byte offset");
  }
  {
    Encoder e;
    e.WriteLong(-5);
    e.WriteRaw("abcdef");
    ExpectError(WalkAll(BuildFile(header, {{1, e.buffer()}})), StatusCode::kCorruption,
                "negative bytes/string length -5");
  }
  {
    // Object count and byte size in the block header.
    Encoder e;
    e.WriteRaw(BuildFile(header, {}));
    e.WriteLong(-1);
    e.WriteLong(2);
    e.WriteRaw("\x02x");
    e.WriteFixed(kSync);
    ExpectError(WalkAll(e.buffer()), StatusCode::kCorruption,
                "block 0 at byte offset " + std::to_string(BuildFile(header, {}).size()) +
                    ": negative object count -1");
    Encoder huge;
    huge.WriteRaw(BuildFile(header, {}));
    huge.WriteLong(1);
    huge.WriteLong(int64_t{1} << 50);
    ExpectError(WalkAll(huge.buffer()), StatusCode::kCorruption,
                "declares 1125899906842624 bytes but only 0 remain");
    Encoder torn;
    torn.WriteRaw(BuildFile(header, {}));
    torn.WriteRaw("\x80");
    ExpectError(WalkAll(torn.buffer()), StatusCode::kCorruption,
                "truncated or corrupt block header");
  }
  {
    // More objects than bytes.
    ExpectError(WalkAll(BuildFile(header, {{1000, "\x02x\x02y"}})), StatusCode::kCorruption,
                "block 0 at byte offset " + std::to_string(BuildFile(header, {}).size()) +
                    ": declares 1000 objects in only 4 bytes");
    // Unless the objects take no bytes.
    EXPECT_TRUE(WalkAll(BuildFile({{"avro.schema", "\"null\""}}, {{1000000, ""}})).ok());
  }
  {
    // Bytes left over after the objects.
    ExpectError(WalkAll(BuildFile(header, {{1, "\x02x\x02y"}})), StatusCode::kCorruption,
                "2 bytes left over after its 1 objects");
  }
}

TEST(AvroContainer, SurvivesEveryByteFlip) {
  // A miniature fuzz run: flipping any byte yields OK or an error, never a
  // crash or a hang (ASan builds check the memory side).
  for (Codec codec : kAllCodecs) {
    ContainerWriterOptions o = Options(codec);
    o.max_block_records = 3;
    std::string good = WriteFile(7, o);
    ASSERT_TRUE(WalkAll(good).ok());
    for (size_t i = 0; i < good.size(); ++i) {
      for (uint8_t mask : {0x01, 0x80, 0xff}) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ mask);
        Status st = WalkAll(bad);
        if (!st.ok()) {
          EXPECT_TRUE(st.IsCorruption() || st.IsInvalid() || st.IsNotSupported())
              << st.ToString();
          EXPECT_EQ(st.message().rfind("walk.avro: ", 0), 0u) << st.ToString();
        }
        (void)ReadFile(bad);
      }
    }
    for (size_t cut = 0; cut < good.size(); ++cut) {
      // A cut at a block boundary is indistinguishable from a shorter file.
      Status st = WalkAll(std::string_view(good).substr(0, cut));
      if (!st.ok()) {
        EXPECT_EQ(st.message().rfind("walk.avro: ", 0), 0u) << st.ToString();
      }
    }
  }
}

TEST(AvroContainer, MovingTheReaderKeepsTheBlock) {
  std::string bytes = WriteFile(3, Options(Codec::kDeflate));
  Result<ContainerReader> r = ContainerReader::Open("m.avro", bytes);
  ASSERT_TRUE(r.ok());
  ContainerReader reader = std::move(r).value();
  ASSERT_TRUE(*reader.NextBlock());
  EXPECT_EQ(DecodeRec(reader.decoder()), MakeRec(0));
  ContainerReader moved = std::move(reader);
  EXPECT_EQ(DecodeRec(moved.decoder()), MakeRec(1));
  EXPECT_EQ(DecodeRec(moved.decoder()), MakeRec(2));
  EXPECT_TRUE(moved.FinishBlock().ok());
  EXPECT_FALSE(*moved.NextBlock());
}

}  // namespace
}  // namespace floe::avro
