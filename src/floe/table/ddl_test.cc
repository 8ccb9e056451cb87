// The DDL printers: exact texts for common shapes, and parse(format(x)) == x
// (the fuzz target `ddl` checks the round trip on arbitrary inputs).
#include "floe/table/ddl.h"

#include <gtest/gtest.h>

namespace floe::table {
namespace {

TEST(Ddl, FormatSchemaRoundTrips) {
  const char* text =
      "id long not null, `odd name` string comment 'it''s', amount decimal(12,2), "
      "tags list<string not null>, attrs map<string, int not null>, "
      "payload struct<source: string, n: int not null comment 'count'>, ts timestamptz";
  auto schema = ParseSchema(text);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(FormatSchema(*schema), text);
  auto again = ParseSchema(FormatSchema(*schema));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *schema);
}

TEST(Ddl, FormatPartitioningAndOrder) {
  auto schema = ParseSchema("id long, ts timestamptz, name string, payload struct<source: string>");
  ASSERT_TRUE(schema.ok());
  auto spec = ParsePartitionSpec("day(ts), bucket[16](id), truncate(4, name) as n4, payload.source",
                                 *schema);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(FormatPartitionSpec(*spec, *schema),
            "day(ts), bucket(16, id), truncate(4, name) as n4, payload.source");
  EXPECT_EQ(*ParsePartitionSpec(FormatPartitionSpec(*spec, *schema), *schema), *spec);
  auto order = ParseSortOrder("ts desc, id nulls last, bucket(4, name) desc nulls first", *schema);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_EQ(FormatSortOrder(*order, *schema),
            "ts desc, id nulls last, bucket(4, name) desc nulls first");
  EXPECT_EQ(*ParseSortOrder(FormatSortOrder(*order, *schema), *schema), *order);
}

}  // namespace
}  // namespace floe::table
