#include "floe/data/metrics_config.h"

#include <gtest/gtest.h>

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;

using Props = std::map<std::string, std::string>;

MetricsMode Mode(const MetricsConfig& c, int32_t id) { return c.ModeFor(id); }

TEST(MetricsMode, ParsesEveryForm) {
  EXPECT_EQ(*ParseMetricsMode("none"), MetricsMode::None());
  EXPECT_EQ(*ParseMetricsMode("Counts"), MetricsMode::Counts());
  EXPECT_EQ(*ParseMetricsMode("FULL"), MetricsMode::Full());
  EXPECT_EQ(*ParseMetricsMode("truncate(16)"), MetricsMode::Truncate(16));
  EXPECT_EQ(*ParseMetricsMode("TRUNCATE(1)"), MetricsMode::Truncate(1));
  EXPECT_EQ(MetricsMode::Truncate(8).ToString(), "truncate(8)");
  for (const char* bad : {"", "truncate", "truncate()", "truncate(0)", "truncate(-1)",
                          "truncate(x)", "truncate( 4)", "truncate(99999999999)", "all"}) {
    EXPECT_FALSE(ParseMetricsMode(bad).ok()) << bad;
  }
}

spec::Schema Wide(int columns) {
  std::vector<NestedField> fields;
  for (int i = 1; i <= columns; ++i) {
    fields.push_back(NestedField{i, "c" + std::to_string(i), false, Type::Int()});
  }
  return spec::Schema(0, std::move(fields));
}

