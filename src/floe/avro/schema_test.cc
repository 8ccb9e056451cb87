#include "floe/avro/schema.h"
#include "floe/avro/schema_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace floe::avro {
namespace {

// A manifest_entry-like schema exercising every Iceberg attribute, named
// types referenced later by name, namespaces and unknown attributes.
constexpr std::string_view kManifestLike = R"json({
  "type": "record", "name": "manifest_entry", "doc": "entry",
  "fields": [
    {"name": "status", "type": "int", "field-id": 0},
    {"name": "snapshot_id", "type": ["null", "long"], "default": null, "field-id": 1},
    {"name": "data_file", "field-id": 2, "type": {
      "type": "record", "name": "r2", "fields": [
        {"name": "file_path", "type": "string", "doc": "Location URI", "field-id": 100},
        {"name": "partition", "field-id": 102, "type": {"type": "record", "name": "r102",
          "fields": [
            {"name": "ts_day", "type": ["null", {"type": "int", "logicalType": "date"}],
             "default": null, "field-id": 1000},
            {"name": "price", "type": ["null", {"type": "fixed", "name": "decimal_9_2",
              "size": 4, "logicalType": "decimal", "precision": 9, "scale": 2}],
             "default": null, "field-id": 1001}
          ]}},
        {"name": "column_sizes", "field-id": 108, "default": null, "type": ["null",
          {"type": "array", "logicalType": "map", "items": {"type": "record",
            "name": "k117_v118", "fields": [
              {"name": "key", "type": "int", "field-id": 117},
              {"name": "value", "type": "long", "field-id": 118}]}}]},
        {"name": "split_offsets", "field-id": 132, "default": null,
         "type": ["null", {"type": "array", "items": "long", "element-id": 133}]},
        {"name": "props", "field-id": 150,
         "type": {"type": "map", "values": "string", "key-id": 151, "value-id": 152}},
        {"name": "other_price", "type": ["null", "decimal_9_2"], "default": null, "field-id": 153},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros",
                                "adjust-to-utc": true}, "field-id": 154},
        {"name": "local_ts", "type": {"type": "long", "logicalType": "timestamp-micros",
                                      "adjust-to-utc": false}, "field-id": 155},
        {"name": "color", "type": {"type": "enum", "name": "color", "namespace": "x.y",
           "doc": "colors", "symbols": ["RED", "GREEN"], "default": "RED"}, "field-id": 156},
        {"name": "color2", "type": "x.y.color", "field-id": 157, "order": "descending",
         "aliases": ["colour2"]},
        {"name": "uuid", "type": {"type": "fixed", "name": "uuid_fixed", "size": 16,
                                  "logicalType": "uuid", "custom": {"a": [1, 2]}}}
      ]}}
  ]})json";

Schema MustParse(std::string_view json) {
  Result<Schema> r = Schema::Parse(json);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return Schema();
  return std::move(r).value();
}

const Field& FieldNamed(const Node& record, std::string_view name) {
  for (const Field& f : record.fields) {
    if (f.name == name) return f;
  }
  ADD_FAILURE() << "no field " << name;
  static Field none;
  return none;
}

void ExpectInvalid(std::string_view json, std::string_view needle) {
  Result<Schema> r = Schema::Parse(json);
  ASSERT_FALSE(r.ok()) << "parsed: " << json;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << r.status().ToString();
  EXPECT_NE(r.status().message().find(needle), std::string::npos)
      << "message '" << r.status().message() << "' lacks '" << needle << "'";
}

TEST(AvroSchema, ParsesPrimitives) {
  for (std::string_view name :
       {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}) {
    Schema s = MustParse("\"" + std::string(name) + "\"");
    EXPECT_EQ(NodeKindName(s.root().kind), name);
    EXPECT_EQ(s.ToJson(), "\"" + std::string(name) + "\"");
    Schema o = MustParse(R"({"type": ")" + std::string(name) + "\"}");
    EXPECT_EQ(NodeKindName(o.root().kind), name);
  }
}

