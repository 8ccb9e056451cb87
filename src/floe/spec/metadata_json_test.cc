#include <gtest/gtest.h>

#include "floe/spec/json.h"

namespace floe::spec {
namespace {

// The minimal v2 table of docs/iceberg-spec-notes.md §12.
const char* kMinimalV2 = R"({"format-version":2,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1","location":"s3://b/wh/db/t",
 "last-sequence-number":1,"last-updated-ms":1700000000123,"last-column-id":2,
 "current-schema-id":0,"schemas":[{"type":"struct","schema-id":0,"fields":[
   {"id":1,"name":"id","required":true,"type":"long"},{"id":2,"name":"ts","required":false,"type":"timestamptz"}]}],
 "default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[]}],"last-partition-id":999,
 "default-sort-order-id":0,"sort-orders":[{"order-id":0,"fields":[]}],
 "properties":{"write.parquet.compression-codec":"zstd"},
 "current-snapshot-id":3051729675574597004,
 "refs":{"main":{"snapshot-id":3051729675574597004,"type":"branch"}},
 "snapshots":[{"snapshot-id":3051729675574597004,"sequence-number":1,"timestamp-ms":1700000000000,
   "manifest-list":"s3://b/wh/db/t/metadata/snap-3051729675574597004-1-x.avro","schema-id":0,
   "summary":{"operation":"append","added-data-files":"1","added-records":"10","added-files-size":"1024",
     "changed-partition-count":"1","total-records":"10","total-files-size":"1024","total-data-files":"1",
     "total-delete-files":"0","total-position-deletes":"0","total-equality-deletes":"0"}}],
 "snapshot-log":[{"timestamp-ms":1700000000000,"snapshot-id":3051729675574597004}],
 "metadata-log":[{"timestamp-ms":1699999999000,"metadata-file":"s3://b/wh/db/t/metadata/00000-x.metadata.json"}]})";

TEST(MetadataJson, ParsesMinimalV2) {
  auto md = TableMetadataFromJson(kMinimalV2);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_EQ(md->format_version, 2);
  EXPECT_EQ(md->table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  EXPECT_EQ(md->last_sequence_number, 1);
  EXPECT_EQ(md->last_updated_ms, 1700000000123);
  ASSERT_EQ(md->schemas.size(), 1u);
  EXPECT_EQ(md->CurrentSchema()->FindFieldByName("ts")->type->id(), TypeId::kTimestampTz);
  EXPECT_TRUE(md->DefaultSpec()->IsUnpartitioned());
  EXPECT_EQ(md->last_partition_id, 999);
  ASSERT_NE(md->CurrentSnapshot(), nullptr);
  EXPECT_EQ(md->CurrentSnapshot()->operation, "append");
  EXPECT_EQ(md->CurrentSnapshot()->SummaryValue("total-records"), "10");
  EXPECT_EQ(md->SnapshotForRef("main")->snapshot_id, 3051729675574597004);
  EXPECT_EQ(md->Property("write.parquet.compression-codec", ""), "zstd");
  EXPECT_EQ(md->metadata_log.size(), 1u);
}

TEST(MetadataJson, RoundTripIsLosslessForEveryVersion) {
  auto md = TableMetadataFromJson(kMinimalV2);
  ASSERT_TRUE(md.ok());
  for (int v = 1; v <= 3; ++v) {
    TableMetadata m = *md;
    m.format_version = v;
    if (v == 3) {
      m.next_row_id = 10;
      m.snapshots[0].first_row_id = 0;
      m.snapshots[0].added_rows = 10;
    }
    if (v == 1) {
      m.last_sequence_number = 0;
      m.snapshots[0].sequence_number = 0;
    }
    std::string text = TableMetadataToJson(m);
    auto back = TableMetadataFromJson(text);
    ASSERT_TRUE(back.ok()) << "v" << v << ": " << back.status().ToString() << "\n" << text;
    EXPECT_EQ(*back, m) << "v" << v;
    EXPECT_EQ(TableMetadataToJson(*back), text) << "v" << v;
  }
}

TEST(MetadataJson, VersionSpecificRequiredFields) {
  auto md = TableMetadataFromJson(kMinimalV2);
  ASSERT_TRUE(md.ok());
  TableMetadata m = *md;
  std::string v2 = TableMetadataToJson(m);
  EXPECT_EQ(v2.find("\"schema\":"), std::string::npos);
  EXPECT_EQ(v2.find("\"partition-spec\":"), std::string::npos);
  EXPECT_NE(v2.find("\"last-sequence-number\":1"), std::string::npos);

  m.format_version = 1;
  std::string v1 = TableMetadataToJson(m);
  EXPECT_NE(v1.find("\"schema\":{"), std::string::npos);
  EXPECT_NE(v1.find("\"partition-spec\":[]"), std::string::npos);
  EXPECT_EQ(v1.find("sequence-number"), std::string::npos);

  m.format_version = 3;
  m.next_row_id = 10;
  m.current_snapshot_id.reset();
  m.refs.clear();
  std::string v3 = TableMetadataToJson(m);
  EXPECT_NE(v3.find("\"current-snapshot-id\":null"), std::string::npos);
  EXPECT_NE(v3.find("\"next-row-id\":10"), std::string::npos);
  m.format_version = 2;
  EXPECT_NE(TableMetadataToJson(m).find("\"current-snapshot-id\":-1"), std::string::npos);
}

TEST(MetadataJson, ReadsLegacyV1Forms) {
  const char* v1 = R"({"format-version":1,"location":"/wh/t","last-updated-ms":1,"last-column-id":2,
    "schema":{"type":"struct","fields":[{"id":1,"name":"a","required":true,"type":"int"},
                                         {"id":2,"name":"ts","required":false,"type":"timestamptz"}]},
    "partition-spec":[{"name":"ts_hour","transform":"hour","source-id":2},
                      {"name":"a","transform":"identity","source-id":1}],
    "properties":{},"current-snapshot-id":-1,"snapshots":[]})";
  auto md = TableMetadataFromJson(v1);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_EQ(md->format_version, 1);
  EXPECT_FALSE(md->current_snapshot_id.has_value());
  ASSERT_EQ(md->partition_specs.size(), 1u);
  const auto& fields = md->DefaultSpec()->fields();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].field_id, 1000);  // implied 1000 + position
  EXPECT_EQ(fields[1].field_id, 1001);
  EXPECT_EQ(md->last_partition_id, 1001);
  EXPECT_TRUE(md->sort_orders[0].IsUnsorted());
}

