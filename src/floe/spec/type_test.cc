#include "floe/spec/type.h"

#include <gtest/gtest.h>

namespace floe::spec {

TEST(Type, ParsesEveryPrimitive) {
  for (const char* name :
       {"boolean", "int", "long", "float", "double", "date", "time", "timestamp", "timestamptz",
        "timestamp_ns", "timestamptz_ns", "string", "uuid", "binary", "unknown", "variant",
        "geometry", "geography", "decimal(9,2)", "fixed[16]"}) {
    auto t = ParsePrimitiveType(name);
    ASSERT_TRUE(t.ok()) << name << ": " << t.status().ToString();
    EXPECT_EQ((*t)->ToString(), name);
  }
}

TEST(Type, DecimalAcceptsWhitespaceAndChecksPrecision) {
  auto t = ParsePrimitiveType("decimal(9, 2)");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->precision(), 9);
  EXPECT_EQ((*t)->scale(), 2);
  EXPECT_EQ((*t)->ToString(), "decimal(9,2)");
  auto bad = ParsePrimitiveType("decimal(39,2)");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("precision 39"), std::string::npos);
  EXPECT_FALSE(ParsePrimitiveType("decimal(5,6)").ok());
  EXPECT_FALSE(ParsePrimitiveType("fixed[0]").ok());
  EXPECT_FALSE(ParsePrimitiveType("fixed[x]").ok());
  auto unknown = ParsePrimitiveType("varchar");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'varchar'"), std::string::npos);
}

TEST(Type, GeoParameters) {
  auto g = ParsePrimitiveType("geometry(srid:4326)");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)->crs(), "srid:4326");
  auto gg = ParsePrimitiveType("geography(srid:4326, karney)");
  ASSERT_TRUE(gg.ok());
  EXPECT_EQ((*gg)->algorithm(), "karney");
  EXPECT_EQ((*gg)->ToString(), "geography(srid:4326, karney)");
}

TEST(Type, DecimalRequiredBytesTable) {
  const int expected[][2] = {{1, 1},   {2, 1},   {3, 2},   {4, 2},   {5, 3},   {6, 3},
                             {7, 4},   {9, 4},   {10, 5},  {11, 5},  {12, 6},  {14, 6},
                             {15, 7},  {16, 7},  {17, 8},  {18, 8},  {19, 9},  {21, 9},
                             {22, 10}, {23, 10}, {24, 11}, {26, 11}, {27, 12}, {28, 12},
                             {29, 13}, {31, 13}, {32, 14}, {33, 14}, {34, 15}, {35, 15},
                             {36, 16}, {38, 16}};
  for (const auto& [p, bytes] : expected) EXPECT_EQ(DecimalRequiredBytes(p), bytes) << p;
}

TEST(Type, NestedEqualityAndVersion) {
  NestedField e{3, "element", false, Type::TimestampNs()};
  auto list = Type::List(e);
  auto list2 = Type::List(NestedField{3, "x", false, Type::TimestampNs()});
  EXPECT_TRUE(list->Equals(*list2));  // the element is always named "element"
  EXPECT_EQ(list->MinFormatVersion(), 3);
  auto map = Type::Map(NestedField{4, "k", false, Type::String()},
                       NestedField{5, "v", true, Type::Int()});
  EXPECT_TRUE(map->key().required);
  EXPECT_EQ(map->ToString(), "map<string, int>");
  EXPECT_EQ(map->MinFormatVersion(), 1);
  EXPECT_FALSE(list->Equals(*map));
}

}  // namespace floe::spec
