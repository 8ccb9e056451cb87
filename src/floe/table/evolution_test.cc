// Schema, partition and sort-order evolution through `floe alter`'s changes:
// the grammar, the metadata each change produces (ids never reused, old
// schemas and specs kept), reads of old and new files after every change,
// time travel with old schemas, pruning across specs, refusals that leave
// the table unchanged, and concurrent changes.
#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <thread>

#include "floe/table/alter.h"
#include "floe/table/schema_update.h"
#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

using expr::AlterChange;
using expr::ParseAlterChange;
using spec::TypeId;
using testing::RowMap;
using testing::SourceOf;

Result<AlterChange> P(const std::string& text) { return ParseAlterChange(text); }

TEST(AlterGrammar, ParsesEveryChange) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto a, P("ADD COLUMN payload.source string not null comment 'where' "
                                      "after kind default 'web'"));
  EXPECT_EQ(a.kind, AlterChange::Kind::kAddColumn);
  EXPECT_EQ(a.column, "payload.source");
  EXPECT_EQ(a.type->id(), TypeId::kString);
  EXPECT_TRUE(a.required);
  EXPECT_EQ(a.doc, "where");
  EXPECT_EQ(a.position, AlterChange::Position::kAfter);
  EXPECT_EQ(a.position_column, "kind");
  EXPECT_EQ(a.default_value, "web");
  FLOE_ASSERT_OK_AND_ASSIGN(auto nested, P("add column tags list<struct<k: string, v: int>> first"));
  EXPECT_EQ(nested.type->id(), TypeId::kList);
  EXPECT_EQ(nested.position, AlterChange::Position::kFirst);
  FLOE_ASSERT_OK_AND_ASSIGN(auto d, P("add column n decimal(12, 2) default -1.50"));
  EXPECT_EQ(d.default_value, "-1.50");
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, P("rename column \"Breed Name\" to breed"));
  EXPECT_EQ(r.column, "Breed Name");
  EXPECT_EQ(r.new_name, "breed");
  FLOE_ASSERT_OK_AND_ASSIGN(auto t, P("alter column n type long"));
  EXPECT_EQ(t.type->id(), TypeId::kLong);
  EXPECT_EQ(P("alter column n drop not null")->kind, AlterChange::Kind::kDropNotNull);
  EXPECT_EQ(P("alter column n set not null")->kind, AlterChange::Kind::kSetNotNull);
  EXPECT_EQ(P("move column n before id")->position, AlterChange::Position::kBefore);
  EXPECT_EQ(P("set identifier fields id, region")->names,
            (std::vector<std::string>{"id", "region"}));
  EXPECT_TRUE(P("drop identifier fields")->names.empty());
  // Partition fields and orders arrive typed (unbound terms) and print back.
  FLOE_ASSERT_OK_AND_ASSIGN(auto add, P("add partition field bucket(16, id) as b"));
  EXPECT_EQ(add.partition.transform, spec::Transform::Bucket(16));
  EXPECT_EQ(add.partition.column, "id");
  EXPECT_EQ(add.partition.name, std::optional<std::string>("b"));
  EXPECT_EQ(expr::FormatPartitionTerm(add.partition), "bucket(16, id) as b");
  EXPECT_EQ(P("drop partition field ts_day")->partition.column, "ts_day");
  FLOE_ASSERT_OK_AND_ASSIGN(auto rp, P("replace partition field day(ts) with hour(ts)"));
  EXPECT_EQ(expr::FormatPartitionTerm(rp.partition), "day(ts)");
  EXPECT_EQ(expr::FormatPartitionTerm(rp.replacement), "hour(ts)");
  FLOE_ASSERT_OK_AND_ASSIGN(auto order, P("write ordered by ts desc, id"));
  ASSERT_EQ(order.order.size(), 2u);
  EXPECT_EQ(order.order[0].direction, spec::SortDirection::kDesc);
  EXPECT_EQ(order.order[0].null_order, spec::NullOrder::kNullsLast);
  EXPECT_EQ(expr::FormatSortTerms(order.order), "ts desc, id");
  EXPECT_TRUE(P("write unordered")->order.empty());
  for (const char* bad : {"add column", "add column x notatype", "drop table x", "rename column a",
                          "alter column a type", "move column a", "replace partition field a",
                          "frobnicate"}) {
    auto e = P(bad);
    EXPECT_FALSE(e.ok()) << bad;
    if (!e.ok()) EXPECT_NE(e.status().message().find("alter"), std::string::npos) << e.status().ToString();
  }
}

