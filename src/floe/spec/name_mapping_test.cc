#include "floe/spec/name_mapping.h"

#include <gtest/gtest.h>

#include "support/status_assertions.h"

namespace floe::spec {
namespace {

TEST(NameMapping, ParsesFindsAndWritesTheSpecsJson) {
  const std::string json =
      R"([{"field-id":1,"names":["id","record_id"]},)"
      R"({"field-id":2,"names":["data"]},)"
      R"({"field-id":3,"names":["location"],"fields":[{"field-id":4,"names":["latitude","lat"]},)"
      R"({"field-id":5,"names":["longitude","long"]}]},)"
      R"({"names":["unmapped"]},{"field-id":6,"names":["a.b"]}])";
  FLOE_ASSERT_OK_AND_ASSIGN(NameMapping m, NameMapping::FromJson(json));
  EXPECT_EQ(m.Find({"record_id"}), 1);
  EXPECT_EQ(m.Find({"location", "lat"}), 4);
  EXPECT_EQ(m.Find({"location", "longitude"}), 5);
  EXPECT_EQ(m.Find({"a.b"}), 6);  // names are literal
  EXPECT_EQ(m.Find({"a", "b"}), std::nullopt);
  EXPECT_EQ(m.Find({"unmapped"}), std::nullopt);
  EXPECT_EQ(m.Find({"nope"}), std::nullopt);
  FLOE_ASSERT_OK_AND_ASSIGN(NameMapping again, NameMapping::FromJson(m.ToJson()));
  EXPECT_EQ(again, m);
  for (const char* bad : {"{}", "[1]", R"([{"field-id":1}])", R"([{"names":"x"}])", "[{"}) {
    auto r = NameMapping::FromJson(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("schema.name-mapping.default"), std::string::npos);
  }
}

TEST(NameMapping, FollowsTheSchemaKeepingOldNames) {
  Schema v0(0, {NestedField{1, "id", true, Type::Long()},
                NestedField{2, "tags", false,
                            Type::List(NestedField{3, "element", true, Type::String()})}});
  NameMapping m = NameMapping::FromSchema(v0);
  EXPECT_EQ(m.Find({"tags", "element"}), 3);
  Schema v1(1, {NestedField{1, "key", true, Type::Long()},
                NestedField{4, "extra", false, Type::Int()}});
  NameMapping updated = m.UpdatedFor(v1);
  EXPECT_EQ(updated.Find({"id"}), 1);   // files written before the rename
  EXPECT_EQ(updated.Find({"key"}), 1);
  EXPECT_EQ(updated.Find({"extra"}), 4);
  EXPECT_EQ(updated.Find({"tags"}), 2);  // dropped fields stay mapped
}

TEST(NameMapping, AReusedNameMapsToItsNewField) {
  Schema v0(0, {NestedField{1, "a", false, Type::Long()}});
  Schema v1(1, {NestedField{1, "b", false, Type::Long()}});  // rename a -> b
  Schema v2(2, {NestedField{1, "b", false, Type::Long()},
                NestedField{2, "a", false, Type::String()}});  // a new column named a
  NameMapping m = NameMapping::FromSchema(v0).UpdatedFor(v1).UpdatedFor(v2);
  EXPECT_EQ(m.Find({"a"}), 2);
  EXPECT_EQ(m.Find({"b"}), 1);
  // What Floe writes, Floe (and Java, which refuses duplicates) reads back.
  FLOE_ASSERT_OK_AND_ASSIGN(NameMapping again, NameMapping::FromJson(m.ToJson()));
  EXPECT_EQ(again, m);
  // Dropping b: its entry stays for old files, without the reassigned name.
  Schema v3(3, {NestedField{2, "a", false, Type::String()}});
  EXPECT_EQ(m.UpdatedFor(v3).Find({"b"}), 1);
  EXPECT_EQ(m.UpdatedFor(v3).Find({"a"}), 2);
}

TEST(NameMapping, RefusesAmbiguousMappings) {
  for (const char* bad : {R"([{"field-id":2,"names":["a"]},{"field-id":2,"names":["b"]}])",
                          R"([{"field-id":1,"names":["a"]},{"field-id":2,"names":["a"]}])",
                          R"([{"field-id":1,"names":["s"],"fields":[{"field-id":1,"names":["x"]}]}])"}) {
    auto r = NameMapping::FromJson(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("already mapped"), std::string::npos) << r.status().message();
  }
  // The same name in different structs, and one name listed twice by one field, are fine.
  EXPECT_TRUE(NameMapping::FromJson(
                  R"([{"field-id":1,"names":["s"],"fields":[{"field-id":2,"names":["s","s"]}]}])")
                  .ok());
}

}  // namespace
}  // namespace floe::spec
