#include "floe/util/strings.h"

#include <gtest/gtest.h>

namespace floe::util {

TEST(Strings, HexRoundTrip) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

TEST(Strings, UrlEncodeLikeJavaUrlEncoder) {
  EXPECT_EQ(UrlEncode("2024-01-02"), "2024-01-02");
  EXPECT_EQ(UrlEncode("a b/c=d"), "a+b%2Fc%3Dd");
  EXPECT_EQ(UrlEncode("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(UrlEncode("x.y*z_w-"), "x.y*z_w-");
}

TEST(Strings, SplitTrimParse) {
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(Trim("  x y \n"), "x y");
  EXPECT_EQ(ParseInt64("-42"), -42);
  EXPECT_FALSE(ParseInt64("42x").has_value());
  EXPECT_FALSE(ParseInt64("99999999999999999999").has_value());
  EXPECT_TRUE(EqualsIgnoreCase("PARQUET", "parquet"));
  EXPECT_EQ(Quote(std::string("a\nb")), "'a\\x0ab'");
}

}  // namespace floe::util

#include "floe/util/random_ids.h"
#include <set>

namespace floe::util {
TEST(RandomIds, UuidsAndSnapshotIdsAreWellFormedAndDistinct) {
  std::set<std::string> uuids;
  std::set<int64_t> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string u = RandomUuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');  // version 4
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    uuids.insert(u);
    int64_t id = RandomSnapshotId();
    EXPECT_GT(id, 0);
    ids.insert(id);
  }
  EXPECT_EQ(uuids.size(), 1000u);
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_GT(NowMillis(), 1700000000000);
}
}  // namespace floe::util
