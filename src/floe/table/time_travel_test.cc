// Time travel: reading a snapshot by id, by time (snapshot log), by tag and
// by branch, each with the schema the spec says (a snapshot's own schema
// for ids, times and tags; the table's for branches), commits to a branch,
// ref management, and the errors for what does not exist.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "floe/table/snapshot_update.h"
#include "floe/table/table_test_util.h"
#include "floe/table/table_writer.h"
#include "floe/util/random_ids.h"

namespace floe::table {
namespace {

using testing::EventsRange;
using testing::RowMap;
using testing::SourceOf;

// Replaces the current schema with one whose fields `change` returns (ids
// for new fields from last-column-id + 1); a schema change without a snapshot.
class SchemaChange final : public PendingUpdate {
 public:
  using Fn = std::function<std::vector<spec::NestedField>(std::vector<spec::NestedField>,
                                                          int32_t* next_id)>;
  explicit SchemaChange(Fn change) : change_(std::move(change)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    const spec::Schema* current = md->CurrentSchema();
    int32_t next_id = md->last_column_id + 1;
    auto fields = change_(current->fields(), &next_id);
    int32_t schema_id = 0;
    for (const auto& s : md->schemas) schema_id = std::max(schema_id, s.schema_id() + 1);
    md->schemas.emplace_back(schema_id, std::move(fields), current->identifier_field_ids());
    md->current_schema_id = schema_id;
    md->last_column_id = next_id - 1;
    return Status::OK();
  }
  std::string Describe() const override { return "schema change"; }

 private:
  Fn change_;
};

std::shared_ptr<arrow::RecordBatch> WithNote(const std::shared_ptr<arrow::RecordBatch>& b,
                                             bool null_notes) {
  arrow::StringBuilder notes;
  const auto& ids = static_cast<const arrow::Int64Array&>(*b->column(0));
  for (int64_t i = 0; i < b->num_rows(); ++i) {
    (void)(null_notes ? notes.AppendNull() : notes.Append("n" + std::to_string(ids.Value(i))));
  }
  std::shared_ptr<arrow::Array> array;
  (void)notes.Finish(&array);
  return *b->AddColumn(b->num_columns(), arrow::field("note", arrow::utf8()), array);
}

std::shared_ptr<arrow::RecordBatch> WithoutAmount(const std::shared_ptr<arrow::RecordBatch>& b) {
  return *b->RemoveColumn(b->schema()->GetFieldIndex("amount"));
}

void Pause() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

class TimeTravelTest : public testing::TableTest {
 protected:
  void SetUp() override {
    TableTest::SetUp();
    if (HasFatalFailure()) return;
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events"));
    // S1, S2: schema 0 (id, category, ts, d, amount).
    FLOE_ASSERT_OK(AppendIds(t, 0, 10).status());
    s1_ = *t.metadata().current_snapshot_id;
    Pause();
    FLOE_ASSERT_OK(AppendIds(t, 10, 10).status());
    s2_ = *t.metadata().current_snapshot_id;
    Pause();
    // Schema 1 adds `note`; S3 writes it.
    Transaction add(&t);
    add.Add(std::make_unique<SchemaChange>([](auto fields, int32_t* next) {
      spec::NestedField note;
      note.id = (*next)++;
      note.name = "note";
      note.type = spec::Type::String();
      fields.push_back(note);
      return fields;
    }));
    FLOE_ASSERT_OK(add.Commit().status());
    FLOE_ASSERT_OK(Append(t, SourceOf({WithNote(EventsRange(20, 10), false)})).status());
    s3_ = *t.metadata().current_snapshot_id;
    Pause();
    // A tag on S1, a branch on S2 with its own commit S4 (schema 1).
    FLOE_ASSERT_OK(CreateRef(t, "v1", spec::RefType::kTag, s1_));
    FLOE_ASSERT_OK(CreateRef(t, "dev", spec::RefType::kBranch, s2_));
    FLOE_ASSERT_OK_AND_ASSIGN(auto writer, TableWriter::Make(t.metadata_ptr(), t.io()));
    FLOE_ASSERT_OK(writer->Write(*WithNote(EventsRange(500, 5), false)));
    FLOE_ASSERT_OK_AND_ASSIGN(auto files, writer->Finish());
    auto update = std::make_unique<SnapshotUpdate>(t.io().get(), "dev");
    update->SetStartSnapshot(s2_);
    for (auto& f : files) update->AddFile(f);
    Transaction tx(&t);
    tx.Add(std::move(update));
    FLOE_ASSERT_OK(tx.Commit().status());
    s4_ = t.metadata().SnapshotForRef("dev")->snapshot_id;
    Pause();
    // Schema 2 drops `amount`; S5 on main.
    Transaction drop(&t);
    drop.Add(std::make_unique<SchemaChange>([](auto fields, int32_t*) {
      std::erase_if(fields, [](const spec::NestedField& f) { return f.name == "amount"; });
      return fields;
    }));
    FLOE_ASSERT_OK(drop.Commit().status());
    FLOE_ASSERT_OK(
        Append(t, SourceOf({WithoutAmount(WithNote(EventsRange(30, 10), false))})).status());
    s5_ = *t.metadata().current_snapshot_id;
  }