class EvolutionTest : public testing::TableTest {
 protected:
  Status Do(Table& t, std::vector<std::string> texts) {
    std::vector<AlterChange> changes;
    for (const auto& text : texts) {
      FLOE_ASSIGN_OR_RAISE(auto c, ParseAlterChange(text));
      changes.push_back(std::move(c));
    }
    return Alter(t, changes);
  }
  // Scan rows as text lines "col=value|..." sorted, for exact comparison.
  static std::vector<std::string> Lines(const Table& t, ScanOptions o = {}) {
    auto scan = TableScan::Make(t, std::move(o));
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    auto table = (*scan)->ToTable();
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    std::vector<std::string> out;
    auto batch = *(*table)->CombineChunksToBatch();
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string line;
      for (int c = 0; c < batch->num_columns(); ++c) {
        auto v = batch->column(c)->GetScalar(r);
        line += (c ? "|" : "") + batch->schema()->field(c)->name() + "=" + (*v)->ToString();
      }
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::shared_ptr<arrow::RecordBatch> Batch(arrow::FieldVector fields, arrow::ArrayVector columns) {
  return arrow::RecordBatch::Make(arrow::schema(fields), columns[0]->length(), columns);
}

std::shared_ptr<arrow::Array> Array(const std::shared_ptr<arrow::DataType>& type,
                                    const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

TEST_F(EvolutionTest, EveryChangeKeepsOldDataReadableAndOldSchemasForTimeTravel) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 2, {}, "id long not null, name string, n int, ratio float"));
  auto b1 = Batch({arrow::field("id", arrow::int64(), false), arrow::field("name", arrow::utf8()),
                   arrow::field("n", arrow::int32()), arrow::field("ratio", arrow::float32())},
                  {Array(arrow::int64(), "[1, 2]"), Array(arrow::utf8(), R"(["a", "b"])"),
                   Array(arrow::int32(), "[10, null]"), Array(arrow::float32(), "[0.5, 1.5]")});
  FLOE_ASSERT_OK(Append(t, SourceOf({b1})).status());
  const int64_t first = *t.metadata().current_snapshot_id;

  FLOE_ASSERT_OK(Do(t, {"add column region string after id", "rename column name to label",
                        "alter column n type long", "alter column ratio type double",
                        "add column payload struct<source: string, hits: int>"}));
  const spec::Schema& s1 = *t.metadata().CurrentSchema();
  EXPECT_EQ(s1.schema_id(), 1);
  EXPECT_EQ(t.metadata().schemas.size(), 2u);
  EXPECT_EQ(s1.FindFieldByName("region")->id, 5);
  EXPECT_EQ(s1.FindFieldByName("label")->id, 2);  // renamed, same id
  EXPECT_EQ(t.metadata().last_column_id, 8);      // payload 6, source 7, hits 8
  EXPECT_EQ(s1.fields()[1].name, "region");
  EXPECT_EQ(Lines(t), (std::vector<std::string>{
                          "id=1|region=null|label=a|n=10|ratio=0.5|payload=null",
                          "id=2|region=null|label=b|n=null|ratio=1.5|payload=null"}));

  FLOE_ASSERT_OK(Do(t, {"add column payload.kind string", "move column ratio first"}));
  auto b2 = Batch({arrow::field("id", arrow::int64(), false), arrow::field("region", arrow::utf8()),
                   arrow::field("label", arrow::utf8()), arrow::field("n", arrow::int64())},
                  {Array(arrow::int64(), "[3]"), Array(arrow::utf8(), R"(["eu"])"),
                   Array(arrow::utf8(), R"(["c"])"),
                   Array(arrow::int64(), "[7000000000]")});
  FLOE_ASSERT_OK(Append(t, SourceOf({b2})).status());
  FLOE_ASSERT_OK(Do(t, {"drop column label", "drop column payload.source"}));
  FLOE_ASSERT_OK(Do(t, {"add column label string"}));  // the name again: a new id
  EXPECT_EQ(t.metadata().CurrentSchema()->FindFieldByName("label")->id, 10);
  EXPECT_EQ(Lines(t), (std::vector<std::string>{
                          "ratio=0.5|id=1|region=null|n=10|payload=null|label=null",
                          "ratio=1.5|id=2|region=null|n=null|payload=null|label=null",
                          "ratio=null|id=3|region=eu|n=7000000000|payload=null|label=null"}));
  // Time travel reads the first snapshot with its own schema.
  ScanOptions old;
  old.snapshot_id = first;
  EXPECT_EQ(Lines(t, old), (std::vector<std::string>{"id=1|name=a|n=10|ratio=0.5",
                                                     "id=2|name=b|n=null|ratio=1.5"}));
  // Going back to an earlier structure reuses that schema's id.
  const size_t schemas = t.metadata().schemas.size();
  FLOE_ASSERT_OK(Do(t, {"add column extra int"}));
  FLOE_ASSERT_OK(Do(t, {"drop column extra"}));
  EXPECT_EQ(t.metadata().schemas.size(), schemas + 1);
  // A fresh load agrees.
  FLOE_ASSERT_OK_AND_ASSIGN(Table again, Load("t"));
  EXPECT_EQ(Lines(again).size(), 3u);
}