TEST(AvroSchema, KeepsIcebergAttributes) {
  Schema s = MustParse(kManifestLike);
  const Node& root = s.root();
  ASSERT_EQ(root.kind, NodeKind::kRecord);
  EXPECT_EQ(root.name, "manifest_entry");
  EXPECT_EQ(root.doc, "entry");
  ASSERT_EQ(root.fields.size(), 3u);
  EXPECT_EQ(root.fields[0].field_id, 0);
  const Field& snapshot_id = root.fields[1];
  EXPECT_EQ(snapshot_id.field_id, 1);
  EXPECT_EQ(snapshot_id.default_json, "null");
  ASSERT_EQ(snapshot_id.type->kind, NodeKind::kUnion);
  EXPECT_EQ(NullBranchIndex(*snapshot_id.type), 0);
  ASSERT_NE(NonNullBranch(*snapshot_id.type), nullptr);
  EXPECT_EQ(NonNullBranch(*snapshot_id.type)->kind, NodeKind::kLong);

  const Node& r2 = *root.fields[2].type;
  EXPECT_EQ(r2.FullName(), "r2");
  EXPECT_EQ(FieldNamed(r2, "file_path").doc, "Location URI");
  EXPECT_EQ(FieldNamed(r2, "file_path").field_id, 100);

  const Node& r102 = *FieldNamed(r2, "partition").type;
  EXPECT_EQ(r102.name, "r102");
  const Node& day = *NonNullBranch(*r102.fields[0].type);
  EXPECT_EQ(day.kind, NodeKind::kInt);
  EXPECT_EQ(day.logical_type, "date");
  const Node& decimal = *NonNullBranch(*r102.fields[1].type);
  EXPECT_EQ(decimal.kind, NodeKind::kFixed);
  EXPECT_EQ(decimal.fixed_size, 4);
  EXPECT_EQ(decimal.logical_type, "decimal");
  EXPECT_EQ(decimal.precision, 9);
  EXPECT_EQ(decimal.scale, 2);

  const Node& sizes = *NonNullBranch(*FieldNamed(r2, "column_sizes").type);
  EXPECT_EQ(sizes.kind, NodeKind::kArray);
  EXPECT_EQ(sizes.logical_type, "map");
  EXPECT_EQ(sizes.items->name, "k117_v118");
  EXPECT_EQ(sizes.items->fields[0].field_id, 117);
  EXPECT_EQ(sizes.items->fields[1].field_id, 118);

  const Node& offsets = *NonNullBranch(*FieldNamed(r2, "split_offsets").type);
  EXPECT_EQ(offsets.element_id, 133);
  EXPECT_EQ(offsets.items->kind, NodeKind::kLong);

  const Node& props = *FieldNamed(r2, "props").type;
  EXPECT_EQ(props.kind, NodeKind::kMap);
  EXPECT_EQ(props.key_id, 151);
  EXPECT_EQ(props.value_id, 152);
  EXPECT_EQ(props.values->kind, NodeKind::kString);

  // A reference by name is the very same node.
  EXPECT_EQ(NonNullBranch(*FieldNamed(r2, "other_price").type), &decimal);

  EXPECT_EQ(FieldNamed(r2, "ts").type->adjust_to_utc, true);
  EXPECT_EQ(FieldNamed(r2, "ts").type->logical_type, "timestamp-micros");
  EXPECT_EQ(FieldNamed(r2, "local_ts").type->adjust_to_utc, false);

  const Node& color = *FieldNamed(r2, "color").type;
  EXPECT_EQ(color.kind, NodeKind::kEnum);
  EXPECT_EQ(color.FullName(), "x.y.color");
  EXPECT_EQ(color.doc, "colors");
  EXPECT_EQ(color.symbols, (std::vector<std::string>{"RED", "GREEN"}));
  EXPECT_EQ(color.enum_default, "RED");
  const Field& color2 = FieldNamed(r2, "color2");
  EXPECT_EQ(color2.type, &color);
  ASSERT_EQ(color2.props.size(), 2u);
  EXPECT_EQ(color2.props[0], (Property{"order", "\"descending\""}));
  EXPECT_EQ(color2.props[1], (Property{"aliases", "[\"colour2\"]"}));

  const Node& uuid = *FieldNamed(r2, "uuid").type;
  EXPECT_EQ(uuid.logical_type, "uuid");
  EXPECT_EQ(uuid.fixed_size, 16);
  ASSERT_EQ(uuid.props.size(), 1u);
  EXPECT_EQ(uuid.props[0], (Property{"custom", R"({"a":[1,2]})"}));
  EXPECT_FALSE(FieldNamed(r2, "uuid").field_id.has_value());
}

