// S3FileIO against a real SeaweedFS (support/seaweedfs_server.h).
#include "floe/io/s3_file_io.h"

#include <arrow/buffer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/seaweedfs_server.h"
#include "support/status_assertions.h"

namespace floe::io {
namespace {

using ::testing::HasSubstr;

// S3 is shut down after the last test, as programs do at the end of main().
class S3Shutdown : public ::testing::Environment {
 public:
  void TearDown() override { ShutdownS3(); }
};
[[maybe_unused]] ::testing::Environment* const g_s3_shutdown =
    ::testing::AddGlobalTestEnvironment(new S3Shutdown);


class S3FileIOTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::SharedSeaweed();
    if (server_ == nullptr) GTEST_SKIP() << "SeaweedFS is not available";
    FLOE_ASSERT_OK(server_->CreateBucket("floe-io-test"));
    auto made = MakeS3FileIO(Config());
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    io_ = *made;
    prefix_ = "s3://floe-io-test/" +
              std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "/";
  }

  S3Config Config() const {
    S3Config c;
    c.endpoint = server_->endpoint();
    c.access_key_id = testing::kSeaweedAccessKey;
    c.secret_access_key = testing::kSeaweedSecretKey;
    c.max_attempts = 2;
    return c;
  }

  testing::SeaweedServer* server_ = nullptr;
  std::shared_ptr<FileIO> io_;
  std::string prefix_;
};

TEST_F(S3FileIOTest, WriteNewFileIsExclusive) {
  std::string loc = prefix_ + "metadata/00001-a.metadata.json";
  FLOE_ASSERT_OK(io_->WriteNewFile(loc, R"({"a":1})"));
  EXPECT_EQ(*io_->ReadFile(loc), R"({"a":1})");
  Status again = io_->WriteNewFile(loc, R"({"b":2})");
  EXPECT_TRUE(again.IsAlreadyExists()) << again.ToString();
  EXPECT_THAT(again.message(), HasSubstr(loc));
  EXPECT_EQ(*io_->ReadFile(loc), R"({"a":1})");  // never overwritten
}

TEST_F(S3FileIOTest, ConcurrentCreatorsExactlyOneWins) {
  std::string loc = prefix_ + "race.json";
  std::atomic<int> wins{0}, exists{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Status st = io_->WriteNewFile(loc, std::string(1000, static_cast<char>('a' + i)));
      if (st.ok()) ++wins;
      if (st.IsAlreadyExists()) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(exists.load(), 7);
}

TEST_F(S3FileIOTest, LargeStreamedFileRoundTripsWithRangedReads) {
  // Larger than one multipart part (Arrow uploads 10 MiB parts).
  std::string data(23 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::string loc = prefix_ + "data/event_date=2024-01-02/a b+c.parquet";
  auto out = io_->OpenOutput(loc);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  for (size_t off = 0; off < data.size(); off += 3 * 1024 * 1024) {
    size_t n = std::min<size_t>(3 * 1024 * 1024, data.size() - off);
    ASSERT_TRUE((*out)->Write(data.data() + off, static_cast<int64_t>(n)).ok());
  }
  ASSERT_TRUE((*out)->Close().ok());
  auto in = io_->OpenInput(loc);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(*(*in)->GetSize(), static_cast<int64_t>(data.size()));
  for (int64_t off : {int64_t{0}, int64_t{5} << 20, static_cast<int64_t>(data.size()) - 100}) {
    auto buf = (*in)->ReadAt(off, 100);
    ASSERT_TRUE(buf.ok());
    EXPECT_EQ((*buf)->ToString(), data.substr(static_cast<size_t>(off), 100));
  }
  EXPECT_EQ(*io_->ReadFile(loc), data);
  auto listed = io_->List(prefix_ + "data");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].location, loc);
  EXPECT_EQ((*listed)[0].size, static_cast<int64_t>(data.size()));
}

