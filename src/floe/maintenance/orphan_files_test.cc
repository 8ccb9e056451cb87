// Orphan removal: stray files older than the window go; referenced files,
// files inside the window and cleanup journals stay; a property test over
// random histories with stray files; prefix mismatches refuse; dry runs.
#include "floe/maintenance/orphan_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "floe/io/file_io.h"
#include "floe/table/operations.h"
#include "floe/table/reachable_files.h"
#include "floe/table/row_level.h"
#include "floe/table/table_test_util.h"
#include "floe/util/random_ids.h"

namespace floe::maintenance {
namespace {

using table::Table;

class OrphanTest : public table::testing::TableTest {
 protected:
  // Writes a stray file under the table and dates it `age_ms` back.
  std::string Stray(const Table& t, const std::string& relative, int64_t age_ms) {
    const std::string location = io::JoinLocation(t.metadata().location, relative);
    const std::string path = io::LocalPath(location);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << "stray";
    const auto when = std::filesystem::file_time_type::clock::now() - std::chrono::milliseconds(age_ms);
    std::filesystem::last_write_time(path, when);
    return location;  // as the listing names it
  }
  bool Exists(const std::string& location) {
    return std::filesystem::exists(io::LocalPath(location));
  }
  static constexpr int64_t kDay = 24LL * 3600 * 1000;
};

TEST_F(OrphanTest, DeletesOldStraysAndKeepsEverythingElse) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "category"));
  for (int i = 0; i < 3; ++i) FLOE_ASSERT_OK(AppendIds(t, i * 10, 10).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, table::AllReachableFiles(t.loaded(), *t.io(), 2));
  const std::string old_data = Stray(t, "data/category=a/00000-dead-writer.parquet", 4 * kDay);
  const std::string old_meta = Stray(t, "metadata/snap-123-1-abc.avro", 5 * kDay);
  const std::string fresh = Stray(t, "data/category=b/00000-running-writer.parquet", 3600 * 1000);
  const std::string journal = Stray(t, "metadata/floe-cleanup-1234.json", 10 * kDay);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, table::testing::ScanRows(t));

  OrphanOptions dry;
  dry.dry_run = true;
  FLOE_ASSERT_OK_AND_ASSIGN(OrphanReport d, RemoveOrphanFiles(t, dry));
  EXPECT_EQ(d.orphans, 2);
  EXPECT_EQ(std::set<std::string>(d.examples.begin(), d.examples.end()),
            (std::set<std::string>{old_data, old_meta}));
  EXPECT_TRUE(Exists(old_data));

  FLOE_ASSERT_OK_AND_ASSIGN(OrphanReport r, RemoveOrphanFiles(t, OrphanOptions{}));
  EXPECT_EQ(r.orphans, 2);
  EXPECT_EQ(r.deleted.total(), 2);
  EXPECT_EQ(r.too_new, 2);  // the running writer's file and the journal
  EXPECT_FALSE(Exists(old_data));
  EXPECT_FALSE(Exists(old_meta));
  EXPECT_TRUE(Exists(fresh));
  EXPECT_TRUE(Exists(journal));
  for (const auto& f : reachable) EXPECT_TRUE(Exists(f)) << f;
  FLOE_ASSERT_OK_AND_ASSIGN(auto again, table::testing::ScanRows(t));
  EXPECT_EQ(again, rows);
}

