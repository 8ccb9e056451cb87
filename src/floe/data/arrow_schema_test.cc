#include "floe/data/arrow_schema.h"

#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <gtest/gtest.h>

namespace floe::data {
namespace {

using spec::NestedField;
using spec::Type;

spec::Schema AllTypes() {
  return spec::Schema(
      0, {
             NestedField{1, "b", true, Type::Boolean()},
             NestedField{2, "i", false, Type::Int()},
             NestedField{3, "l", false, Type::Long()},
             NestedField{4, "f", false, Type::Float()},
             NestedField{5, "d", false, Type::Double()},
             NestedField{6, "dec", false, Type::Decimal(38, 10)},
             NestedField{7, "date", false, Type::Date()},
             NestedField{8, "time", false, Type::Time()},
             NestedField{9, "ts", false, Type::Timestamp()},
             NestedField{10, "tstz", false, Type::TimestampTz()},
             NestedField{11, "ts_ns", false, Type::TimestampNs()},
             NestedField{12, "tstz_ns", false, Type::TimestampTzNs()},
             NestedField{13, "s", false, Type::String()},
             NestedField{14, "u", false, Type::Uuid()},
             NestedField{15, "fx", false, Type::Fixed(3)},
             NestedField{16, "bin", false, Type::Binary()},
             NestedField{17, "tags", false, Type::List(NestedField{20, "element", false, Type::String()})},
             NestedField{18, "attrs", false,
                         Type::Map(NestedField{21, "key", true, Type::String()},
                                   NestedField{22, "value", false, Type::Long()})},
             NestedField{19, "payload", false,
                         Type::Struct({NestedField{23, "source", true, Type::String()}})},
         });
}

TEST(ArrowSchema, RoundTripKeepsIdsOnEveryNode) {
  spec::Schema schema = AllTypes();
  auto arrow_schema = ToArrowSchema(schema);
  ASSERT_TRUE(arrow_schema.ok()) << arrow_schema.status().ToString();
  const auto& tags = (*arrow_schema)->GetFieldByName("tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(FieldIdOf(*tags->type()->field(0)), 20);
  const auto& attrs = (*arrow_schema)->GetFieldByName("attrs");
  const auto& map = static_cast<const arrow::MapType&>(*attrs->type());
  EXPECT_EQ(FieldIdOf(*map.key_field()), 21);
  EXPECT_EQ(FieldIdOf(*map.item_field()), 22);
  EXPECT_EQ((*arrow_schema)->GetFieldByName("tstz")->type()->ToString(), "timestamp[us, tz=UTC]");
  EXPECT_FALSE((*arrow_schema)->GetFieldByName("b")->nullable());
  auto back = FromArrowSchema(**arrow_schema);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->SameStructure(schema)) << back->ToString();
}

TEST(ArrowSchema, MissingIdsAreAnErrorUnlessAssigned) {
  auto plain = arrow::schema({arrow::field("a", arrow::int32()),
                              arrow::field("s", arrow::struct_({arrow::field("x", arrow::utf8()),
                                                                arrow::field("y", arrow::list(arrow::int64()))})),
                              arrow::field("c", arrow::utf8())});
  auto strict = FromArrowSchema(*plain);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("'a' has no PARQUET:field_id"), std::string::npos);
  int32_t last = 0;
  auto assigned = FromArrowSchemaAssigningIds(*plain, &last);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  // Java order: top level 1..3, then s's children 4, 5, then the list element 6.
  EXPECT_EQ(assigned->FindFieldByName("c")->id, 3);
  EXPECT_EQ(assigned->FindFieldByName("s.x")->id, 4);
  EXPECT_EQ(assigned->FindFieldByName("s.y")->id, 5);
  EXPECT_EQ(assigned->FindFieldByName("s.y.element")->id, 6);
  EXPECT_EQ(last, 6);
}

TEST(ArrowSchema, UnsupportedTypesAreClear) {
  auto s = arrow::schema({arrow::field("u", arrow::uint64(), true,
                                       arrow::key_value_metadata({kParquetFieldIdKey}, {"1"}))});
  auto r = FromArrowSchema(*s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'u'"), std::string::npos);
  EXPECT_NE(r.status().message().find("uint64"), std::string::npos);
}

}  // namespace
}  // namespace floe::data
