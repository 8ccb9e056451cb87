// The DDL printers: exact texts for common shapes, and parse(format(x)) == x
// (the fuzz target `ddl` checks the round trip on arbitrary inputs).
#include "floe/expr/ddl.h"

#include <gtest/gtest.h>

#include "floe/expr/parser.h"

namespace floe::expr {
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

// Partition fields are typed terms before binding; every spelling of a
// transform gives the same term, and binding names fields as Java does.
TEST(Ddl, PartitionTermsAreTyped) {
  auto terms = ParsePartitionTerms("bucket(16, id), bucket[16](id), BUCKET(id, 16), days(ts) as d, "
                                   "`odd name`, payload.source");
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 6u);
  const PartitionTerm bucket{spec::Transform::Bucket(16), "id", std::nullopt};
  EXPECT_EQ((*terms)[0], bucket);
  EXPECT_EQ((*terms)[1], bucket);
  EXPECT_EQ((*terms)[2], bucket);
  EXPECT_EQ((*terms)[3].transform, spec::Transform::Day());
  EXPECT_EQ((*terms)[3].name, std::optional<std::string>("d"));
  EXPECT_EQ((*terms)[4].column, "odd name");
  EXPECT_EQ((*terms)[5].column, "payload.source");
  EXPECT_EQ(FormatPartitionTerm((*terms)[4]), "`odd name`");

  auto schema = ParseSchema("id long, ts timestamptz, `odd name` int, payload struct<source: string>");
  ASSERT_TRUE(schema.ok());
  auto f = BindPartitionTerm((*terms)[0], *schema, 1000);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->name, "id_bucket");
  EXPECT_EQ(f->source_id, 1);
  EXPECT_EQ(BindPartitionTerm((*terms)[5], *schema, 1001)->source_id, 5);
  auto missing = BindPartitionTerm({spec::Transform::Day(), "nope", std::nullopt}, *schema, 1000);
  EXPECT_NE(missing.status().message().find("column 'nope' is not in the schema"),
            std::string::npos);
}

// The DDL grammars and filters share one tokenizer: a name is quoted the
// same way in both, and DDL punctuation stays out of filters.
TEST(Ddl, SharesTheFilterTokenizer) {
  auto schema = ParseSchema("\"my col\" int, `x``y` string, m map<string, list<map<int, long>>>");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->fields()[0].name, "my col");
  EXPECT_EQ(schema->fields()[1].name, "x`y");
  EXPECT_EQ(schema->fields()[2].type->ToString(), "map<string, list<map<int, long>>>");
  auto filter = ParseFilter("\"my col\" = 1 and `x``y` = 'a'");
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_NE((*filter)->ToString().find("\"my col\""), std::string::npos);
  EXPECT_FALSE(ParseFilter("id[1] = 2").ok());
  EXPECT_FALSE(ParseFilter("a: 1").ok());
  // Errors point at the text: the unknown transform's own position.
  auto bad = ParsePartitionSpec("day(ts), frob(id)", *ParseSchema("id long, ts timestamptz"));
  EXPECT_NE(bad.status().message().find("unknown transform 'frob'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("at position 9"), std::string::npos);
  auto nested = ParseSchema("a.b int");
  EXPECT_NE(nested.status().message().find("without dots"), std::string::npos);
}

TEST(Ddl, SortTermsAreTyped) {
  auto terms = ParseSortTerms("ts desc, bucket(4, id) nulls last, name asc nulls first");
  ASSERT_TRUE(terms.ok()) << terms.status().ToString();
  ASSERT_EQ(terms->size(), 3u);
  EXPECT_EQ((*terms)[0].direction, spec::SortDirection::kDesc);
  EXPECT_EQ((*terms)[0].null_order, spec::NullOrder::kNullsLast);  // Java's default for desc
  EXPECT_EQ((*terms)[1].transform, spec::Transform::Bucket(4));
  EXPECT_EQ((*terms)[1].null_order, spec::NullOrder::kNullsLast);
  EXPECT_EQ(FormatSortTerms(*terms), "ts desc, bucket(4, id) nulls last, name");
  EXPECT_TRUE(ParseSortTerms("")->empty());
  EXPECT_FALSE(ParseSortTerms("ts nulls sideways").ok());
}

// Found in review of the move onto the shared tokenizer: names other DDL
// accepts unquoted still parse, and stray punctuation asks for quotes.
TEST(Ddl, DigitLedNamesPunctuationAndRawTypeParameters) {
  auto schema = ParseSchema("2fa_enabled boolean, 3d_model string, n decimal(12, 2)");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->fields()[0].name, "2fa_enabled");
  EXPECT_EQ(*ParseSchema(FormatSchema(*schema)), *schema);
  auto add = ParseAlterChange("add column 2nd_try int default 1e-5");
  ASSERT_TRUE(add.ok()) << add.status().ToString();
  EXPECT_EQ(add->column, "2nd_try");
  EXPECT_EQ(add->default_value, std::optional<std::string>("1e-5"));
  EXPECT_EQ(ParseAlterChange("add column c long default -1")->default_value,
            std::optional<std::string>("-1"));
  auto dashed = ParseAlterChange("drop partition field my-field");
  ASSERT_FALSE(dashed.ok());
  EXPECT_NE(dashed.status().message().find("quote names"), std::string::npos)
      << dashed.status().message();
  EXPECT_EQ(ParseAlterChange("drop partition field `my-field`")->partition.column, "my-field");
  // Type parameters are taken as written (without spaces).
  auto geo = ParseSchema("g geometry(projjson:my-crs)");
  ASSERT_TRUE(geo.ok()) << geo.status().ToString();
  EXPECT_EQ(*ParseSchema(FormatSchema(*geo)), *geo);
}

}  // namespace
}  // namespace floe::expr