// Random histories (appends, deletes of both kinds, branches, tags) with
// random stray files of random ages: exactly the strays older than the
// window go; every file the metadata references stays.
TEST_F(OrphanTest, PropertyNeverDeletesAReferencedOrRecentFile) {
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::mt19937_64 rng(777 + round);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    FLOE_ASSERT_OK_AND_ASSIGN(
        Table t, Create("o" + std::to_string(round), round % 2 ? "category" : "", 2 + round % 2,
                        {{"write.delete.mode", round % 2 ? "merge-on-read" : "copy-on-write"}}));
    std::set<std::string> old_strays, new_strays;
    int64_t next = 0;
    for (int step = 0; step < 10; ++step) {
      const int op = step == 0 ? 0 : static_cast<int>(pick(0, 3));
      if (op <= 1) {
        FLOE_ASSERT_OK(AppendIds(t, next, pick(5, 20)).status());
        next += 20;
      } else if (op == 2) {
        FLOE_ASSERT_OK(table::DeleteWhere(t, "id < " + std::to_string(pick(0, next))).status());
      } else {
        (void)table::CreateRef(t, "r" + std::to_string(step),
                               pick(0, 1) ? spec::RefType::kTag : spec::RefType::kBranch, std::nullopt);
      }
      const int64_t age = pick(0, 6) * kDay + pick(0, 3600000);
      const std::string rel = (pick(0, 1) ? "data/" : "metadata/") + std::to_string(step) + "-stray.bin";
      const std::string path = Stray(t, rel, age);
      (age > 3 * kDay + 60000 ? old_strays : new_strays).insert(path);
    }
    FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, table::AllReachableFiles(t.loaded(), *t.io(), 2));
    const auto before = TableFiles(t);
    FLOE_ASSERT_OK_AND_ASSIGN(OrphanReport r, RemoveOrphanFiles(t, OrphanOptions{}));
    const auto after = TableFiles(t);
    for (const auto& f : reachable) EXPECT_TRUE(after.count(f)) << "deleted a referenced file: " << f;
    for (const auto& f : new_strays) EXPECT_TRUE(after.count(f)) << "deleted inside the window: " << f;
    for (const auto& f : old_strays) EXPECT_FALSE(after.count(f)) << "kept an orphan: " << f;
    EXPECT_EQ(before.size() - after.size(), old_strays.size());
    EXPECT_EQ(r.orphans, static_cast<int64_t>(old_strays.size()));
    // With the window closed, everything the metadata does not reference
    // goes — and still nothing it does.
    OrphanOptions now;
    now.older_than_ms = floe::util::NowMillis() + 60000;
    FLOE_ASSERT_OK_AND_ASSIGN(r, RemoveOrphanFiles(t, now));
    const auto last = TableFiles(t);
    for (const auto& f : reachable) EXPECT_TRUE(last.count(f)) << "deleted a referenced file: " << f;
    for (const auto& f : new_strays) EXPECT_FALSE(last.count(f)) << "kept an orphan: " << f;
  }
}

TEST_F(OrphanTest, APrefixMismatchRefusesUnlessDeclaredEqual) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
  Stray(t, "data/old-stray.parquet", 10 * kDay);
  // The same folder listed as s3://bucket/...: every path matches one the
  // metadata names as a local file, under another scheme and authority.
  auto mapped = io::MakePathMappingFileIO(io::MakeLocalFileIO(), {{"s3://bucket/", "/"}});
  const std::string s3_location = "s3://bucket" + io::LocalPath(t.metadata().location);
  Table view(mapped, t.loaded());
  OrphanOptions o;
  o.location = s3_location;
  const auto before = TableFiles(t);
  auto refused = RemoveOrphanFiles(view, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--equal-scheme"), std::string::npos);
  EXPECT_EQ(TableFiles(t), before) << "a refused run deleted files";
  o.equal_schemes = {{"s3", "file"}};
  o.equal_authorities = {{"bucket", ""}};
  FLOE_ASSERT_OK_AND_ASSIGN(OrphanReport r, RemoveOrphanFiles(view, o));
  EXPECT_EQ(r.orphans, 1);
  EXPECT_EQ(r.mismatched, 0);
  // A location outside the table is refused.
  o.location = warehouse_;
  EXPECT_FALSE(RemoveOrphanFiles(t, o).ok());
}

TEST_F(OrphanTest, GcDisabledRefuses) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t"));
  FLOE_ASSERT_OK(table::UpdateProperties(t, {{"gc.enabled", "false"}}, {}));
  auto refused = RemoveOrphanFiles(t, OrphanOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("gc.enabled=false"), std::string::npos);
}

}  // namespace
}  // namespace floe::maintenance
