// Input the table schema refuses (missing required columns, wrong types,
// nulls in required columns, unknown columns, a failing source): the append
// or overwrite fails naming the column, the table is unchanged, and no file
// written for it remains — also when earlier batches were already written.
#include <gtest/gtest.h>

#include "floe/table/table_test_util.h"

namespace floe::table {
namespace {

using testing::EventsRange;
using testing::SourceOf;

std::shared_ptr<arrow::RecordBatch> Replace(const std::shared_ptr<arrow::RecordBatch>& b,
                                            const std::string& name,
                                            std::shared_ptr<arrow::Field> field,
                                            std::shared_ptr<arrow::Array> array) {
  int i = b->schema()->GetFieldIndex(name);
  auto removed = *b->RemoveColumn(i);
  if (!field) return removed;
  return *removed->AddColumn(i, std::move(field), std::move(array));
}

std::shared_ptr<arrow::Array> Strings(int64_t n, bool with_nulls = false) {
  arrow::StringBuilder b;
  for (int64_t i = 0; i < n; ++i) {
    (void)(with_nulls && i % 2 ? b.AppendNull() : b.Append("x" + std::to_string(i)));
  }
  std::shared_ptr<arrow::Array> out;
  (void)b.Finish(&out);
  return out;
}

std::shared_ptr<arrow::Array> Ids(int64_t first, int64_t n, bool with_nulls) {
  arrow::Int64Builder b;
  for (int64_t i = 0; i < n; ++i) {
    (void)(with_nulls && i == n - 1 ? b.AppendNull() : b.Append(first + i));
  }
  std::shared_ptr<arrow::Array> out;
  (void)b.Finish(&out);
  return out;
}

struct BadCase {
  const char* name;
  std::function<std::shared_ptr<arrow::RecordBatch>()> batch;
  const char* message;  // a part of the error message
};

class BadInputTest : public testing::TableTest {
 protected:
  void SetUp() override {
    TableTest::SetUp();
    if (HasFatalFailure()) return;
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events", "category", 2));
    FLOE_ASSERT_OK(AppendIds(t, 0, 30).status());
    location_ = t.metadata_location();
    files_ = TableFiles(t);
    FLOE_ASSERT_OK_AND_ASSIGN(rows_, testing::ScanRows(t));
  }

  // Runs `op`, which must fail with `message`, and checks nothing changed.
  void ExpectRefused(const std::function<Result<WriteReport>(Table&)>& op,
                     const std::string& message) {
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
    auto r = op(t);
    ASSERT_FALSE(r.ok()) << "expected a failure mentioning " << message;
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().ToString();
    FLOE_ASSERT_OK_AND_ASSIGN(Table now, Load("events"));
    EXPECT_EQ(now.metadata_location(), location_);
    FLOE_ASSERT_OK_AND_ASSIGN(auto rows, testing::ScanRows(now));
    EXPECT_EQ(rows, rows_);
    auto files = TableFiles(now);
    std::vector<std::string> left;
    std::set_difference(files.begin(), files.end(), files_.begin(), files_.end(),
                        std::back_inserter(left));
    EXPECT_TRUE(left.empty()) << "left behind: " << ::testing::PrintToString(left);
    EXPECT_EQ(files.size() - left.size(), files_.size()) << "files of the table were deleted";
  }

  std::string location_;
  std::set<std::string> files_;
  testing::RowMap rows_;
};

std::vector<BadCase> BadBatches() {
  const int64_t n = 12;
  return {
      {"MissingRequiredColumn",
       [] { return Replace(EventsRange(100, n), "id", nullptr, nullptr); },
       "missing required column 'id'"},
      {"WrongType",
       [] {
         return Replace(EventsRange(100, n), "id", arrow::field("id", arrow::utf8()), Strings(n));
       },
       "'id'"},
      {"NullsInRequiredColumn",
       [] {
         return Replace(EventsRange(100, n), "id", arrow::field("id", arrow::int64()),
                        Ids(100, n, true));
       },
       "'id' is required but has 1 null"},
      {"UnknownColumn",
       [] {
         auto b = EventsRange(100, n);
         return *b->AddColumn(b->num_columns(), arrow::field("extra", arrow::utf8()), Strings(n));
       },
       "'extra' is not in the table schema"},
      {"TimestampWithZoneIntoTimestamp",
       [] {
         arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                    arrow::default_memory_pool());
         for (int64_t i = 0; i < n; ++i) (void)ts.Append(i);
         std::shared_ptr<arrow::Array> a;
         (void)ts.Finish(&a);
         return Replace(EventsRange(100, n), "ts",
                        arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")), a);
       },
       "'ts'"},
  };
}

TEST_F(BadInputTest, AppendRefusesBadBatches) {
  for (const BadCase& c : BadBatches()) {
    SCOPED_TRACE(c.name);
    // The bad batch alone, and after two good batches (files already open
    // in several partitions, some closed by an earlier batch).
    ExpectRefused([&](Table& t) { return Append(t, SourceOf({c.batch()})); }, c.message);
    ExpectRefused(
        [&](Table& t) {
          return Append(t, SourceOf({EventsRange(200, 20), EventsRange(220, 20), c.batch()}));
        },
        c.message);
  }
}

TEST_F(BadInputTest, OverwriteRefusesBadBatches) {
  for (const BadCase& c : BadBatches()) {
    SCOPED_TRACE(c.name);
    ExpectRefused(
        [&](Table& t) {
          return OverwriteWhere(t, "id < 5", SourceOf({EventsRange(300, 10), c.batch()}));
        },
        c.message);
  }
}

TEST_F(BadInputTest, FailingSourceLeavesNothing) {
  ExpectRefused(
      [](Table& t) {
        auto calls = std::make_shared<int>(0);
        BatchSource source = [calls]() -> Result<std::shared_ptr<arrow::RecordBatch>> {
          if (++*calls <= 2) return EventsRange(400 + *calls * 10, 10);
          return Status::IOError("input.parquet: truncated file");
        };
        return Append(t, source);
      },
      "truncated file");
}

TEST_F(BadInputTest, SafeCastsAreAccepted) {
  // Control: an int32 id column and a different column order are fine.
  auto b = EventsRange(500, 6);
  arrow::Int32Builder ids;
  for (int i = 0; i < 6; ++i) (void)ids.Append(500 + i);
  std::shared_ptr<arrow::Array> a;
  (void)ids.Finish(&a);
  auto narrowed = Replace(b, "id", nullptr, nullptr);
  narrowed = *narrowed->AddColumn(narrowed->num_columns(), arrow::field("id", arrow::int32(), false), a);
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto r, Append(t, SourceOf({narrowed})));
  EXPECT_EQ(r.rows_added, 6);
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, testing::ScanRows(t));
  auto expected = rows_;
  testing::AddRows(*b, &expected);
  EXPECT_EQ(rows, expected);
}

}  // namespace
}  // namespace floe::table
