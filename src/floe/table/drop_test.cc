// drop --purge deletes exactly what the table's metadata reaches: a property
// test over random histories (appends, copy-on-write and merge-on-read
// deletes, overwrites; v2 and v3), checked against the test utility's own
// walk of the metadata, with a stray file beside the table that must stay.
#include <gtest/gtest.h>

#include <random>

#include "floe/table/drop.h"
#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

using namespace testing;  // NOLINT: the shared fixture and helpers

class DropTest : public TableTest {};

TEST_F(DropTest, PurgeDeletesExactlyTheReachableFilesOfRandomHistories) {
  for (int seed = 0; seed < 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const std::string name = "t" + std::to_string(seed);
    const int version = seed % 2 ? 3 : 2;
    auto created = Create(name, seed % 3 ? "bucket(2, id)" : "", version,
                          {{"write.delete.mode", seed % 3 == 1 ? "copy-on-write" : "merge-on-read"}});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    int64_t next = 0;
    for (int step = 0; step < 8; ++step) {
      auto t = Load(name);
      ASSERT_TRUE(t.ok());
      switch (rng() % 3) {
        case 0:
        case 1:
          ASSERT_TRUE(AppendIds(*t, next, 20).ok());
          next += 20;
          break;
        default: {
          const int64_t cut = next ? static_cast<int64_t>(rng() % next) : 0;
          auto st = DeleteWhere(*t, "id >= " + std::to_string(cut) + " and id < " +
                                        std::to_string(cut + 7));
          ASSERT_TRUE(st.ok()) << st.status().ToString();
        }
      }
    }
    auto t = Load(name);
    ASSERT_TRUE(t.ok());
    auto expected = ReachableFiles(*t->io(), t->loaded());
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    // A file under the table's location that its metadata does not name.
    const std::string stray = t->metadata().location + "/data/not-this-tables.parquet";
    FLOE_ASSERT_OK(t->io()->WriteNewFile(stray, "x"));
    const std::set<std::string> before = TableFiles(*t);

    DropOptions dry;
    dry.purge = dry.dry_run = true;
    auto listed = DropTable(*catalog_, Id(name), dry);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    EXPECT_EQ(listed->files, *expected);
    EXPECT_FALSE(listed->dropped);
    EXPECT_EQ(TableFiles(*t), before);
    ASSERT_TRUE(Load(name).ok()) << "a dry run keeps the table";

    DropOptions purge;
    purge.purge = true;
    auto dropped = DropTable(*catalog_, Id(name), purge);
    ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
    EXPECT_TRUE(dropped->dropped);
    EXPECT_EQ(dropped->deleted + dropped->failed, static_cast<int64_t>(expected->size()));
    std::set<std::string> left;
    for (const auto& f : before) {
      if (!expected->count(f)) left.insert(f);
    }
    EXPECT_EQ(TableFiles(*t), left);
    EXPECT_TRUE(left.count(stray));
    EXPECT_FALSE(Load(name).ok());
  }
}

TEST_F(DropTest, GcDisabledIsRefusedAndPlainDropKeepsFiles) {
  auto t = Create("shared", "", 2, {{"gc.enabled", "false"}});
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(AppendIds(*t, 0, 10).ok());
  const auto before = TableFiles(*t);
  DropOptions purge;
  purge.purge = true;
  auto refused = DropTable(*catalog_, Id("shared"), purge);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("gc.enabled=false"), std::string::npos);
  ASSERT_TRUE(Load("shared").ok());
  EXPECT_EQ(TableFiles(*t), before);

  DropOptions dry_only;
  dry_only.dry_run = true;
  EXPECT_FALSE(DropTable(*catalog_, Id("shared"), dry_only).ok());

  // Java reads gc.enabled with Boolean.parseBoolean: "False" disables it too.
  auto t2 = Create("shared2", "", 2, {{"gc.enabled", "False"}});
  ASSERT_TRUE(t2.ok());
  EXPECT_FALSE(DropTable(*catalog_, Id("shared2"), purge).ok());
  ASSERT_TRUE(Load("shared2").ok());

  auto plain = DropTable(*catalog_, Id("shared"));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_TRUE(plain->files.empty());
  EXPECT_EQ(TableFiles(*t), before);
}

}  // namespace
}  // namespace floe::table
