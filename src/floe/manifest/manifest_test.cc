#include <gtest/gtest.h>

#include <cmath>

#include "floe/manifest/avro_schemas.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/manifest/manifest_writer.h"

namespace floe::manifest {
namespace {

using spec::Literal;
using spec::NestedField;
using spec::PartitionField;
using spec::Transform;
using spec::Type;

spec::Schema TableSchema() {
  return spec::Schema(
      0, {NestedField{1, "id", true, Type::Long()}, NestedField{2, "ts", false, Type::TimestampTz()},
          NestedField{3, "name", false, Type::String()},
          NestedField{4, "amount", false, Type::Decimal(12, 2)},
          NestedField{5, "key", false, Type::Uuid()}, NestedField{6, "d", false, Type::Date()},
          NestedField{7, "score", false, Type::Double()}, NestedField{8, "flag", false, Type::Boolean()},
          NestedField{9, "raw", false, Type::Binary()}, NestedField{10, "fx", false, Type::Fixed(3)},
          NestedField{11, "key2", false, Type::Uuid()}});
}

spec::PartitionSpec AllTransformsSpec() {
  return spec::PartitionSpec(
      3, {PartitionField{2, {}, 1000, "ts_day", Transform::Day()},
          PartitionField{3, {}, 1001, "name_bucket", Transform::Bucket(16)},
          PartitionField{4, {}, 1002, "amount", Transform::Identity()},
          PartitionField{5, {}, 1003, "key", Transform::Identity()},
          PartitionField{6, {}, 1004, "d_month", Transform::Month()},
          PartitionField{7, {}, 1005, "score", Transform::Identity()},
          PartitionField{8, {}, 1006, "flag", Transform::Identity()},
          PartitionField{9, {}, 1007, "raw_trunc", Transform::Truncate(4)},
          PartitionField{10, {}, 1008, "fx", Transform::Identity()},
          PartitionField{11, {}, 1009, "key2", Transform::Identity()},
          PartitionField{2, {}, 1010, "ts_hour", Transform::Hour()},
          PartitionField{1, {}, 1011, "id", Transform::Identity()},
          PartitionField{3, {}, 1012, "name", Transform::Identity()}});
}

std::vector<Literal> SamplePartition(int i) {
  return {Literal::Int(17486 + i),
          Literal::Int(i % 16),
          Literal::Decimal(1420 - i * 1000),
          Literal::Binary(std::string(16, static_cast<char>(i))),
          i == 1 ? Literal() : Literal::Int(574),
          i == 2 ? Literal::Double(std::nan("")) : Literal::Double(-0.5 * i),
          Literal::Boolean(i % 2 == 0),
          Literal::Binary(std::string("ab\0c", 4)),
          Literal::Binary("xyz"),
          Literal::Binary(std::string(16, 'k')),
          Literal::Int(419686 + i),
          Literal::Long(int64_t{1} << 40),
          Literal::String("caf\xc3\xa9 " + std::to_string(i))};
}

ManifestEntry SampleEntry(int i, EntryStatus status) {
  ManifestEntry e;
  e.status = status;
  if (status != EntryStatus::kAdded) {
    e.snapshot_id = 77;
    e.sequence_number = 5 + i;
    e.file_sequence_number = 6 + i;
  }
  DataFile& f = e.data_file;
  f.file_path = "s3://bucket/wh/db/t/data/f" + std::to_string(i) + ".parquet";
  f.partition = SamplePartition(i);
  f.record_count = 100 + i;
  f.file_size_in_bytes = 4096 + i;
  f.column_sizes = {{{1, 10}, {2, 20}}};
  f.value_counts = {{{1, 100}}};
  f.null_value_counts = {{{2, 0}}};
  f.nan_value_counts = {{{7, 1}}};
  f.lower_bounds = {{{1, std::string("\x01\0\0\0\0\0\0\0", 8)}}};
  f.upper_bounds = {{{1, std::string("\x09\0\0\0\0\0\0\0", 8)}}};
  f.split_offsets = {{4, 1024}};
  f.sort_order_id = 0;
  return e;
}

struct Case {
  int version;
  avro::Codec codec;
};

class ManifestRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(ManifestRoundTrip, WriteReadListAndInherit) {
  const auto [v, codec] = GetParam();
  ManifestWriteOptions o;
  o.format_version = v;
  o.spec = AllTransformsSpec();
  o.schema = TableSchema();
  o.snapshot_id = 99;
  o.codec = codec;
  auto writer = ManifestWriter::Make(o);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  std::vector<ManifestEntry> written;
  for (int i = 0; i < 3; ++i) {
    ManifestEntry e = SampleEntry(i, i == 0 ? EntryStatus::kAdded
                                            : (i == 1 ? EntryStatus::kExisting : EntryStatus::kDeleted));
    if (v == 1) e.sequence_number.reset(), e.file_sequence_number.reset();
    ASSERT_TRUE(writer->Add(e).ok()) << writer->Add(e).ToString();
    written.push_back(e);
  }
  auto done = writer->Finish("s3://bucket/wh/db/t/metadata/m0.avro");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  const ManifestFile& mf = done->manifest_file;
  EXPECT_EQ(mf.added_files_count, 1);
  EXPECT_EQ(mf.existing_files_count, 1);
  EXPECT_EQ(mf.deleted_files_count, 1);
  EXPECT_EQ(mf.added_rows_count, 100);
  EXPECT_EQ(mf.existing_rows_count, 101);
  ASSERT_TRUE(mf.partitions.has_value());
  ASSERT_EQ(mf.partitions->size(), 13u);
  EXPECT_TRUE((*mf.partitions)[4].contains_null);   // month was null in entry 1
  EXPECT_EQ((*mf.partitions)[5].contains_nan, true);  // score NaN in entry 2
  EXPECT_EQ((*mf.partitions)[0].lower_bound, std::string("\x4e\x44\0\0", 4));  // 17486