TEST(AvroSchema, RoundTripsThroughJson) {
  Schema s = MustParse(kManifestLike);
  std::string json = s.ToJson();
  Schema again = MustParse(json);
  EXPECT_TRUE(SchemaEquals(s.root(), again.root())) << json;
  EXPECT_EQ(again.ToJson(), json);
  // Named types are defined once, then referenced.
  EXPECT_NE(json.find(R"("other_price","type":["null","decimal_9_2"])"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("type":"x.y.color")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("namespace":"x.y")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"type":"array","items":"long","element-id":133})"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("key-id":151,"value-id":152)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("logicalType":"timestamp-micros","adjust-to-utc":false)"),
            std::string::npos)
      << json;

  // Any change is noticed by SchemaEquals.
  Schema other = MustParse(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"array","items":"long","element-id":1}}]})");
  Schema different_id = MustParse(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"array","items":"long","element-id":2}}]})");
  EXPECT_FALSE(SchemaEquals(other.root(), different_id.root()));
  EXPECT_FALSE(SchemaEquals(s.root(), other.root()));
}

TEST(AvroSchema, ResolvesNamesWithNamespaces) {
  Schema s = MustParse(R"({"type": "record", "name": "outer", "namespace": "a.b", "fields": [
      {"name": "f1", "type": {"type": "fixed", "name": "f", "size": 2}},
      {"name": "f2", "type": "f"},
      {"name": "f3", "type": "a.b.f"},
      {"name": "g1", "type": {"type": "fixed", "name": "g", "namespace": "", "size": 3}},
      {"name": "g2", "type": "g"},
      {"name": "h1", "type": {"type": "record", "name": "c.d.inner", "fields": [
          {"name": "x", "type": {"type": "enum", "name": "e", "symbols": ["X"]}}]}},
      {"name": "h2", "type": "c.d.e"},
      {"name": "h3", "type": {"type": "c.d.inner"}}
  ]})");
  const Node& root = s.root();
  EXPECT_EQ(root.FullName(), "a.b.outer");
  const Node* f = root.fields[0].type;
  EXPECT_EQ(f->FullName(), "a.b.f");
  EXPECT_EQ(root.fields[1].type, f);
  EXPECT_EQ(root.fields[2].type, f);
  EXPECT_EQ(root.fields[3].type->FullName(), "g");
  EXPECT_EQ(root.fields[4].type, root.fields[3].type);  // null-namespace fallback
  const Node* inner = root.fields[5].type;
  EXPECT_EQ(inner->FullName(), "c.d.inner");
  EXPECT_EQ(inner->fields[0].type->FullName(), "c.d.e");  // inherits c.d
  EXPECT_EQ(root.fields[6].type, inner->fields[0].type);
  EXPECT_EQ(root.fields[7].type, inner);

  Schema again = MustParse(s.ToJson());
  EXPECT_TRUE(SchemaEquals(s.root(), again.root())) << s.ToJson();
  EXPECT_EQ(again.root().fields[4].type, again.root().fields[3].type);
}

TEST(AvroSchema, RecursiveRecords) {
  Schema s = MustParse(R"({"type": "record", "name": "node", "fields": [
      {"name": "value", "type": "long"},
      {"name": "next", "type": ["null", "node"]}]})");
  const Node& root = s.root();
  EXPECT_EQ(NonNullBranch(*root.fields[1].type), &root);
  EXPECT_FALSE(root.zero_size);
  std::string json = s.ToJson();
  EXPECT_EQ(json,
            R"({"type":"record","name":"node","fields":[{"name":"value","type":"long"},)"
            R"({"name":"next","type":["null","node"]}]})");
  Schema again = MustParse(json);
  EXPECT_TRUE(SchemaEquals(root, again.root()));
}

