#include "floe/io/file_io.h"

#include <arrow/result.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "floe/io/location.h"
#include "floe/io/memory_file_io.h"
#include "support/test_util.h"

namespace floe::io {
namespace {

TEST(LocalFileIO, WriteNewFileIsExclusiveAndAtomic) {
  testing::TempDir dir;
  auto io = MakeLocalFileIO();
  std::string loc = "file://" + dir.Join("metadata/00001-x.metadata.json");
  ASSERT_TRUE(io->WriteNewFile(loc, "{\"a\":1}").ok());
  EXPECT_EQ(*io->ReadFile(loc), "{\"a\":1}");
  Status again = io->WriteNewFile(loc, "{\"b\":2}");
  EXPECT_TRUE(again.IsAlreadyExists()) << again.ToString();
  EXPECT_EQ(*io->ReadFile(loc), "{\"a\":1}");  // never overwritten
  // No temporary files are left behind.
  auto files = io->List("file://" + dir.Join("metadata"));
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);
}

TEST(LocalFileIO, ConcurrentCreatorsExactlyOneWins) {
  testing::TempDir dir;
  auto io = MakeLocalFileIO();
  std::string loc = dir.Join("race.json");
  std::atomic<int> wins{0}, exists{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      Status st = io->WriteNewFile(loc, std::string(1000, static_cast<char>('a' + i)));
      if (st.ok()) ++wins;
      if (st.IsAlreadyExists()) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(exists.load(), 15);
  std::string content = *io->ReadFile(loc);
  EXPECT_EQ(content.size(), 1000u);
  EXPECT_EQ(content.find_first_not_of(content[0]), std::string::npos);  // one writer's bytes
}

TEST(LocalFileIO, ReadListDeleteAndErrors) {
  testing::TempDir dir;
  auto io = MakeLocalFileIO();
  auto missing = io->ReadFile(dir.Join("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find(dir.Join("nope")), std::string::npos);
  EXPECT_TRUE(io->OpenInput(dir.Join("nope")).status().IsNotFound());
  auto out = io->OpenOutput(dir.Join("data/a/b/f.bin"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE((*out)->Write("hello", 5).ok());
  ASSERT_TRUE((*out)->Close().ok());
  auto in = io->OpenInput("file://" + dir.Join("data/a/b/f.bin"));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(*(*in)->GetSize(), 5);
  auto listed = io->List(dir.Join("data"));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].location, dir.Join("data/a/b/f.bin"));
  EXPECT_EQ((*listed)[0].size, 5);
  EXPECT_TRUE(*io->Exists(dir.Join("data/a/b/f.bin")));
  EXPECT_TRUE(io->Delete(dir.Join("data/a/b/f.bin")).ok());
  EXPECT_TRUE(io->Delete(dir.Join("data/a/b/f.bin")).ok());  // missing is fine
  EXPECT_FALSE(*io->Exists(dir.Join("data/a/b/f.bin")));
  EXPECT_TRUE(io->List(dir.Join("absent"))->empty());
}

TEST(MemoryFileIO, BehavesLikeTheLocalOne) {
  auto io = MakeMemoryFileIO();
  EXPECT_TRUE(io->ReadFile("mem://t/a").status().IsNotFound());
  ASSERT_TRUE(io->WriteNewFile("mem://t/a", "abc").ok());
  EXPECT_TRUE(io->WriteNewFile("mem://t/a", "xyz").IsAlreadyExists());
  EXPECT_EQ(*io->ReadFile("mem://t/a"), "abc");
  auto out = io->OpenOutput("mem://t/data/b");
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE((*out)->Write("hello", 5).ok());
  EXPECT_FALSE(*io->Exists("mem://t/data/b"));  // appears when closed, as a completed upload
  ASSERT_TRUE((*out)->Close().ok());
  auto in = io->OpenInput("mem://t/data/b");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(*(*in)->GetSize(), 5);
  auto listed = io->List("mem://t");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].location, "mem://t/data/b");
  EXPECT_TRUE(io->List("mem://t/dat")->empty());  // folders, not string prefixes
  EXPECT_TRUE(io->Delete("mem://t/a").ok());
  EXPECT_TRUE(io->Delete("mem://t/a").ok());
  EXPECT_FALSE(*io->Exists("mem://t/a"));
}

TEST(Locations, OneKeyPerObject) {
  EXPECT_EQ(CanonicalLocation("s3a://b//t/f"), "s3://b/t/f");
  EXPECT_EQ(CanonicalLocation("/tmp/x"), "file:///tmp/x");
  EXPECT_EQ(CanonicalLocation("file:/tmp/x"), "file:///tmp/x");
  EXPECT_EQ(CanonicalLocation("file:///tmp//x"), "file:///tmp/x");
  EXPECT_NE(CanonicalLocation("s3://a/x"), CanonicalLocation("s3://b/x"));
  auto io = MakePathMappingFileIO(MakeLocalFileIO(), {{"hdfs://nn/wh/", "/data/"}, {"s3://old/", "file:///data/"}});
  EXPECT_EQ(io->LocationKey("hdfs://nn/wh/t/f"), io->LocationKey("s3://old/t/f"));
  EXPECT_EQ(io->LocationKey("hdfs://nn/wh/t/f"), "file:///data/t/f");
  EXPECT_EQ(MakeLocalFileIO()->LocationKey("file:/data/t/f"), "file:///data/t/f");
}

TEST(Locations, ParseSpellingsOfOneFile) {
  auto p = ParseLocation("s3a://bucket/wh//t/data/f.parquet");
  EXPECT_EQ(p.scheme, "s3a");
  EXPECT_EQ(p.authority, "bucket");
  EXPECT_EQ(p.path, "/wh/t/data/f.parquet");
  EXPECT_EQ(CanonicalScheme(p.scheme), "s3");
  EXPECT_EQ(CanonicalScheme("s3n"), "s3");
  EXPECT_EQ(CanonicalScheme("hdfs"), "hdfs");
  EXPECT_EQ(CanonicalScheme("wasb", {{"wasb", "abfs"}}), "abfs");
  auto h = ParseLocation("HDFS://nn:8020/warehouse/t");
  EXPECT_EQ(h.scheme, "hdfs");
  EXPECT_EQ(h.authority, "nn:8020");
  EXPECT_EQ(h.path, "/warehouse/t");
  for (const char* local : {"/tmp/t/x", "file:/tmp/t/x", "file:///tmp/t/x"}) {
    auto l = ParseLocation(local);
    EXPECT_EQ(l.scheme, "file") << local;
    EXPECT_EQ(l.authority, "") << local;
    EXPECT_EQ(l.path, "/tmp/t/x") << local;
  }
  EXPECT_EQ(ParseLocation("relative/dir:x").scheme, "file");  // ':' after a '/' is no scheme
  EXPECT_EQ(ParseLocation("s3://bucket").path, "");
}

TEST(PathMappingFileIO, RewritesPrefixes) {
  testing::TempDir dir;
  auto base = MakeLocalFileIO();
  ASSERT_TRUE(base->WriteNewFile(dir.Join("t/metadata/v1.json"), "x").ok());
  auto io = MakePathMappingFileIO(base, {{"s3a://warehouse/t", dir.Join("t")}});
  EXPECT_EQ(*io->ReadFile("s3a://warehouse/t/metadata/v1.json"), "x");
  auto listed = io->List("s3a://warehouse/t/metadata");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].location, "s3a://warehouse/t/metadata/v1.json");
}

TEST(Locations, JoinAndLocalPath) {
  EXPECT_EQ(JoinLocation("s3://b/wh/", "/db/t"), "s3://b/wh/db/t");
  EXPECT_EQ(LocalPath("file:///tmp/x"), "/tmp/x");
  EXPECT_EQ(LocalPath("file:/tmp/x"), "/tmp/x");
  EXPECT_EQ(LocalPath("/tmp/x"), "/tmp/x");
  EXPECT_TRUE(IsRemote("s3://b/k"));
  EXPECT_FALSE(IsRemote("file:///x"));
  EXPECT_FALSE(IsRemote("/x"));
}

}  // namespace
}  // namespace floe::io
