#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "floe/puffin/deletion_vector.h"
#include "floe/puffin/puffin_file.h"
#include "support/test_util.h"

namespace floe::puffin {
namespace {

using ::testing::HasSubstr;

std::string Hex(std::string_view hex) {
  std::string out;
  std::string digits;
  for (char c : hex) {
    if (std::isxdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// Test vectors: byte-identical to Java's core/src/test/resources (spec notes §Puffin and DVs).
const std::string kEmptyDv = Hex("00 00 00 0C D1 D3 39 64 00 00 00 00 00 00 00 00 BF 18 48 0C");
const std::string kDv13579 = Hex(
    "00 00 00 2A D1 D3 39 64 01 00 00 00 00 00 00 00 00 00 00 00 "
    "3A 30 00 00 01 00 00 00 00 00 04 00 10 00 00 00 01 00 03 00 05 00 07 00 09 00 "
    "B3 FB 20 BE");

TEST(DeletionVector, EmptyMatchesJava) {
  DeletionVector dv;
  EXPECT_EQ(dv.Serialize(), kEmptyDv);
  auto back = DeletionVector::Deserialize(kEmptyDv, "t");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Cardinality(), 0);
}

TEST(DeletionVector, SmallSetMatchesJava) {
  DeletionVector dv;
  for (int64_t p : {9, 1, 5, 3, 7}) ASSERT_TRUE(dv.Add(p).ok());
  EXPECT_EQ(dv.Serialize(), kDv13579);
  auto back = DeletionVector::Deserialize(kDv13579, "t");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Positions(), (std::vector<int64_t>{1, 3, 5, 7, 9}));
  EXPECT_TRUE(back->Contains(7));
  EXPECT_FALSE(back->Contains(8));
}

TEST(DeletionVector, PositionsAbove32BitsAndRunsRoundTrip) {
  DeletionVector dv;
  std::vector<int64_t> want;
  for (int64_t p = 0; p < 100000; ++p) want.push_back(p);  // one long run
  want.push_back((int64_t{1} << 32) + 5);
  want.push_back((int64_t{7} << 40) + 123456);
  for (int64_t p : want) ASSERT_TRUE(dv.Add(p).ok());
  auto back = DeletionVector::Deserialize(dv.Serialize(), "t");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Positions(), want);
  EXPECT_LT(dv.Serialize().size(), 100u);  // the run is stored as a run
  EXPECT_TRUE(dv.Add(-1).IsInvalid());
}

TEST(DeletionVector, MergeIsTheUnion) {
  DeletionVector a, b;
  ASSERT_TRUE(a.Add(1).ok());
  ASSERT_TRUE(b.Add(2).ok());
  ASSERT_TRUE(b.Add(int64_t{3} << 32).ok());
  a.Merge(b);
  EXPECT_EQ(a.Positions(), (std::vector<int64_t>{1, 2, int64_t{3} << 32}));
}

TEST(DeletionVector, CorruptBlobsAreErrorsNamingTheFile) {
  std::string bad_crc = kDv13579;
  bad_crc.back() ^= 1;
  std::string bad_magic = kDv13579;
  bad_magic[4] = 0;
  std::string bad_len = kDv13579;
  bad_len[3] = 0x2B;
  std::string truncated = kDv13579.substr(0, 30);
  for (const std::string& blob : {bad_crc, bad_magic, bad_len, truncated, std::string("xy")}) {
    auto r = DeletionVector::Deserialize(blob, "s3://b/t/data/x.puffin@4");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr("s3://b/t/data/x.puffin@4"));
  }
}

TEST(Puffin, EmptyFileMatchesTheSpec) {
  Writer w;
  std::string file = w.Finish("");
  EXPECT_EQ(file, "PFA1PFA1{\"blobs\":[]}" + Hex("0C 00 00 00 00 00 00 00") + "PFA1");
  auto footer = ReadFooter(file, "empty.puffin");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  EXPECT_TRUE(footer->blobs.empty());
  EXPECT_EQ(footer->footer_size, 28);
}

TEST(Puffin, WritesAndReadsDeletionVectorBlobs) {
  Writer w;
  DeletionVector dv;
  ASSERT_TRUE(dv.Add(42).ok());
  BlobMetadata meta;
  meta.type = std::string(kDeletionVectorV1);
  meta.fields = {2147483645};
  meta.properties = {{"referenced-data-file", "s3://b/t/data/a.parquet"}, {"cardinality", "1"}};
  ASSERT_TRUE(w.Add(dv.Serialize(), meta).ok());
  std::string file = w.Finish("floe test");
  auto footer = ReadFooter(file, "f.puffin");
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  ASSERT_EQ(footer->blobs.size(), 1u);
  const BlobMetadata& b = footer->blobs[0];
  EXPECT_EQ(b.offset, 4);
  EXPECT_EQ(b.snapshot_id, -1);
  EXPECT_EQ(b.properties.at("referenced-data-file"), "s3://b/t/data/a.parquet");
  EXPECT_EQ(footer->properties.at("created-by"), "floe test");
  auto back = DeletionVector::Deserialize(
      std::string_view(file).substr(static_cast<size_t>(b.offset), static_cast<size_t>(b.length)),
      "f.puffin");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Positions(), std::vector<int64_t>{42});
}