TEST(AvroSchema, ZeroSizeTypes) {
  Schema s = MustParse(R"({"type": "record", "name": "r", "fields": [
      {"name": "a", "type": "null"},
      {"name": "b", "type": {"type": "fixed", "name": "f0", "size": 0}},
      {"name": "c", "type": {"type": "record", "name": "empty", "fields": []}},
      {"name": "d", "type": {"type": "array", "items": "null"}},
      {"name": "e", "type": "long"}]})");
  const Node& root = s.root();
  EXPECT_TRUE(root.fields[0].type->zero_size);
  EXPECT_TRUE(root.fields[1].type->zero_size);
  EXPECT_TRUE(root.fields[2].type->zero_size);
  EXPECT_FALSE(root.fields[3].type->zero_size);
  EXPECT_TRUE(root.fields[3].type->items->zero_size);
  EXPECT_FALSE(root.fields[4].type->zero_size);
  EXPECT_FALSE(root.zero_size);
  EXPECT_TRUE(MustParse(R"({"type":"record","name":"r","fields":[]})").root().zero_size);
}

TEST(AvroSchema, LenientForms) {
  // "type" wrapping a definition, "error" records, a general union,
  // adjust-to-utc as a string, {"type": "Name"} references.
  Schema s = MustParse(R"({"type": {"type": "error", "name": "e", "fields": [
      {"name": "u", "type": ["int", "string", "null", {"type": "fixed", "name": "f", "size": 1}]},
      {"name": "t", "type": {"type": "long", "adjust-to-utc": "true"}},
      {"name": "r", "type": {"type": "f"}}]}})");
  EXPECT_EQ(s.root().kind, NodeKind::kRecord);
  EXPECT_EQ(s.root().fields[0].type->branches.size(), 4u);
  EXPECT_EQ(NonNullBranch(*s.root().fields[0].type), nullptr);
  EXPECT_EQ(NullBranchIndex(*s.root().fields[0].type), 2);
  EXPECT_EQ(s.root().fields[1].type->adjust_to_utc, true);
  EXPECT_EQ(s.root().fields[2].type, s.root().fields[0].type->branches[3]);
}

TEST(AvroSchema, ErrorsNameThePath) {
  ExpectInvalid(R"({"type":"record","name":"manifest_entry","fields":[
      {"name":"data_file","type":{"type":"record","name":"r2","fields":[
        {"name":"partition","type":"foo"}]}}]})",
                "field 'data_file.partition': unknown type 'foo'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"xs","type":{"type":"array","items":{"type":"record","name":"s","fields":[
        {"name":"y","type":"bar"}]}}}]})",
                "field 'xs.element.y': unknown type 'bar'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"m","type":{"type":"map","values":"nope"}}]})",
                "field 'm.value': unknown type 'nope'");
  ExpectInvalid(R"("foo")", "schema root: unknown type 'foo'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":"int","field-id":"7"}]})",
                "field 'a': 'field-id' must be a 32-bit integer");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":"int","field-id":4294967296}]})",
                "field 'a': 'field-id' must be a 32-bit integer");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"array","items":"int","element-id":1.5}}]})",
                "field 'a': 'element-id' must be a 32-bit integer");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"long","adjust-to-utc":1}}]})",
                "'adjust-to-utc' must be true or false");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[{"name":"a","type":"int"},
      {"name":"a","type":"long"}]})",
                "field 'a': duplicate field name in record 'r'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"fixed","name":"f","size":1}},
      {"name":"b","type":{"type":"fixed","name":"f","size":2}}]})",
                "field 'b': named type 'f' is defined twice");
  ExpectInvalid(R"(["null", ["int", "long"]])", "union branch 1 is itself a union");
  ExpectInvalid(R"({"type":"fixed","name":"f","size":-1})", "negative size");
  ExpectInvalid(R"({"type":"fixed","name":"f"})", "fixed 'f' has no 'size'");
  ExpectInvalid(R"({"type":"record","name":"r"})", "needs a 'fields' array");
  ExpectInvalid(R"({"type":"record","fields":[]})", "record has no 'name'");
  ExpectInvalid(R"({"type":"record","name":"int","fields":[]})", "primitive type name 'int'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[{"type":"int"}]})", "has no 'name'");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[{"name":"a"}]})",
                "field 'a': has no 'type'");
  ExpectInvalid(R"({"type":"enum","name":"e","symbols":["A","A"]})", "repeats symbol 'A'");
  ExpectInvalid(R"({"type":"array"})", "array has no 'items'");
  ExpectInvalid(R"({"type":"map"})", "map has no 'values'");
  ExpectInvalid(R"({"items":"int"})", "type object has no 'type'");
  ExpectInvalid(R"(42)", "expected a type name, object or array");
  ExpectInvalid(R"({"type":"record","name":"r","fields":[
      {"name":"a","type":{"type":"bytes","logicalType":5}}]})",
                "field 'a': 'logicalType' must be a string");
  // Forward references are not allowed (the spec requires definition first).
  ExpectInvalid(R"({"type":"record","name":"r","fields":[{"name":"a","type":"later"},
      {"name":"b","type":{"type":"fixed","name":"later","size":1}}]})",
                "field 'a': unknown type 'later'");
}