  Result<std::unique_ptr<TableScan>> ScanAt(ScanOptions o) {
    FLOE_ASSIGN_OR_RAISE(Table t, Load("events"));
    table_ = std::make_unique<Table>(std::move(t));
    return TableScan::Make(*table_, std::move(o));
  }
  static std::vector<std::string> ColumnNames(const TableScan& scan) {
    std::vector<std::string> out;
    auto schema = scan.arrow_schema();  // the range below must not outlive it
    for (const auto& f : schema->fields()) out.push_back(f->name());
    return out;
  }
  const spec::Snapshot& Snap(int64_t id) { return *table_->metadata().SnapshotById(id); }

  int64_t s1_ = 0, s2_ = 0, s3_ = 0, s4_ = 0, s5_ = 0;
  std::unique_ptr<Table> table_;
};

const std::vector<std::string> kSchema0{"id", "category", "ts", "d", "amount"};
const std::vector<std::string> kSchema1{"id", "category", "ts", "d", "amount", "note"};
const std::vector<std::string> kSchema2{"id", "category", "ts", "d", "note"};

TEST_F(TimeTravelTest, BySnapshotIdWithThatSnapshotsSchema) {
  ScanOptions o;
  o.snapshot_id = s1_;
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, ScanAt(o));
  EXPECT_EQ(scan->schema().schema_id(), 0);
  EXPECT_EQ(ColumnNames(*scan), kSchema0);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, scan->ToTable());
  EXPECT_EQ(testing::RowsOf(*rows), testing::RowsOf({EventsRange(0, 10)}));

  o.snapshot_id = s3_;
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan3, ScanAt(o));
  EXPECT_EQ(scan3->schema().schema_id(), 1);
  EXPECT_EQ(ColumnNames(*scan3), kSchema1);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows3, scan3->ToTable());
  EXPECT_EQ(testing::RowsOf(*rows3),
            testing::RowsOf({WithNote(EventsRange(0, 20), true), WithNote(EventsRange(20, 10), false)}))
      << "rows written before `note` existed read it as null; `amount` is still there";

  // The current snapshot, read with the current schema (amount dropped).
  FLOE_ASSERT_OK_AND_ASSIGN(auto now, ScanAt({}));
  EXPECT_EQ(now->snapshot()->snapshot_id, s5_);
  EXPECT_EQ(ColumnNames(*now), kSchema2);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows_now, now->ToTable());
  EXPECT_EQ(testing::RowsOf(*rows_now),
            testing::RowsOf({WithoutAmount(WithNote(EventsRange(0, 20), true)),
                             WithoutAmount(WithNote(EventsRange(20, 20), false))}));

  // A filter binds to the schema read: `note` did not exist at S1, `amount`
  // no longer exists now.
  ScanOptions note_at_s1;
  note_at_s1.snapshot_id = s1_;
  note_at_s1.filter = "note = 'n1'";
  auto bad = ScanAt(note_at_s1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("note"), std::string::npos) << bad.status().ToString();
  ScanOptions amount_at_s2;
  amount_at_s2.snapshot_id = s2_;
  amount_at_s2.filter = "amount > 4";
  FLOE_ASSERT_OK_AND_ASSIGN(auto by_amount, ScanAt(amount_at_s2));
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, by_amount->Count());
  EXPECT_EQ(n, 9) << "ids 9..19 except 10 and 15 (null amount)";
  ScanOptions amount_now;
  amount_now.filter = "amount > 4";
  EXPECT_FALSE(ScanAt(amount_now).ok());
}