  // Read the bytes back without the manifest list: values as stored.
  auto m = ReadManifest("m0.avro", done->bytes);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->format_version, v);
  EXPECT_EQ(m->spec, o.spec);
  ASSERT_TRUE(m->schema.has_value());
  EXPECT_TRUE(m->schema->SameStructure(o.schema));
  ASSERT_EQ(m->entries.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    ManifestEntry expect = written[i];
    expect.data_file.spec_id = 3;  // readers stamp the manifest's spec id
    if (v == 1) {
      expect.snapshot_id = expect.snapshot_id.value_or(99);
      expect.data_file.block_size_in_bytes = 67108864;
    }
    const ManifestEntry& got = m->entries[i];
    // NaN != NaN, so compare partitions by representation (Literal ==).
    EXPECT_EQ(got, expect) << "entry " << i;
  }

  // Through a manifest list: ADDED entries inherit the commit's numbers.
  ManifestListWriteOptions lo;
  lo.format_version = v;
  lo.snapshot_id = 99;
  lo.parent_snapshot_id = 98;
  lo.sequence_number = 12;
  lo.first_row_id = 1000;
  lo.codec = codec;
  auto list = WriteManifestList({mf}, lo);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  auto read_list = ReadManifestList("snap.avro", list->bytes);
  ASSERT_TRUE(read_list.ok()) << read_list.status().ToString();
  ASSERT_EQ(read_list->manifests.size(), 1u);
  const ManifestFile& back = read_list->manifests[0];
  EXPECT_EQ(back, list->manifests[0]);
  if (v >= 2) {
    EXPECT_EQ(back.sequence_number, 12);
    EXPECT_EQ(back.min_sequence_number, 6);  // the EXISTING entry's explicit 5+1
  }
  if (v >= 3) {
    EXPECT_EQ(back.first_row_id, 1000);
    EXPECT_EQ(list->assigned_rows, 100 + 101);
  } else {
    EXPECT_FALSE(back.first_row_id.has_value());
  }
  auto inherited = ReadManifest("m0.avro", done->bytes, {nullptr, nullptr, &back});
  ASSERT_TRUE(inherited.ok());
  const ManifestEntry& added = inherited->entries[0];
  EXPECT_EQ(added.snapshot_id, 99);
  EXPECT_EQ(added.sequence_number, v >= 2 ? 12 : 0);
  EXPECT_EQ(added.file_sequence_number, v >= 2 ? 12 : 0);
  if (v >= 2) {
    EXPECT_EQ(inherited->entries[1].sequence_number, 6);  // explicit, kept
  }
  if (v >= 3) {
    EXPECT_EQ(inherited->entries[0].data_file.first_row_id, 1000);
    EXPECT_EQ(inherited->entries[1].data_file.first_row_id, 1100);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllVersionsAndCodecs, ManifestRoundTrip,
    ::testing::Values(Case{1, avro::Codec::kDeflate}, Case{2, avro::Codec::kNull},
                      Case{2, avro::Codec::kDeflate}, Case{2, avro::Codec::kSnappy},
                      Case{2, avro::Codec::kZstandard}, Case{3, avro::Codec::kDeflate},
                      Case{3, avro::Codec::kZstandard}),
    [](const auto& info) {
      return "v" + std::to_string(info.param.version) + "_" +
             std::string(avro::CodecName(info.param.codec));
    });

TEST(ManifestWriter, RejectsEntriesThatDoNotFit) {
  ManifestWriteOptions o;
  o.spec = AllTransformsSpec();
  o.schema = TableSchema();
  auto w = ManifestWriter::Make(o);
  ASSERT_TRUE(w.ok());
  ManifestEntry e = SampleEntry(0, EntryStatus::kAdded);
  e.data_file.partition.pop_back();
  EXPECT_NE(w->Add(e).message().find("has 12 values"), std::string::npos);
  e = SampleEntry(0, EntryStatus::kAdded);
  e.data_file.partition[0] = Literal::String("x");
  EXPECT_NE(w->Add(e).message().find("'ts_day') does not match type date"), std::string::npos);
  e = SampleEntry(0, EntryStatus::kExisting);
  e.sequence_number.reset();
  EXPECT_NE(w->Add(e).message().find("must carry"), std::string::npos);
  e = SampleEntry(0, EntryStatus::kAdded);
  e.data_file.content = FileContent::kPositionDeletes;
  EXPECT_NE(w->Add(e).message().find("delete file cannot go into a data manifest"),
            std::string::npos);
  e = SampleEntry(0, EntryStatus::kAdded);
  e.data_file.partition[2] = Literal::Decimal(static_cast<spec::Int128>(1) << 60);
  EXPECT_NE(w->Add(e).message().find("does not match type decimal(12,2)"), std::string::npos);
}

TEST(AvroSchemas, SanitizesNamesLikeJava) {
  EXPECT_EQ(SanitizeAvroName("event_date"), "event_date");
  EXPECT_EQ(SanitizeAvroName("1st"), "_1st");
  EXPECT_EQ(SanitizeAvroName("my col"), "my_x20col");
  EXPECT_EQ(SanitizeAvroName("caf\xc3\xa9"), "caf_xE9");
  EXPECT_EQ(SanitizeAvroName("a.b"), "a_x2Eb");
  EXPECT_EQ(SanitizeAvroName("\xf0\x9f\x98\x80"), "_xD83D_xDE00");
}

TEST(ManifestReader, BadInputIsAnError) {
  ManifestWriteOptions o;
  o.spec = AllTransformsSpec();
  o.schema = TableSchema();
  auto w = ManifestWriter::Make(o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Add(SampleEntry(0, EntryStatus::kAdded)).ok());
  auto done = w->Finish("m.avro");
  ASSERT_TRUE(done.ok());
  const std::string good = done->bytes;
  // Every truncation is an error (never a crash), and names the file.
  for (size_t n = 0; n < good.size(); n += 7) {
    auto m = ReadManifest("m.avro", std::string_view(good).substr(0, n));
    ASSERT_FALSE(m.ok()) << "truncated at " << n;
    EXPECT_EQ(m.status().message().rfind("m.avro", 0), 0u) << m.status().ToString();
  }
  // A manifest list is not a manifest.
  auto list = WriteManifestList({done->manifest_file}, {});
  ASSERT_TRUE(list.ok());
  auto wrong = ReadManifest("snap.avro", list->bytes);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("required field 'status'"), std::string::npos)
      << wrong.status().ToString();
  auto wrong2 = ReadManifestList("m.avro", good);
  ASSERT_FALSE(wrong2.ok());
  EXPECT_NE(wrong2.status().message().find("manifest_path"), std::string::npos);
  auto not_avro = ReadManifest("x.json", "{\"format-version\": 2}");
  ASSERT_FALSE(not_avro.ok());
  EXPECT_NE(not_avro.status().message().find("x.json"), std::string::npos);
}

}  // namespace
}  // namespace floe::manifest
