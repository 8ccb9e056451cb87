#include "floe/spec/schema.h"

#include <gtest/gtest.h>

namespace floe::spec {
namespace {

Schema EventsSchema() {
  NestedField point_x{11, "x", true, Type::Double()};
  auto point = Type::Struct({point_x});
  return Schema(
      1,
      {
          NestedField{1, "event_id", true, Type::String()},
          NestedField{2, "Payload", false,
                      Type::Struct({NestedField{3, "source", false, Type::String()}})},
          NestedField{4, "points", false, Type::List(NestedField{5, "element", true, point})},
          NestedField{6, "attrs", false,
                      Type::Map(NestedField{7, "key", true, Type::String()},
                                NestedField{8, "value", false, Type::Long()})},
      },
      {1});
}

TEST(Schema, LooksUpByIdAndDottedName) {
  Schema s = EventsSchema();
  EXPECT_EQ(s.FindField(3)->name, "source");
  EXPECT_EQ(s.FindFieldByName("Payload.source")->id, 3);
  EXPECT_EQ(s.FindFieldByName("points.element.x")->id, 11);
  EXPECT_EQ(s.FindFieldByName("points.x")->id, 11);
  EXPECT_EQ(s.FindFieldByName("attrs.value")->id, 8);
  EXPECT_EQ(s.FindFieldByName("payload.source"), nullptr);
  EXPECT_EQ(s.FindFieldByName("PAYLOAD.SOURCE", false)->id, 3);
  EXPECT_EQ(s.FindColumnName(11), "points.element.x");
  EXPECT_EQ(s.FindParentId(3), 2);
  EXPECT_FALSE(s.FindParentId(1).has_value());
  EXPECT_EQ(s.HighestFieldId(), 11);
  EXPECT_TRUE(s.Validate(2).ok()) << s.Validate(2).ToString();
}

TEST(Schema, CaseInsensitiveCollisionsAreAmbiguous) {
  Schema s(0, {NestedField{1, "a", false, Type::Int()}, NestedField{2, "A", false, Type::Int()}});
  EXPECT_EQ(s.FindFieldByName("a")->id, 1);
  EXPECT_EQ(s.FindFieldByName("A")->id, 2);
  EXPECT_EQ(s.FindFieldByName("a", false), nullptr);
}

TEST(Schema, ValidationErrors) {
  Schema dup(0, {NestedField{1, "a", false, Type::Int()}, NestedField{1, "b", false, Type::Int()}});
  EXPECT_NE(dup.Validate(2).message().find("field id 1 is used more than once"), std::string::npos);
  Schema names(0, {NestedField{1, "a", false, Type::Int()}, NestedField{2, "a", false, Type::Int()}});
  EXPECT_NE(names.Validate(2).message().find("duplicate field name 'a'"), std::string::npos);
  Schema ns(0, {NestedField{1, "t", false, Type::TimestampNs()}});
  EXPECT_TRUE(ns.Validate(3).ok());
  EXPECT_NE(ns.Validate(2).message().find("needs format version 3"), std::string::npos);
  Schema optional_ident(0, {NestedField{1, "id", false, Type::Long()}}, {1});
  EXPECT_NE(optional_ident.Validate(2).message().find("must be required"), std::string::npos);
  Schema float_ident(0, {NestedField{1, "f", true, Type::Float()}}, {1});
  EXPECT_NE(float_ident.Validate(2).message().find("float or double"), std::string::npos);
  Schema missing_ident(0, {NestedField{1, "f", true, Type::Long()}}, {9});
  EXPECT_NE(missing_ident.Validate(2).message().find("does not exist"), std::string::npos);
  Schema reserved(0, {NestedField{2147483646, "_file", true, Type::String()}});
  EXPECT_NE(reserved.Validate(2).message().find("reserved"), std::string::npos);
  Schema nested_ident(
      0, {NestedField{1, "s", false, Type::Struct({NestedField{2, "id", true, Type::Long()}})}},
      {2});
  EXPECT_NE(nested_ident.Validate(2).message().find("optional struct 's'"), std::string::npos);
}

TEST(Schema, CopiesShareTheIndex) {
  Schema s = EventsSchema();
  Schema copy = s.WithSchemaId(7);
  EXPECT_EQ(copy.schema_id(), 7);
  EXPECT_TRUE(copy.SameStructure(s));
  EXPECT_FALSE(copy == s);
  EXPECT_EQ(copy.FindFieldByName("points.x")->id, 11);
}

}  // namespace
}  // namespace floe::spec