TEST_F(EvolutionTest, V3DefaultsFillOldRows) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "", 3, {}, "id long not null"));
  FLOE_ASSERT_OK(Append(t, SourceOf({Batch({arrow::field("id", arrow::int64(), false)},
                                           {Array(arrow::int64(), "[1, 2]")})}))
                     .status());
  FLOE_ASSERT_OK(Do(t, {"add column source string not null default 'web'",
                        "add column weight double default 1.5"}));
  const spec::NestedField* f = t.metadata().CurrentSchema()->FindFieldByName("source");
  EXPECT_TRUE(f->required);
  EXPECT_EQ(f->initial_default, "\"web\"");
  EXPECT_EQ(f->write_default, "\"web\"");
  EXPECT_EQ(Lines(t), (std::vector<std::string>{"id=1|source=web|weight=1.5",
                                                "id=2|source=web|weight=1.5"}));
}

TEST_F(EvolutionTest, RefusesUnsafeChangesAndLeavesTheTableUnchanged) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", "bucket(4, id)", 2, {},
                                            "id long not null, name string, n long, d date, ts timestamp"));
  FLOE_ASSERT_OK(Do(t, {"set identifier fields id", "write ordered by ts"}));
  const std::string before = t.metadata_location();
  struct Bad {
    std::vector<std::string> changes;
    const char* says;
  };
  for (const Bad& b : std::vector<Bad>{
           {{"alter column n type int"}, "allowed promotions"},
           {{"alter column name type long"}, "allowed promotions"},
           {{"alter column d type timestamp"}, "allowed promotions"},  // v3 only
           {{"drop column id"}, "identifier field"},
           {{"drop column ts"}, "write order"},
           {{"set identifier fields name"}, "identifier"},
           {{"add column name string"}, "already exists"},
           {{"rename column n to name"}, "exists"},
           {{"alter column name set not null"}, "required"},
           {{"add column x int not null"}, "default"},
           {{"add column x int default 3"}, "format version 3"},
           {{"add column nope.x int"}, "not found"},
           {{"add column name.x int"}, "not a struct"},
           {{"move column n after nope"}, "no such column"},
           {{"drop column nope"}, "not found"},
           {{"add partition field bucket(4, id)"}, "already partitioned"},
           {{"add partition field truncate(2, name) as id_bucket"}, "already exists"},
           {{"drop partition field nope"}, "no partition field"},
           {{"add column x int", "drop column x", "drop column nope"}, "not found"}}) {
    Status st = Do(t, b.changes);
    ASSERT_FALSE(st.ok()) << b.changes[0];
    EXPECT_NE(st.message().find(b.says), std::string::npos) << b.changes[0] << ": " << st.ToString();
    FLOE_ASSERT_OK(t.Refresh());
    EXPECT_EQ(t.metadata_location(), before) << b.changes[0];
  }
  // Dropping a partition source column is fine once the field is gone (v2).
  FLOE_ASSERT_OK(Do(t, {"drop identifier fields", "drop partition field id_bucket"}));
  FLOE_ASSERT_OK(Do(t, {"drop column id"}));
}

TEST_F(EvolutionTest, PartitionEvolutionKeepsOldFilesInTheirSpecAndPrunesAcrossSpecs) {
  for (int version : {1, 2}) {
    SCOPED_TRACE(version);
    const std::string name = "p" + std::to_string(version);
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create(name, "category", version));
    FLOE_ASSERT_OK(AppendIds(t, 0, 48).status());
    FLOE_ASSERT_OK(Do(t, {"add partition field day(ts)"}));
    EXPECT_EQ(t.metadata().default_spec_id, 1);
    FLOE_ASSERT_OK(AppendIds(t, 48, 48).status());
    FLOE_ASSERT_OK(Do(t, {"drop partition field category"}));
    const spec::PartitionSpec& spec2 = *t.metadata().DefaultSpec();
    if (version == 1) {
      ASSERT_EQ(spec2.fields().size(), 2u);  // v1 keeps the field as void
      EXPECT_EQ(spec2.fields()[0].transform.kind(), spec::TransformKind::kVoid);
    } else {
      ASSERT_EQ(spec2.fields().size(), 1u);
      EXPECT_EQ(spec2.fields()[0].field_id, 1001);
    }
    FLOE_ASSERT_OK(AppendIds(t, 96, 48).status());
    // Every file keeps its own spec.
    FLOE_ASSERT_OK_AND_ASSIGN(auto files, testing::LiveFiles(t));
    std::map<int32_t, int> by_spec;
    for (const auto& f : files) ++by_spec[f.spec_id];
    EXPECT_EQ(by_spec.size(), 3u);
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
    EXPECT_EQ(rows, testing::RowsOf({testing::EventsRange(0, 144)}));
    // A day filter prunes the new files by partition, the old ones by metrics.
    ScanOptions o;
    o.filter = "ts >= timestamp '2024-06-05T00:00:00' and ts < timestamp '2024-06-06T00:00:00'";
    FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, o));
    FLOE_ASSERT_OK_AND_ASSIGN(auto result, scan->ToTable());
    EXPECT_EQ(result->num_rows(), 24);
    EXPECT_GT(scan->report().files_skipped_partition, 0);
    // Adding the dropped field back reuses its id (v2) and an identical spec's id.
    FLOE_ASSERT_OK(Do(t, {"add partition field category"}));
    if (version == 2) {
      EXPECT_EQ(t.metadata().DefaultSpec()->fields().back().field_id, 1000);
    }
    FLOE_ASSERT_OK(Do(t, {"replace partition field day(ts) with hour(ts)"}));
    FLOE_ASSERT_OK(AppendIds(t, 144, 10).status());
    FLOE_ASSERT_OK_AND_ASSIGN(rows, testing::ScanRows(t));
    EXPECT_EQ(rows.size(), 154u);
  }
}