TEST_F(TimeTravelTest, ByTimestampUsesTheSnapshotLog) {
  FLOE_ASSERT_OK(ScanAt({}).status());
  const auto& log = table_->metadata().snapshot_log;
  ASSERT_EQ(log.size(), 4u) << "S1, S2, S3, S5: the branch commit S4 is not in main's log";
  EXPECT_EQ(log[0].snapshot_id, s1_);
  EXPECT_EQ(log[1].snapshot_id, s2_);
  EXPECT_EQ(log[2].snapshot_id, s3_);
  EXPECT_EQ(log[3].snapshot_id, s5_);
  struct Case {
    int64_t at;
    int64_t want;
  };
  const int64_t t1 = Snap(s1_).timestamp_ms, t2 = Snap(s2_).timestamp_ms,
                t3 = Snap(s3_).timestamp_ms, t5 = Snap(s5_).timestamp_ms;
  ASSERT_LT(t1, t2);
  ASSERT_LT(t2, t3);
  for (Case c : {Case{t1, s1_}, Case{t2 - 1, s1_}, Case{t2, s2_}, Case{t3 - 1, s2_},
                 Case{t3, s3_}, Case{t5 - 1, s3_}, Case{t5, s5_}, Case{t5 + 86400000, s5_}}) {
    ScanOptions o;
    o.as_of_ms = c.at;
    FLOE_ASSERT_OK_AND_ASSIGN(auto scan, ScanAt(o));
    ASSERT_NE(scan->snapshot(), nullptr);
    EXPECT_EQ(scan->snapshot()->snapshot_id, c.want) << "as of " << c.at;
  }
  // As of S2's time: S2's rows with S2's schema.
  ScanOptions o;
  o.as_of_ms = t2;
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, ScanAt(o));
  EXPECT_EQ(ColumnNames(*scan), kSchema0);
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, scan->Count());
  EXPECT_EQ(n, 20);
  // Before the first snapshot: NotFound, saying when the first one is.
  o.as_of_ms = t1 - 1;
  auto early = ScanAt(o);
  ASSERT_FALSE(early.ok());
  EXPECT_TRUE(early.status().IsNotFound()) << early.status().ToString();
  EXPECT_NE(early.status().message().find("first snapshot"), std::string::npos)
      << early.status().ToString();
}

TEST_F(TimeTravelTest, ByTagWithTheTaggedSnapshotsSchema) {
  ScanOptions o;
  o.ref = "v1";
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, ScanAt(o));
  EXPECT_EQ(scan->snapshot()->snapshot_id, s1_);
  EXPECT_EQ(ColumnNames(*scan), kSchema0);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, scan->ToTable());
  EXPECT_EQ(testing::RowsOf(*rows), testing::RowsOf({EventsRange(0, 10)}));
}

TEST_F(TimeTravelTest, ByBranchWithTheTablesSchema) {
  ScanOptions o;
  o.ref = "dev";
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, ScanAt(o));
  EXPECT_EQ(scan->snapshot()->snapshot_id, s4_);
  EXPECT_EQ(ColumnNames(*scan), kSchema2);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, scan->ToTable());
  EXPECT_EQ(testing::RowsOf(*rows),
            testing::RowsOf({WithoutAmount(WithNote(EventsRange(0, 20), true)),
                             WithoutAmount(WithNote(EventsRange(500, 5), false))}));
  // The branch commit: parent S2, next sequence number, totals from S2.
  const spec::Snapshot& s4 = Snap(s4_);
  EXPECT_EQ(s4.parent_snapshot_id, s2_);
  EXPECT_EQ(s4.sequence_number, 4);
  EXPECT_EQ(testing::SummaryInt(s4, "total-records"), 25);
  EXPECT_EQ(table_->metadata().current_snapshot_id, s5_) << "main did not move";
  o.ref = "main";
  FLOE_ASSERT_OK_AND_ASSIGN(auto main, ScanAt(o));
  EXPECT_EQ(main->snapshot()->snapshot_id, s5_);
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, main->Count());
  EXPECT_EQ(n, 40);
}