TEST(Puffin, BadFilesAreErrors) {
  Writer w;
  std::string good = w.Finish("");
  std::string no_magic = "XXXX" + good.substr(4);
  std::string bad_size = good;
  bad_size[good.size() - 12] = 0x7f;
  std::string lz4 = good;
  lz4[good.size() - 8] = 1;
  EXPECT_TRUE(ReadFooter(no_magic, "f").status().IsCorruption());
  EXPECT_TRUE(ReadFooter(bad_size, "f").status().IsCorruption());
  EXPECT_TRUE(ReadFooter(lz4, "f").status().IsNotSupported());
  EXPECT_TRUE(ReadFooter("PFA1", "f").status().IsCorruption());
}

// Spark (Iceberg 1.10.1) wrote two DVs deleting one row each (SOURCE.md).
TEST(Puffin, ReadsSparksDeletionVectors) {
  auto dir = testing::PeerTablesDir() / "spark_v3_deletion_vectors";
  auto path = dir / "data" / "00000-9-08e88179-85b6-4635-8b34-94b49abc87d9-00001-deletes.puffin";
  std::string file = testing::ReadFileOrDie(path);
  auto footer = ReadFooter(file, path.string());
  ASSERT_TRUE(footer.ok()) << footer.status().ToString();
  ASSERT_EQ(footer->blobs.size(), 2u);
  const std::string prefix = "hdfs://localhost:20500/test-warehouse/iceberg_v3_deletion_vectors/data/";
  EXPECT_EQ(footer->blobs[0].offset, 4);
  EXPECT_EQ(footer->blobs[0].length, 42);
  EXPECT_EQ(footer->blobs[1].offset, 46);
  for (const BlobMetadata& b : footer->blobs) {
    EXPECT_EQ(b.type, kDeletionVectorV1);
    EXPECT_EQ(b.snapshot_id, -1);
    EXPECT_EQ(b.sequence_number, -1);
    EXPECT_THAT(b.properties.at("referenced-data-file"), HasSubstr(prefix));
    auto dv = DeletionVector::Deserialize(
        std::string_view(file).substr(static_cast<size_t>(b.offset),
                                      static_cast<size_t>(b.length)),
        path.string());
    ASSERT_TRUE(dv.ok()) << dv.status().ToString();
    EXPECT_EQ(std::to_string(dv->Cardinality()), b.properties.at("cardinality"));
    // Single-row data files: the deleted position is 0.
    EXPECT_EQ(dv->Positions(), std::vector<int64_t>{0});
    // Floe writes the same bytes for the same positions.
    EXPECT_EQ(dv->Serialize(), file.substr(static_cast<size_t>(b.offset),
                                           static_cast<size_t>(b.length)));
  }
}

}  // namespace
}  // namespace floe::puffin