TEST(AvroSchema, RejectsMalformedJson) {
  ExpectInvalid("", "schema JSON is malformed");
  ExpectInvalid(R"({"type": "record", )", "schema JSON is malformed");
  ExpectInvalid("\"int\" trailing", "schema JSON is malformed");
}

TEST(AvroSchema, RejectsDeepNesting) {
  // Deep raw JSON is refused before it is parsed.
  std::string deep(100000, '[');
  ExpectInvalid(deep, "nests deeper than");
  // Valid JSON whose Avro nesting exceeds the limit.
  std::string arrays;
  for (int i = 0; i < kMaxNestingDepth + 5; ++i) arrays += R"({"type":"array","items":)";
  arrays += "\"int\"";
  for (int i = 0; i < kMaxNestingDepth + 5; ++i) arrays += "}";
  ExpectInvalid(arrays, "nests deeper than 128 levels");
  // Brackets inside strings do not count.
  Schema s = MustParse(R"({"type":"record","name":"r","doc":"[[[[[[[[[[{{{{{{\"[[[","fields":[]})");
  EXPECT_EQ(s.root().doc, "[[[[[[[[[[{{{{{{\"[[[");
  // A reasonable depth is fine.
  std::string ok;
  for (int i = 0; i < 50; ++i) ok += R"({"type":"array","items":)";
  ok += "\"int\"";
  for (int i = 0; i < 50; ++i) ok += "}";
  MustParse(ok);
}

TEST(AvroSchema, BuildsInCode) {
  Schema s;
  Node* root = s.NewNode(NodeKind::kRecord);
  root->name = "manifest_file";
  Node* path = s.NewNode(NodeKind::kString);
  Node* longs = s.NewNode(NodeKind::kArray);
  longs->items = s.NewNode(NodeKind::kLong);
  longs->element_id = 133;
  Node* opt = s.NewNode(NodeKind::kUnion);
  opt->branches = {s.NewNode(NodeKind::kNull), longs};
  Node* ts = s.NewNode(NodeKind::kLong);
  ts->logical_type = "timestamp-micros";
  ts->adjust_to_utc = true;
  root->fields.push_back(Field{"manifest_path", path, 500, std::nullopt, "Location URI", {}});
  root->fields.push_back(Field{"offsets", opt, 132, "null", std::nullopt, {}});
  root->fields.push_back(Field{"ts", ts, 9, std::nullopt, std::nullopt, {}});
  s.set_root(root);
  ASSERT_TRUE(s.Finalize().ok());
  EXPECT_EQ(s.ToJson(),
            R"({"type":"record","name":"manifest_file","fields":[)"
            R"({"name":"manifest_path","type":"string","doc":"Location URI","field-id":500},)"
            R"({"name":"offsets","type":["null",{"type":"array","items":"long","element-id":133}],)"
            R"("default":null,"field-id":132},)"
            R"({"name":"ts","type":{"type":"long","logicalType":"timestamp-micros",)"
            R"("adjust-to-utc":true},"field-id":9}]})");
  Schema again = MustParse(s.ToJson());
  EXPECT_TRUE(SchemaEquals(s.root(), again.root()));
}

TEST(AvroSchema, FinalizeRejectsBadTrees) {
  {
    Schema s;
    Node* root = s.NewNode(NodeKind::kRecord);
    root->name = "r";
    root->fields.push_back(Field{"a", nullptr, std::nullopt, std::nullopt, std::nullopt, {}});
    s.set_root(root);
    Status st = s.Finalize();
    EXPECT_TRUE(st.IsInvalid());
    EXPECT_NE(st.message().find("field 'a': null type pointer"), std::string::npos)
        << st.ToString();
  }
  {
    Schema s;
    Node* root = s.NewNode(NodeKind::kRecord);
    root->name = "r";
    Node* f1 = s.NewNode(NodeKind::kFixed);
    f1->name = "f";
    Node* f2 = s.NewNode(NodeKind::kFixed);
    f2->name = "f";
    root->fields.push_back(Field{"a", f1, std::nullopt, std::nullopt, std::nullopt, {}});
    root->fields.push_back(Field{"b", f2, std::nullopt, std::nullopt, std::nullopt, {}});
    s.set_root(root);
    Status st = s.Finalize();
    EXPECT_TRUE(st.IsInvalid());
    EXPECT_NE(st.message().find("named type 'f' is defined twice"), std::string::npos)
        << st.ToString();
  }
  {
    Schema s;
    Node* root = s.NewNode(NodeKind::kRecord);
    root->name = "r";
    root->fields.push_back(
        Field{"a", s.NewNode(NodeKind::kInt), std::nullopt, "{bad", std::nullopt, {}});
    s.set_root(root);
    Status st = s.Finalize();
    EXPECT_TRUE(st.IsInvalid());
    EXPECT_NE(st.message().find("'default' is not valid JSON"), std::string::npos)
        << st.ToString();
  }
  {
    Schema s;
    Node* u = s.NewNode(NodeKind::kUnion);
    Node* inner = s.NewNode(NodeKind::kUnion);
    u->branches = {inner};
    s.set_root(u);
    EXPECT_TRUE(s.Finalize().IsInvalid());
  }
}

TEST(AvroSchema, MovePreservesNodes) {
  Schema s = MustParse(kManifestLike);
  const Node* root = &s.root();
  Schema moved = std::move(s);
  EXPECT_EQ(&moved.root(), root);
  EXPECT_EQ(moved.root().name, "manifest_entry");
}

TEST(SchemaCache, OneParsePerTextBoundedAndNoErrorsKept) {
  auto a = ParseSchemaCached(kManifestLike);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto again = ParseSchemaCached(std::string(kManifestLike));  // another buffer, same text
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->get(), again->get());
  EXPECT_EQ((*a)->root().name, "manifest_entry");
  // A bad text is an error every time, never a cached schema.
  EXPECT_FALSE(ParseSchemaCached(R"({"type": "nope"})").ok());
  EXPECT_FALSE(ParseSchemaCached(R"({"type": "nope"})").ok());
  // Past the bound the oldest entry is parsed afresh (held schemas stay valid).
  for (size_t i = 0; i < kSchemaCacheEntries; ++i) {
    auto other = ParseSchemaCached(R"({"type": "fixed", "name": "f)" + std::to_string(i) +
                                   R"(", "size": 4})");
    ASSERT_TRUE(other.ok()) << other.status().ToString();
  }
  auto fresh = ParseSchemaCached(kManifestLike);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(a->get(), fresh->get());
  EXPECT_EQ((*a)->root().name, "manifest_entry");
}

}  // namespace
}  // namespace floe::avro