TEST_F(S3FileIOTest, AbortedUploadLeavesNoObject) {
  std::string loc = prefix_ + "data/aborted.parquet";
  auto out = io_->OpenOutput(loc);
  ASSERT_TRUE(out.ok());
  std::string chunk(12 * 1024 * 1024, 'x');  // a part is already uploaded
  ASSERT_TRUE((*out)->Write(chunk.data(), static_cast<int64_t>(chunk.size())).ok());
  ASSERT_TRUE((*out)->Abort().ok());
  EXPECT_FALSE(*io_->Exists(loc));
  EXPECT_TRUE(io_->ReadFile(loc).status().IsNotFound());
}

TEST_F(S3FileIOTest, ListDeleteAndMissingObjects) {
  for (const char* name : {"m/1.json", "m/sub/2.json", "other/3.json"}) {
    FLOE_ASSERT_OK(io_->WriteNewFile(prefix_ + name, name));
  }
  auto listed = io_->List(prefix_ + "m");
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> names;
  for (const auto& f : *listed) names.push_back(f.location);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{prefix_ + "m/1.json", prefix_ + "m/sub/2.json"}));
  EXPECT_TRUE(io_->List(prefix_ + "absent")->empty());
  FLOE_ASSERT_OK(io_->Delete(prefix_ + "m/1.json"));
  FLOE_ASSERT_OK(io_->Delete(prefix_ + "m/1.json"));  // already gone: fine
  EXPECT_FALSE(*io_->Exists(prefix_ + "m/1.json"));
  Status missing = io_->ReadFile(prefix_ + "nope.json").status();
  EXPECT_TRUE(missing.IsNotFound()) << missing.ToString();
  EXPECT_THAT(missing.message(), HasSubstr(prefix_ + "nope.json"));
}

TEST_F(S3FileIOTest, MissingBucketIsNamed) {
  // (SeaweedFS creates a bucket on the first PUT into it, so only reads and
  // listings can meet a missing bucket there.)
  for (Status st : {io_->ReadFile("s3://no-such-bucket-floe/x.json").status(),
                    io_->OpenInput("s3://no-such-bucket-floe/x.json").status()}) {
    EXPECT_TRUE(st.IsNotFound()) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr("s3://no-such-bucket-floe/x.json"));
  }
}

TEST_F(S3FileIOTest, WrongCredentialsSayWhatToCheck) {
  S3Config bad = Config();
  bad.secret_access_key = "not-the-secret";
  auto io = MakeS3FileIO(bad);
  ASSERT_TRUE(io.ok());
  std::string loc = prefix_ + "x.json";
  for (Status st : {(*io)->WriteNewFile(loc, "{}"), (*io)->ReadFile(loc).status(),
                    (*io)->List(prefix_).status()}) {
    EXPECT_FALSE(st.ok());
    EXPECT_THAT(st.message(), HasSubstr("access denied")) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr("s3.secret-access-key")) << st.ToString();
  }
}

TEST_F(S3FileIOTest, UnreachableServerIsAClearError) {
  S3Config down = Config();
  down.endpoint = "http://127.0.0.1:1";  // nothing listens there
  down.connect_timeout_s = 2;
  auto io = MakeS3FileIO(down);
  ASSERT_TRUE(io.ok());
  for (Status st : {(*io)->WriteNewFile(prefix_ + "x.json", "{}"),
                    (*io)->ReadFile(prefix_ + "x.json").status()}) {
    EXPECT_TRUE(st.IsIOError()) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr("cannot reach the S3 server")) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr(prefix_ + "x.json"));
  }
}

TEST(S3Routing, UnconfiguredS3AndOtherSchemes) {
  auto io = MakeRoutingFileIO(MakeLocalFileIO(), nullptr);
  Status st = io->ReadFile("s3://b/k").status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("S3 is not configured"));
  st = io->ReadFile("gs://b/k").status();
  EXPECT_TRUE(st.IsNotSupported()) << st.ToString();
  EXPECT_TRUE(IsS3Location("s3a://b/k"));
  EXPECT_FALSE(IsS3Location("/tmp/s3://"));
}

TEST(S3Config, MalformedEndpointIsRejected) {
  S3Config c;
  c.endpoint = "ftp://host";
  Status st = MakeS3FileIO(c).status();
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("s3.endpoint"));
}

}  // namespace
}  // namespace floe::io