TEST_F(EvolutionTest, WritersSortByTheWriteOrder) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("t", ""));
  FLOE_ASSERT_OK(Do(t, {"write ordered by amount desc nulls last, id"}));
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < 300; ++i) ids.push_back((i * 7919) % 300);
  FLOE_ASSERT_OK(Append(t, SourceOf({testing::EventsBatch(ids)})).status());
  FLOE_ASSERT_OK_AND_ASSIGN(auto files, testing::LiveFiles(t));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].sort_order_id, 1);
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, {}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto table, scan->ToTable());
  auto batch = *table->CombineChunksToBatch();
  const auto& amount = static_cast<const arrow::DoubleArray&>(*batch->GetColumnByName("amount"));
  const auto& id = static_cast<const arrow::Int64Array&>(*batch->GetColumnByName("id"));
  for (int64_t r = 1; r < batch->num_rows(); ++r) {
    if (amount.IsNull(r)) {
      if (amount.IsNull(r - 1)) EXPECT_LT(id.Value(r - 1), id.Value(r));
      continue;
    }
    ASSERT_FALSE(amount.IsNull(r - 1)) << "nulls must come last, row " << r;
    EXPECT_GE(amount.Value(r - 1), amount.Value(r)) << r;
  }
}

// Two writers change the schema at once: changes that still make sense are
// applied on top of the other's (new ids after the other's), the others are
// refused with the reason.
TEST_F(EvolutionTest, ConcurrentSchemaChangesBuildOnEachOtherOrAreRefused) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table a, Create("t", "", 2, {}, "id long not null, name string"));
  FLOE_ASSERT_OK_AND_ASSIGN(Table b, Load("t"));  // loaded before a's change
  FLOE_ASSERT_OK(Do(a, {"add column x int"}));
  FLOE_ASSERT_OK(Do(b, {"add column y int"}));  // built on schema 0, retried on 1
  FLOE_ASSERT_OK_AND_ASSIGN(Table now, Load("t"));
  const spec::Schema& s = *now.metadata().CurrentSchema();
  ASSERT_NE(s.FindFieldByName("x"), nullptr);
  ASSERT_NE(s.FindFieldByName("y"), nullptr);
  EXPECT_NE(s.FindFieldByName("x")->id, s.FindFieldByName("y")->id);
  EXPECT_EQ(now.metadata().last_column_id, 4);
  // a drops name; b (stale) renames it: refused, not applied to a ghost.
  FLOE_ASSERT_OK_AND_ASSIGN(Table c, Load("t"));
  FLOE_ASSERT_OK(Do(a, {"drop column name"}));
  Status st = Do(c, {"rename column name to label"});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'name' not found"), std::string::npos) << st.ToString();
  // Many writers adding columns at once: all land, with distinct ids.
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      auto cat = OpenCatalog();
      auto loaded = (*cat)->LoadTable(Id("t"));
      Table t(*cat, std::move(*loaded));
      results[w] = Do(t, {"add column w" + std::to_string(w) + " string"});
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.ToString();
  FLOE_ASSERT_OK_AND_ASSIGN(Table last, Load("t"));
  std::set<int32_t> ids;
  for (const auto& f : last.metadata().CurrentSchema()->fields()) ids.insert(f.id);
  EXPECT_EQ(ids.size(), last.metadata().CurrentSchema()->fields().size());
  EXPECT_EQ(last.metadata().CurrentSchema()->fields().size(), 7u);  // id x y w0..w3
}

}  // namespace
}  // namespace floe::table