struct BadCase {
  const char* name;
  std::string json;
  std::string expected_fragment;
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

TEST(MetadataJson, BadInputGivesClearErrors) {
  std::string base = kMinimalV2;
  std::vector<BadCase> cases = {
      {"not json", "{\"format-version\":", "not valid JSON"},
      {"not an object", "[1,2]", "expected an object"},
      {"missing location", Replace(base, "\"location\":\"s3://b/wh/db/t\",", ""), "location"},
      {"mistyped uuid", Replace(base, "\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\"",
                                "\"table-uuid\":7"),
       "table-uuid: expected a string, got an integer"},
      {"unknown type", Replace(base, "\"type\":\"timestamptz\"", "\"type\":\"varchar\""),
       "schemas[0].fields[1].type: unknown type 'varchar'"},
      {"decimal over 38", Replace(base, "\"type\":\"long\"", "\"type\":\"decimal(39,2)\""),
       "precision 39"},
      {"format version 4", Replace(base, "\"format-version\":2", "\"format-version\":4"),
       "format-version 4 is not supported"},
      {"bad current schema", Replace(base, "\"current-schema-id\":0", "\"current-schema-id\":5"),
       "current-schema-id' 5"},
      {"missing schemas in v2", Replace(base, "\"schemas\"", "\"schemaz\""),
       "schemas: required field is missing"},
      {"bad ref", Replace(base, "\"refs\":{\"main\":{\"snapshot-id\":3051729675574597004",
                          "\"refs\":{\"main\":{\"snapshot-id\":42"),
       "points at snapshot 42"},
      {"bad transform", Replace(base, "\"partition-specs\":[{\"spec-id\":0,\"fields\":[]}]",
                                "\"partition-specs\":[{\"spec-id\":0,\"fields\":[{\"name\":\"b\","
                                "\"transform\":\"bucket[0]\",\"source-id\":1,\"field-id\":1000}]}]"),
       "partition-specs[0].fields[0].transform"},
      {"bad direction",
       Replace(base, "\"sort-orders\":[{\"order-id\":0,\"fields\":[]}]",
               "\"sort-orders\":[{\"order-id\":0,\"fields\":[]},{\"order-id\":1,\"fields\":[{"
               "\"transform\":\"identity\",\"source-id\":1,\"direction\":\"up\",\"null-order\":"
               "\"nulls-first\"}]}]"),
       "sort-orders[1].fields[0].direction: 'up'"},
      {"huge id", Replace(base, "\"last-column-id\":2", "\"last-column-id\":99999999999"),
       "does not fit a 32-bit integer"},
  };
  for (const auto& c : cases) {
    auto md = TableMetadataFromJson(c.json);
    ASSERT_FALSE(md.ok()) << c.name;
    EXPECT_NE(md.status().message().find(c.expected_fragment), std::string::npos)
        << c.name << ": " << md.status().ToString();
  }
}

TEST(MetadataJson, PreservesStatisticsEncryptionAndDefaults) {
  std::string text = kMinimalV2;
  text = Replace(text, "\"format-version\":2", "\"format-version\":3,\"next-row-id\":10");
  text = Replace(text, R"({"id":2,"name":"ts","required":false,"type":"timestamptz"})",
                 R"({"id":2,"name":"ts","required":false,"type":"timestamptz","doc":"event time",)"
                 R"("initial-default":"2017-11-16T22:31:08.000001+00:00","write-default":null},)"
                 R"J({"id":3,"name":"loc","required":false,"type":"geography(srid:4326, karney)"},)J"
                 R"({"id":4,"name":"v","required":false,"type":"variant"})");
  text = Replace(text, "\"snapshot-log\"",
                 R"("statistics":[{"snapshot-id":3051729675574597004,"statistics-path":"s3://x.stats",)"
                 R"("file-size-in-bytes":100,"file-footer-size-in-bytes":50,"blob-metadata":[)"
                 R"({"type":"apache-datasketches-theta-v1","snapshot-id":3051729675574597004,)"
                 R"("sequence-number":1,"fields":[1],"properties":{"ndv":"3"}}]}],)"
                 R"("partition-statistics":[{"snapshot-id":3051729675574597004,"statistics-path":"s3://p",)"
                 R"("file-size-in-bytes":7}],)"
                 R"("encryption-keys":[{"key-id":"k1","encrypted-key-metadata":"AAEC","encrypted-by-id":"kms"}],)"
                 R"("snapshot-log")");
  auto md = TableMetadataFromJson(text);
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  ASSERT_EQ(md->statistics.size(), 1u);
  EXPECT_EQ(md->statistics[0].blob_metadata[0].properties.at("ndv"), "3");
  EXPECT_EQ(md->partition_statistics[0].file_size_in_bytes, 7);
  EXPECT_EQ(md->encryption_keys[0].encrypted_by_id, "kms");
  const NestedField* ts = md->CurrentSchema()->FindField(2);
  EXPECT_EQ(ts->initial_default, "\"2017-11-16T22:31:08.000001+00:00\"");
  EXPECT_FALSE(ts->write_default.has_value());
  EXPECT_EQ(md->CurrentSchema()->FindField(3)->type->algorithm(), "karney");
  auto back = TableMetadataFromJson(TableMetadataToJson(*md));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *md);
}

