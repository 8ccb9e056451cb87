// Reads the files tests/data/avro/make_fixtures.py wrote with fastavro, one
// per codec, and checks every decoded value. The expected values repeat the
// script's RECORDS.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "floe/avro/container_reader.h"
#include "support/test_util.h"

namespace floe::avro {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const int64_t kIds[] = {0, -1, std::numeric_limits<int64_t>::max(),
                        std::numeric_limits<int64_t>::min(), 123456789012LL, -42, 7};
const std::string kNames[] = {"", "a", "h\xc3\xa9llo \xf0\x9f\x98\x80", std::string(200, 'x'),
                              "iceberg", "floe", "z"};
const double kScores[] = {0.0, -1.5, 1e300, -2.5e-300, 3.141592653589793, kInf, 42.0};
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
const float kRatios[] = {0.5f, -1.25f, 0.0f, 1024.0f, -0.0f, kNegInf, 3.0f};
const int32_t kSmalls[] = {0, -1, std::numeric_limits<int32_t>::max(),
                           std::numeric_limits<int32_t>::min(), 64, -65, 300};
constexpr int kRecords = 7;

std::string FixturePath(std::string_view codec) {
  return std::string(FLOE_AVRO_TEST_DATA_DIR) + "/fixture_" + std::string(codec) + ".avro";
}

const Field& FieldNamed(const Node& record, std::string_view name) {
  for (const Field& f : record.fields) {
    if (f.name == name) return f;
  }
  ADD_FAILURE() << "no field " << name;
  static Field none;
  return none;
}

void CheckSchema(const Schema& schema) {
  const Node& root = schema.root();
  ASSERT_EQ(root.kind, NodeKind::kRecord);
  EXPECT_EQ(root.FullName(), "floe.test.fixture_record");
  ASSERT_EQ(root.fields.size(), 16u);
  for (size_t i = 0; i < 9; ++i) EXPECT_EQ(root.fields[i].field_id, static_cast<int>(i + 1));
  EXPECT_EQ(FieldNamed(root, "digest").type->fixed_size, 4);
  EXPECT_EQ(FieldNamed(root, "digest").type->FullName(), "floe.test.fixed_4");
  const Node& ts = *FieldNamed(root, "ts").type;
  EXPECT_EQ(ts.logical_type, "timestamp-micros");
  EXPECT_EQ(ts.adjust_to_utc, true);
  EXPECT_EQ(FieldNamed(root, "opt").default_json, "null");
  const Node& tags = *FieldNamed(root, "tags").type;
  EXPECT_EQ(FieldNamed(root, "tags").field_id, 12);
  EXPECT_EQ(tags.element_id, 11);
  const Node& counts = *FieldNamed(root, "counts").type;
  EXPECT_EQ(counts.key_id, 13);
  EXPECT_EQ(counts.value_id, 14);
  const Node* r16 = NonNullBranch(*FieldNamed(root, "nested").type);
  ASSERT_NE(r16, nullptr);
  EXPECT_EQ(r16->FullName(), "floe.test.r16");
  EXPECT_EQ(r16->fields[0].field_id, 17);
  EXPECT_EQ(r16->fields[1].field_id, 18);
  const Node& nested_list = *FieldNamed(root, "nested_list").type;
  EXPECT_EQ(nested_list.items, r16);  // referenced by name
  EXPECT_EQ(nested_list.element_id, 19);
  EXPECT_EQ(FieldNamed(root, "kind").type->symbols, (std::vector<std::string>{"A", "B", "C"}));
  const Node& int_map = *FieldNamed(root, "int_map").type;
  EXPECT_EQ(int_map.logical_type, "map");
  EXPECT_EQ(int_map.items->FullName(), "floe.test.k22_v23");
  EXPECT_EQ(int_map.items->fields[0].field_id, 22);
  EXPECT_EQ(int_map.items->fields[1].field_id, 23);
}

// Decodes record i by walking the writer schema's field order, as typed
// manifest decoders will, and checks each value.
void CheckRecord(Decoder& d, int i) {
  SCOPED_TRACE("record " + std::to_string(i));
  EXPECT_EQ(d.ReadLong(), kIds[i]);
  EXPECT_EQ(d.ReadString(), kNames[i]);
  EXPECT_EQ(d.ReadBool(), i % 2 == 0);
  double score = d.ReadDouble();
  EXPECT_EQ(score, kScores[i]);
  float ratio = d.ReadFloat();
  EXPECT_EQ(ratio, kRatios[i]);
  EXPECT_EQ(std::signbit(ratio), std::signbit(kRatios[i]));
  EXPECT_EQ(d.ReadInt(), kSmalls[i]);
  std::string payload;
  for (int j = 0; j < i * 3; ++j) payload.push_back(static_cast<char>(j));
  EXPECT_EQ(d.ReadBytes(), payload);
  std::string digest = {static_cast<char>(i), static_cast<char>(i + 1), '\0', '\xff'};
  EXPECT_EQ(d.ReadFixed(4), digest);
  EXPECT_EQ(d.ReadLong(), 1510871468000000LL + i);
  // opt: ["null", "long"]
  if (i % 3 == 0) {
    EXPECT_EQ(d.ReadUnionIndex(2), 0u);
  } else {
    EXPECT_EQ(d.ReadUnionIndex(2), 1u);
    EXPECT_EQ(d.ReadLong(), i * 100);
  }
  // tags: array<string>
  std::vector<std::string> tags;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t k = 0; k < n && d.ok(); ++k) tags.emplace_back(d.ReadString());
  }
  std::vector<std::string> want_tags;
  for (int j = 0; j < i; ++j) want_tags.push_back("t" + std::to_string(j));
  EXPECT_EQ(tags, want_tags);
  // counts: map<long>
  std::map<std::string, int64_t> counts;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t k = 0; k < n && d.ok(); ++k) {
      std::string key(d.ReadString());
      counts[key] = d.ReadLong();
    }
  }
  std::map<std::string, int64_t> want_counts;
  for (int j = 0; j < i % 4; ++j) want_counts["k" + std::to_string(j)] = j * j - i;
  EXPECT_EQ(counts, want_counts);
  // nested: ["null", r16{a: int, b: ["null", string]}]
  if (i % 2) {
    EXPECT_EQ(d.ReadUnionIndex(2), 0u);
  } else {
    EXPECT_EQ(d.ReadUnionIndex(2), 1u);
    EXPECT_EQ(d.ReadInt(), i);
    if (i == 0) {
      EXPECT_EQ(d.ReadUnionIndex(2), 0u);
    } else {
      EXPECT_EQ(d.ReadUnionIndex(2), 1u);
      EXPECT_EQ(d.ReadString(), "b" + std::to_string(i));
    }
  }
  // nested_list: array<r16>
  int j = 0;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t k = 0; k < n && d.ok(); ++k, ++j) {
      EXPECT_EQ(d.ReadInt(), j);
      EXPECT_EQ(d.ReadUnionIndex(2), 1u);
      EXPECT_EQ(d.ReadString(), "n" + std::to_string(j));
    }
  }
  EXPECT_EQ(j, i % 3);
  // kind: enum
  EXPECT_EQ(d.ReadEnum(3), static_cast<size_t>(i % 3));
  // int_map: array<k22_v23{key: int, value: ["null", bytes]}>
  j = 0;
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t k = 0; k < n && d.ok(); ++k, ++j) {
      EXPECT_EQ(d.ReadInt(), j);
      if (j % 2) {
        EXPECT_EQ(d.ReadUnionIndex(2), 0u);
      } else {
        EXPECT_EQ(d.ReadUnionIndex(2), 1u);
        EXPECT_EQ(d.ReadBytes(), std::string(1, static_cast<char>(j)));
      }
    }
  }
  EXPECT_EQ(j, i % 3);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
}

class FastavroFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(FastavroFixture, DecodesEveryValue) {
  std::string codec = GetParam();
  std::string path = FixturePath(codec);
  std::string bytes = testing::ReadFileOrDie(path);
  ASSERT_FALSE(bytes.empty()) << path;
  Result<ContainerReader> opened = ContainerReader::Open(path, bytes);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ContainerReader& reader = *opened;
  EXPECT_EQ(CodecName(reader.codec()), codec);
  EXPECT_EQ(reader.GetMetadata("floe.fixture"), codec);
  EXPECT_EQ(reader.GetMetadata("format-version"), "2");
  std::string sync;
  for (char c = 0x10; c < 0x20; ++c) sync.push_back(c);
  EXPECT_EQ(reader.sync_marker(), sync);
  CheckSchema(reader.schema());

  int i = 0;
  int blocks = 0;
  while (true) {
    Result<bool> more = reader.NextBlock();
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ++blocks;
    for (int64_t k = 0; k < reader.block_count(); ++k, ++i) {
      ASSERT_LT(i, kRecords);
      CheckRecord(reader.decoder(), i);
    }
    Status st = reader.FinishBlock();
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  EXPECT_EQ(i, kRecords);
  EXPECT_GE(blocks, 2);  // sync_interval=300 cuts the 7 records

  // The generic walk agrees.
  Result<ContainerReader> again = ContainerReader::Open(path, bytes);
  ASSERT_TRUE(again.ok());
  int64_t objects = 0;
  while (*again->NextBlock()) {
    for (int64_t k = 0; k < again->block_count(); ++k) {
      again->decoder().Skip(again->schema().root());
    }
    EXPECT_TRUE(again->FinishBlock().ok());
    objects += again->block_count();
  }
  EXPECT_EQ(objects, kRecords);

  // The writer schema survives our own serialization.
  Result<Schema> reparsed = Schema::Parse(reader.schema().ToJson());
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  EXPECT_TRUE(SchemaEquals(reparsed->root(), reader.schema().root()));
}

INSTANTIATE_TEST_SUITE_P(AvroInterop, FastavroFixture,
                         ::testing::Values("null", "deflate", "snappy", "zstandard"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

// Manifests and manifest lists written by Spark, Trino, Flink and PyIceberg
// (../shared/testdata/peer-tables): every object decodes, the ids are
// there, and our serialization of the writer schema reproduces what the
// Java-based writers stored, byte for byte.
TEST(AvroInterop, PeerTableManifests) {
  std::filesystem::path dir = testing::PeerTablesDir();
  int files = 0;
  int64_t total_objects = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".avro") continue;
    std::string path = entry.path().string();
    SCOPED_TRACE(path);
    ++files;
    std::string bytes = testing::ReadFileOrDie(entry.path());
    Result<ContainerReader> reader = ContainerReader::Open(path, bytes);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const Node& root = reader->schema().root();
    if (root.name == "manifest_entry") {
      const Field& data_file = FieldNamed(root, "data_file");
      EXPECT_EQ(data_file.field_id, 2);
      EXPECT_EQ(FieldNamed(*data_file.type, "file_path").field_id, 100);
      EXPECT_EQ(FieldNamed(*data_file.type, "partition").field_id, 102);
    } else {
      EXPECT_EQ(root.name, "manifest_file");
      EXPECT_EQ(FieldNamed(root, "manifest_path").field_id, 500);
    }
    int64_t objects = 0;
    while (true) {
      Result<bool> more = reader->NextBlock();
      ASSERT_TRUE(more.ok()) << more.status().ToString();
      if (!*more) break;
      for (int64_t k = 0; k < reader->block_count(); ++k) reader->decoder().Skip(root);
      Status st = reader->FinishBlock();
      ASSERT_TRUE(st.ok()) << st.ToString();
      objects += reader->block_count();
    }
    total_objects += objects;  // an empty snapshot's manifest list has none
    std::string json = reader->schema().ToJson();
    Result<Schema> reparsed = Schema::Parse(json);
    ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
    EXPECT_TRUE(SchemaEquals(reparsed->root(), root));
    // PyIceberg pretty-prints with another key order; the others write
    // Java's compact form, which is also ours.
    if (path.find("pyiceberg") == std::string::npos) {
      EXPECT_EQ(json, reader->GetMetadata("avro.schema"));
    }
  }
  EXPECT_GE(files, 20);
  EXPECT_GT(total_objects, files);
}

}  // namespace
}  // namespace floe::avro