TEST(MetricsConfig, DefaultsToTruncate16) {
  auto c = MetricsConfig::Make(Wide(3), {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Mode(*c, 1), MetricsMode::Truncate(16));
  EXPECT_EQ(Mode(*c, 3), MetricsMode::Truncate(16));
}

TEST(MetricsConfig, DefaultAndPerColumn) {
  spec::Schema schema(
      0, {NestedField{1, "id", true, Type::Long()},
          NestedField{2, "payload", false,
                      Type::Struct({NestedField{3, "source", false, Type::String()}})},
          NestedField{4, "tags", false, Type::List(NestedField{5, "element", false,
                                                               Type::String()})}});
  auto c = MetricsConfig::Make(schema, {{"write.metadata.metrics.default", "counts"},
                                        {"write.metadata.metrics.column.id", "full"},
                                        {"write.metadata.metrics.column.payload.source",
                                         "truncate(4)"},
                                        {"write.metadata.metrics.column.tags.element", "none"},
                                        {"write.metadata.metrics.column.gone", "none"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Mode(*c, 1), MetricsMode::Full());
  EXPECT_EQ(Mode(*c, 3), MetricsMode::Truncate(4));
  EXPECT_EQ(Mode(*c, 5), MetricsMode::None());
  EXPECT_EQ(Mode(*c, 2), MetricsMode::Counts());
}

TEST(MetricsConfig, InvalidValuesNameTheProperty) {
  auto bad_default = MetricsConfig::Make(Wide(2), {{"write.metadata.metrics.default", "some"}});
  ASSERT_FALSE(bad_default.ok());
  EXPECT_TRUE(bad_default.status().IsInvalid());
  EXPECT_NE(bad_default.status().message().find("write.metadata.metrics.default"),
            std::string::npos)
      << bad_default.status().message();
  auto bad_column =
      MetricsConfig::Make(Wide(2), {{"write.metadata.metrics.column.c1", "truncate(0)"}});
  ASSERT_FALSE(bad_column.ok());
  EXPECT_NE(bad_column.status().message().find("write.metadata.metrics.column.c1"),
            std::string::npos);
  auto bad_limit = MetricsConfig::Make(
      Wide(2), {{"write.metadata.metrics.max-inferred-column-defaults", "-3"}});
  ASSERT_FALSE(bad_limit.ok());
  EXPECT_NE(bad_limit.status().message().find("max-inferred-column-defaults"), std::string::npos);
}

TEST(MetricsConfig, MaxInferredColumnDefaults) {
  // 101 columns: the first 100 get truncate(16), the rest none.
  auto c = MetricsConfig::Make(Wide(101), {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Mode(*c, 100), MetricsMode::Truncate(16));
  EXPECT_EQ(Mode(*c, 101), MetricsMode::None());
  // Exactly at the limit: all of them.
  auto at_limit = MetricsConfig::Make(Wide(100), {});
  EXPECT_EQ(Mode(*at_limit, 100), MetricsMode::Truncate(16));
  // A lower limit, with a per-column setting beyond it.
  auto low = MetricsConfig::Make(Wide(5), {{"write.metadata.metrics.max-inferred-column-defaults",
                                            "2"},
                                           {"write.metadata.metrics.column.c5", "counts"}});
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(Mode(*low, 2), MetricsMode::Truncate(16));
  EXPECT_EQ(Mode(*low, 3), MetricsMode::None());
  EXPECT_EQ(Mode(*low, 5), MetricsMode::Counts());
  // An explicit default applies to every column, whatever the limit.
  auto explicit_default = MetricsConfig::Make(
      Wide(5), {{"write.metadata.metrics.max-inferred-column-defaults", "2"},
                {"write.metadata.metrics.default", "full"}});
  EXPECT_EQ(Mode(*explicit_default, 5), MetricsMode::Full());
}

TEST(MetricsConfig, LimitCountsPrimitivesInJavasOrder) {
  // Java's TestMetricsConfig.testNestedStruct: a struct's own primitives come
  // before the fields of its nested structs.
  spec::Schema schema(
      0, {NestedField{1, "top_struct_a1", true,
                      Type::Struct({NestedField{2, "middle_b1", true, Type::Int()},
                                    NestedField{3, "middle_struct_b1", true,
                                                Type::Struct({NestedField{4, "bottom_c1", false,
                                                                          Type::String()}})}})},
          NestedField{5, "top_struct_a2", true,
                      Type::Struct({NestedField{6, "middle_b2", true, Type::Int()},
                                    NestedField{7, "middle_struct_b2", true,
                                                Type::Struct({NestedField{8, "bottom_c2", false,
                                                                          Type::String()}})}})},
          NestedField{9, "top_a", true, Type::Int()}});
  auto with_limit = [&](int limit) {
    auto c = MetricsConfig::Make(
        schema, {{"write.metadata.metrics.max-inferred-column-defaults", std::to_string(limit)}});
    EXPECT_TRUE(c.ok());
    std::vector<int32_t> ids;
    for (int32_t id : {2, 4, 6, 8, 9}) {
      if (c->ModeFor(id) != MetricsMode::None()) ids.push_back(id);
    }
    return ids;
  };
  EXPECT_EQ(with_limit(1), (std::vector<int32_t>{9}));
  EXPECT_EQ(with_limit(2), (std::vector<int32_t>{2, 9}));
  EXPECT_EQ(with_limit(3), (std::vector<int32_t>{2, 4, 9}));
  EXPECT_EQ(with_limit(4), (std::vector<int32_t>{2, 4, 6, 9}));
  EXPECT_EQ(with_limit(5), (std::vector<int32_t>{2, 4, 6, 8, 9}));
}

TEST(MetricsConfig, SortedColumnsKeepBounds) {
  int32_t sorted[] = {2};
  auto c = MetricsConfig::Make(Wide(3), {{"write.metadata.metrics.default", "none"}}, sorted);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Mode(*c, 1), MetricsMode::None());
  EXPECT_EQ(Mode(*c, 2), MetricsMode::Truncate(16));
  auto full = MetricsConfig::Make(Wide(3), {{"write.metadata.metrics.default", "full"}}, sorted);
  EXPECT_EQ(Mode(*full, 2), MetricsMode::Full());
  // A per-column setting still wins.
  auto overridden = MetricsConfig::Make(Wide(3), {{"write.metadata.metrics.column.c2", "counts"}},
                                        sorted);
  EXPECT_EQ(Mode(*overridden, 2), MetricsMode::Counts());
}

}  // namespace
}  // namespace floe::data
