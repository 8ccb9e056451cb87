#include <gtest/gtest.h>

#include "floe/expr/ddl.h"
#include "floe/table/scan.h"

namespace floe::table {
namespace {

TEST(SelectColumns, TopLevelAndNested) {
  auto schema = expr::ParseSchema("a string, b long, s struct<x: int, y: string>, c date");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  auto two = SelectColumns(*schema, {"c", "a"}, true);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->fields().size(), 2u) << two->ToString();
  EXPECT_EQ(two->fields()[0].name, "c");
  EXPECT_EQ(two->fields()[1].name, "a");
  auto nested = SelectColumns(*schema, {"s.y"}, true);
  ASSERT_TRUE(nested.ok());
  ASSERT_EQ(nested->fields().size(), 1u);
  ASSERT_EQ(nested->fields()[0].type->fields().size(), 1u);
  EXPECT_EQ(nested->fields()[0].type->fields()[0].name, "y");
  auto bad = SelectColumns(*schema, {"zz"}, true);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("column 'zz' not found; columns are: a, b, s, c"),
            std::string::npos);
}

}  // namespace
}  // namespace floe::table