TEST(SchemaJson, NestedTypesRoundTrip) {
  const char* text = R"J({"type":"struct","schema-id":3,"identifier-field-ids":[1],"fields":[
    {"id":1,"name":"id","required":true,"type":"long"},
    {"id":2,"name":"tags","required":false,"type":{"type":"list","element-id":5,"element":"string","element-required":false}},
    {"id":3,"name":"attrs","required":false,"type":{"type":"map","key-id":6,"key":"string","value-id":7,"value":{"type":"struct","fields":[{"id":8,"name":"x","required":true,"type":"decimal(9, 2)"}]},"value-required":true}},
    {"id":4,"name":"payload","required":true,"type":{"type":"struct","fields":[{"id":9,"name":"source","required":false,"type":"fixed[4]"}]}}]})J";
  auto s = SchemaFromJson(text);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->schema_id(), 3);
  EXPECT_EQ(s->HighestFieldId(), 9);
  EXPECT_TRUE(s->Validate(2).ok()) << s->Validate(2).ToString();
  auto again = SchemaFromJson(SchemaToJson(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *s);
  EXPECT_NE(SchemaToJson(*s).find("\"decimal(9,2)\""), std::string::npos);
}

TEST(SchemaJson, RejectsDeepNestingWithoutCrashing) {
  std::string deep;
  for (int i = 0; i < 200; ++i) {
    deep += R"({"type":"list","element-id":)" + std::to_string(i + 10) +
            R"(,"element-required":false,"element":)";
  }
  deep += "\"int\"";
  for (int i = 0; i < 200; ++i) deep += "}";
  std::string text = R"({"type":"struct","fields":[{"id":1,"name":"a","required":false,"type":)" +
                     deep + "}]}";
  auto s = SchemaFromJson(text);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nested deeper"), std::string::npos);
}

}  // namespace
}  // namespace floe::spec