TEST_F(TimeTravelTest, ErrorsForWhatDoesNotExist) {
  ScanOptions o;
  o.snapshot_id = 12345;
  auto no_snapshot = ScanAt(o);
  ASSERT_FALSE(no_snapshot.ok());
  EXPECT_TRUE(no_snapshot.status().IsNotFound());
  EXPECT_NE(no_snapshot.status().message().find("12345"), std::string::npos);

  ScanOptions r;
  r.ref = "nope";
  auto no_ref = ScanAt(r);
  ASSERT_FALSE(no_ref.ok());
  EXPECT_TRUE(no_ref.status().IsNotFound());
  EXPECT_NE(no_ref.status().message().find("refs are: dev, main, v1"), std::string::npos)
      << no_ref.status().ToString();

  ScanOptions two;
  two.snapshot_id = s1_;
  two.ref = "v1";
  auto both = ScanAt(two);
  ASSERT_FALSE(both.ok());
  EXPECT_TRUE(both.status().IsInvalid());

  // Ref management errors.
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  std::string location = t.metadata_location();
  auto taken = CreateRef(t, "v1", spec::RefType::kBranch, s2_);
  EXPECT_TRUE(taken.IsAlreadyExists()) << taken.ToString();
  auto missing = CreateRef(t, "x", spec::RefType::kTag, 999);
  EXPECT_TRUE(missing.IsNotFound()) << missing.ToString();
  auto main = DropRef(t, "main", std::nullopt);
  EXPECT_TRUE(main.IsInvalid()) << main.ToString();
  auto wrong_type = DropRef(t, "v1", spec::RefType::kBranch);
  EXPECT_TRUE(wrong_type.IsInvalid()) << wrong_type.ToString();
  auto unknown = DropRef(t, "zzz", std::nullopt);
  EXPECT_TRUE(unknown.IsNotFound()) << unknown.ToString();
  // Nothing was committed by the failures.
  FLOE_ASSERT_OK_AND_ASSIGN(Table again, Load("events"));
  EXPECT_EQ(again.metadata_location(), location);

  // A tag cannot be committed to.
  auto update = std::make_unique<SnapshotUpdate>(t.io().get(), "v1");
  Transaction tx(&t);
  FLOE_ASSERT_OK_AND_ASSIGN(auto writer, TableWriter::Make(t.metadata_ptr(), t.io()));
  FLOE_ASSERT_OK(writer->Write(*WithoutAmount(WithNote(EventsRange(900, 2), false))));
  FLOE_ASSERT_OK_AND_ASSIGN(auto files, writer->Finish());
  for (auto& f : files) update->AddFile(f);
  update->SetStartSnapshot(s1_);
  tx.Add(std::move(update));
  auto to_tag = tx.Commit();
  ASSERT_FALSE(to_tag.ok());
  EXPECT_NE(to_tag.status().message().find("tag"), std::string::npos) << to_tag.status().ToString();
  FLOE_ASSERT_OK_AND_ASSIGN(Table after, Load("events"));
  EXPECT_EQ(after.metadata_location(), location);
  EXPECT_EQ(TableFiles(after).count(files[0].file_path), 0u) << "the failed commit's file remains";

  // Dropping refs works and the tag is gone afterwards.
  FLOE_ASSERT_OK(DropRef(after, "v1", spec::RefType::kTag));
  ScanOptions gone;
  gone.ref = "v1";
  EXPECT_TRUE(ScanAt(gone).status().IsNotFound());
}

TEST_F(TimeTravelTest, EmptyTableHasNothingToTravelTo) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("empty"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto scan, TableScan::Make(t, {}));
  EXPECT_EQ(scan->snapshot(), nullptr);
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, scan->Count());
  EXPECT_EQ(n, 0);
  ScanOptions o;
  o.as_of_ms = util::NowMillis();
  auto at = TableScan::Make(t, o);
  ASSERT_FALSE(at.ok());
  EXPECT_TRUE(at.status().IsNotFound());
  ScanOptions m;
  m.ref = "main";
  FLOE_ASSERT_OK_AND_ASSIGN(auto main, TableScan::Make(t, m));
  EXPECT_EQ(main->snapshot(), nullptr);
  auto tag = CreateRef(t, "t", spec::RefType::kTag, std::nullopt);
  EXPECT_TRUE(tag.IsInvalid()) << tag.ToString();
}

}  // namespace
}  // namespace floe::table
