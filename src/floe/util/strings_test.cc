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
TEST(Strings, SplitKeyValue) {
  EXPECT_EQ(SplitKeyValue("a=b"), std::make_pair(std::string("a"), std::string("b")));
  EXPECT_EQ(SplitKeyValue("k=v=w"), std::make_pair(std::string("k"), std::string("v=w")));
  EXPECT_EQ(SplitKeyValue("k="), std::make_pair(std::string("k"), std::string()));
  EXPECT_EQ(SplitKeyValue("=v"), std::nullopt);
  EXPECT_EQ(SplitKeyValue("novalue"), std::nullopt);
}

}  // namespace floe::util

namespace floe::util {

TEST(Strings, ParseDurationMillis) {
  EXPECT_EQ(ParseDurationMillis("250"), 250);
  EXPECT_EQ(ParseDurationMillis("250ms"), 250);
  EXPECT_EQ(ParseDurationMillis("30s"), 30000);
  EXPECT_EQ(ParseDurationMillis("10m"), 600000);
  EXPECT_EQ(ParseDurationMillis(" 12h "), 12LL * 3600000);
  EXPECT_EQ(ParseDurationMillis("7d"), 7LL * 86400000);
  EXPECT_EQ(ParseDurationMillis("2W"), 14LL * 86400000);
  for (const char* bad : {"", "d", "5y", "-5m", "1.5h", "99999999999999999999d"}) {
    EXPECT_FALSE(ParseDurationMillis(bad).has_value()) << bad;
  }
}

TEST(Strings, ParseByteSize) {
  EXPECT_EQ(ParseByteSize("536870912"), 536870912);
  EXPECT_EQ(ParseByteSize("512MiB"), 512LL << 20);
  EXPECT_EQ(ParseByteSize("128 MB"), 128000000);
  EXPECT_EQ(ParseByteSize("1g"), 1LL << 30);
  EXPECT_EQ(ParseByteSize("64B"), 64);
  for (const char* bad : {"", "MiB", "5 parsecs", "1.5GiB", "-1"}) {
    EXPECT_FALSE(ParseByteSize(bad).has_value()) << bad;
  }
}

TEST(Strings, FindInvalidUtf8) {
  EXPECT_FALSE(FindInvalidUtf8("plain, \xC3\xA9t\xC3\xA9, \xE6\x97\xA5, \xF0\x9F\x90\x87").has_value());
  EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2u);             // a lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("\xC3"), 0u);                // cut short
  EXPECT_EQ(FindInvalidUtf8("x\xC0\xAF"), 1u);           // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);        // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
}

}  // namespace floe::util
