// Commits under contention and failure: lost races retried, retries
// exhausted, copy-on-write deletes re-planned after concurrent commits
// (serializable isolation), and every step of a commit failed in turn with
// nothing left behind.
#include <gtest/gtest.h>

#include <iostream>

#include "floe/table/snapshot_summary.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_test_util.h"
#include "floe/table/table_writer.h"
#include "support/fault_injecting_file_io.h"

namespace floe::table {
namespace {

using ::floe::testing::FaultInjectingFileIO;
using testing::CategoryOf;
using testing::EventsRange;
using testing::RowMap;
using testing::SourceOf;
using Op = FaultInjectingFileIO::Op;

// The commit uuids of the manifest lists written through `io`
// (snap-<snapshot id>-<attempt>-<commit uuid>.avro): one per plan.
std::set<std::string> CommitUuids(const FaultInjectingFileIO& io) {
  std::set<std::string> out;
  for (const std::string& loc : io.written()) {
    std::string name = loc.substr(loc.rfind('/') + 1);
    if (name.rfind("snap-", 0) != 0) continue;
    size_t a = name.find('-', 5);
    size_t b = name.find('-', a + 1);
    out.insert(name.substr(b + 1));
  }
  return out;
}

bool IsManifestList(const std::string& location) {
  return location.find("/snap-") != std::string::npos;
}

class TransactionTest : public testing::TableTest {
 protected:
  // The table folder holds exactly what the metadata reaches.
  void ExpectNoOrphans(const std::string& name) {
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load(name));
    FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, testing::ReachableFiles(*t.io(), t.loaded()));
    EXPECT_EQ(TableFiles(t), reachable);
  }

  // A catalog whose FileIO is `faulty` (same database and warehouse).
  std::shared_ptr<catalog::Catalog> FaultyCatalog(std::shared_ptr<FaultInjectingFileIO> faulty) {
    auto cat = OpenCatalog(std::move(faulty));
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    return cat.ValueOr(nullptr);
  }
};

TEST_F(TransactionTest, LostRaceRetriesAndSucceeds) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table created, Create("events", "category", 2,
                                                  {{"commit.retry.min-wait-ms", "1"},
                                                   {"commit.retry.max-wait-ms", "5"}}));
  // Two writers, each with its own catalog connection, loaded at the same state.
  FLOE_ASSERT_OK_AND_ASSIGN(auto other_catalog, OpenCatalog());
  FLOE_ASSERT_OK_AND_ASSIGN(Table a, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(Table b, Load("events", other_catalog));
  RowMap expected;
  int64_t next = 0;
  for (int round = 0; round < 6; ++round) {
    for (Table* t : {&a, &b}) {
      auto batch = EventsRange(next, 10);
      next += 10;
      FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r, Append(*t, SourceOf({batch})));
      testing::AddRows(*batch, &expected);
      // Each writer's view is one commit behind, except the very first.
      bool first = round == 0 && t == &a;
      EXPECT_EQ(r.attempts, first ? 1 : 2) << "round " << round;
    }
  }
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  EXPECT_EQ(t.metadata_location(), b.metadata_location());
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
  EXPECT_EQ(rows, expected);
  // A straight line of 12 snapshots with sequence numbers 1..12.
  const auto& md = t.metadata();
  ASSERT_EQ(md.snapshots.size(), 12u);
  spec::SnapshotIndex index(md);
  auto chain = index.Ancestors(*md.current_snapshot_id);
  ASSERT_EQ(chain.size(), 12u);
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i]->sequence_number, static_cast<int64_t>(12 - i));
    EXPECT_EQ(testing::SummaryInt(*chain[i], "total-records"), static_cast<int64_t>(10 * (12 - i)));
    // Every commit but the first lost one race; the summary says so.
    auto retries = chain[i]->SummaryValue(kCommitRetriesProperty);
    if (i + 1 == chain.size()) {
      EXPECT_FALSE(retries.has_value());
    } else {
      EXPECT_EQ(retries.value_or("absent"), "1") << "snapshot " << i;
    }
  }
  EXPECT_EQ(md.metadata_log.size(), 12u);
  // The losing attempts' manifest lists and metadata files were deleted.
  ExpectNoOrphans("events");
}

TEST_F(TransactionTest, NoRetriesMeansAConflictAndNoFilesLeft) {
  FLOE_ASSERT_OK(Create("events", "category", 2, {{"commit.retry.num-retries", "0"}}).status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table a, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(Table b, Load("events"));
  FLOE_ASSERT_OK(AppendIds(a, 0, 20).status());
  const auto files_before = TableFiles(a);
  const std::string location = a.metadata_location();

  auto lost = AppendIds(b, 100, 20);
  ASSERT_FALSE(lost.ok());
  EXPECT_TRUE(lost.status().IsCommitConflict()) << lost.status().ToString();
  EXPECT_NE(lost.status().message().find("commit.retry.num-retries"), std::string::npos)
      << lost.status().ToString();
  EXPECT_EQ(TableFiles(a), files_before) << "the failed append left files behind";
  FLOE_ASSERT_OK_AND_ASSIGN(Table now, Load("events"));
  EXPECT_EQ(now.metadata_location(), location);
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(now));
  EXPECT_EQ(n, 20);

  // The same for a copy-on-write delete that rewrites files, and an overwrite.
  FLOE_ASSERT_OK_AND_ASSIGN(Table c, Load("events"));
  FLOE_ASSERT_OK(AppendIds(a, 200, 20).status());
  const auto files_before2 = TableFiles(a);
  auto lost_delete = DeleteWhere(c, "amount > 3");
  ASSERT_FALSE(lost_delete.ok());
  EXPECT_TRUE(lost_delete.status().IsCommitConflict()) << lost_delete.status().ToString();
  EXPECT_EQ(TableFiles(a), files_before2);
  FLOE_ASSERT_OK_AND_ASSIGN(Table d, Load("events"));
  FLOE_ASSERT_OK(AppendIds(a, 300, 20).status());
  const auto files_before3 = TableFiles(a);
  auto lost_overwrite = OverwriteWhere(d, "amount > 3", SourceOf({EventsRange(400, 5)}));
  ASSERT_FALSE(lost_overwrite.ok());
  EXPECT_TRUE(lost_overwrite.status().IsCommitConflict()) << lost_overwrite.status().ToString();
  EXPECT_EQ(TableFiles(a), files_before3);
  ExpectNoOrphans("events");
}

// A copy-on-write delete plans against snapshot S; before it commits,
// another writer appends rows the filter matches. Serializable isolation:
// the delete must not commit a plan that misses those rows. Floe detects the
// conflict on retry and plans again on the new state, so the delete applies
// after the append: neither the old nor the new matching rows remain.
TEST_F(TransactionTest, DeleteIsReplannedAfterAConcurrentMatchingAppend) {
  FLOE_ASSERT_OK(Create("events", "", 2, {{"commit.retry.min-wait-ms", "1"}}).status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  RowMap expected;
  auto old_rows = EventsRange(0, 60);
  FLOE_ASSERT_OK(Append(setup, SourceOf({old_rows})).status());
  testing::AddRows(*old_rows, &expected);

  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  auto deleter_catalog = FaultyCatalog(faulty);
  FLOE_ASSERT_OK_AND_ASSIGN(Table deleter, Load("events", deleter_catalog));
  auto new_rows = EventsRange(100, 20);
  int concurrent = 0;
  faulty->SetHook([&](Op op, const std::string& location) {
    if (op != Op::kWriteNewFile || !IsManifestList(location) || concurrent++ > 0) return;
    // The delete has planned and is committing: append matching rows now.
    auto other = Load("events");
    ASSERT_TRUE(other.ok());
    auto r = Append(*other, SourceOf({new_rows}));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  });
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r, DeleteWhere(deleter, "category = 'a'"));
  faulty->SetHook(nullptr);
  EXPECT_EQ(concurrent, 2) << "the hook ran for the first plan and again for the second";
  testing::AddRows(*new_rows, &expected);
  int64_t matching = std::erase_if(expected, [](const auto& kv) {
    return CategoryOf(kv.first) == std::string("a");
  });
  EXPECT_EQ(r.rows_deleted, matching) << "the report covers the re-planned delete";
  EXPECT_EQ(CommitUuids(*faulty).size(), 2u) << "planned twice";

  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
  EXPECT_EQ(rows, expected);
  ScanOptions a;
  a.filter = "category = 'a'";
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t left, testing::CountRows(t, a));
  EXPECT_EQ(left, 0) << "the concurrently appended matching rows escaped the delete";
  // History: the append, the concurrent append, then the delete on top of it.
  const auto& md = t.metadata();
  ASSERT_EQ(md.snapshots.size(), 3u);
  EXPECT_EQ(md.CurrentSnapshot()->parent_snapshot_id, md.snapshots[1].snapshot_id);
  ExpectNoOrphans("events");
}

TEST_F(TransactionTest, DeleteGivesUpWithASerializableConflictMessage) {
  // One retry and a writer that appends matching rows during every plan:
  // the delete fails, saying why, and leaves the table as the appends made it.
  FLOE_ASSERT_OK(Create("events", "", 2, {{"commit.retry.num-retries", "1"},
                                          {"commit.retry.min-wait-ms", "1"}})
                     .status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  FLOE_ASSERT_OK(AppendIds(setup, 0, 30).status());
  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  FLOE_ASSERT_OK_AND_ASSIGN(Table deleter, Load("events", FaultyCatalog(faulty)));
  int64_t next = 1000;
  int appends = 0;
  faulty->SetHook([&](Op op, const std::string& location) {
    if (op != Op::kWriteNewFile || !IsManifestList(location)) return;
    auto other = Load("events");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(AppendIds(*other, next, 6).ok());
    next += 6;
    ++appends;
  });
  auto r = DeleteWhere(deleter, "category = 'a'");
  faulty->SetHook(nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCommitConflict()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("serializable isolation"), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("may hold rows matching"), std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(appends, 2) << "two plans (num-retries + 1)";
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, testing::CountRows(t));
  EXPECT_EQ(n, 30 + 6 * appends);
  EXPECT_EQ(t.metadata().CurrentSnapshot()->operation, "append");
  ExpectNoOrphans("events");
}

TEST_F(TransactionTest, DeleteIsNotReplannedForANonMatchingConcurrentAppend) {
  FLOE_ASSERT_OK(Create("events", "", 2, {{"commit.retry.min-wait-ms", "1"}}).status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  FLOE_ASSERT_OK(AppendIds(setup, 0, 60).status());
  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  FLOE_ASSERT_OK_AND_ASSIGN(Table deleter, Load("events", FaultyCatalog(faulty)));
  bool done = false;
  faulty->SetHook([&](Op op, const std::string& location) {
    if (op != Op::kWriteNewFile || !IsManifestList(location) || done) return;
    done = true;
    auto other = Load("events");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(AppendIds(*other, 1000, 20).ok());  // metrics: id >= 1000
  });
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r, DeleteWhere(deleter, "id < 30"));
  faulty->SetHook(nullptr);
  EXPECT_EQ(r.attempts, 2) << "lost the race once, then committed the same plan";
  EXPECT_EQ(CommitUuids(*faulty).size(), 1u) << "no re-plan was needed";
  EXPECT_EQ(r.rows_deleted, 30);
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  RowMap expected = testing::RowsOf({EventsRange(30, 30), EventsRange(1000, 20)});
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
  EXPECT_EQ(rows, expected);
  ExpectNoOrphans("events");
}

TEST_F(TransactionTest, DeleteIsReplannedWhenItsFileWasRewrittenConcurrently) {
  FLOE_ASSERT_OK(Create("events", "", 2, {{"commit.retry.min-wait-ms", "1"}}).status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  FLOE_ASSERT_OK(AppendIds(setup, 0, 60).status());  // one data file
  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  FLOE_ASSERT_OK_AND_ASSIGN(Table deleter, Load("events", FaultyCatalog(faulty)));
  bool done = false;
  faulty->SetHook([&](Op op, const std::string& location) {
    if (op != Op::kWriteNewFile || !IsManifestList(location) || done) return;
    done = true;
    // Another delete rewrites (removes) the very file this delete rewrites.
    auto other = Load("events");
    ASSERT_TRUE(other.ok());
    auto r = DeleteWhere(*other, "id < 10");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->files_removed, 1);
  });
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r, DeleteWhere(deleter, "id >= 50"));
  faulty->SetHook(nullptr);
  EXPECT_EQ(CommitUuids(*faulty).size(), 2u) << "planned again on the rewritten file";
  EXPECT_EQ(r.rows_deleted, 10);
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
  EXPECT_EQ(rows, testing::RowsOf({EventsRange(10, 40)})) << "both deletes apply";
  ExpectNoOrphans("events");
}

TEST_F(TransactionTest, DeleteOfRowsAlreadyDeletedConcurrentlyChangesNothing) {
  FLOE_ASSERT_OK(Create("events", "category", 2, {{"commit.retry.min-wait-ms", "1"}}).status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  FLOE_ASSERT_OK(AppendIds(setup, 0, 60).status());
  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  FLOE_ASSERT_OK_AND_ASSIGN(Table deleter, Load("events", FaultyCatalog(faulty)));
  bool done = false;
  faulty->SetHook([&](Op op, const std::string& location) {
    if (op != Op::kWriteNewFile || !IsManifestList(location) || done) return;
    done = true;
    auto other = Load("events");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(DeleteWhere(*other, "category = 'b'").ok());  // drops the same file
  });
  FLOE_ASSERT_OK_AND_ASSIGN(WriteReport r, DeleteWhere(deleter, "category = 'b'"));
  faulty->SetHook(nullptr);
  EXPECT_FALSE(r.changed) << "on the re-plan nothing matches any more";
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events"));
  EXPECT_EQ(t.metadata().snapshots.size(), 2u);
  FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows, testing::ScanRows(t));
  RowMap expected = testing::RowsOf({EventsRange(0, 60)});
  std::erase_if(expected, [](const auto& kv) { return CategoryOf(kv.first) == std::string("b"); });
  EXPECT_EQ(rows, expected);
  ExpectNoOrphans("events");
}

// ---- Failure cleanup: fail the n-th call of one FileIO operation, for
// n = 1, 2, ... until the operation no longer reaches that call. After each
// failure the table must be unchanged (same metadata file, same rows) and
// the table folder must hold exactly the files it held before.

enum class Operation { kAppend, kDeleteRewrite, kDeleteDrop, kOverwrite };

struct FaultCase {
  Operation operation;
  Op fault;
  // Another writer commits (rows the filters match) after the Table was
  // loaded: the first attempt loses the race, so the retry and re-plan paths
  // are failed too.
  bool concurrent = false;
};

std::string OperationName(Operation o) {
  switch (o) {
    case Operation::kAppend: return "Append";
    case Operation::kDeleteRewrite: return "DeleteRewrite";
    case Operation::kDeleteDrop: return "DeleteDrop";
    case Operation::kOverwrite: return "Overwrite";
  }
  return "?";
}

std::string FaultCaseName(const ::testing::TestParamInfo<FaultCase>& info) {
  return OperationName(info.param.operation) + "_" + FaultInjectingFileIO::OpName(info.param.fault) +
         (info.param.concurrent ? "_AfterConcurrentCommit" : "");
}

class FailureCleanupTest : public TransactionTest,
                           public ::testing::WithParamInterface<FaultCase> {
 protected:
  Result<WriteReport> Run(Operation o, Table& t) {
    switch (o) {
      case Operation::kAppend:
        // Two batches over four partitions: several data files.
        return Append(t, SourceOf({EventsRange(100, 20), EventsRange(120, 20)}));
      case Operation::kDeleteRewrite: return DeleteWhere(t, "amount > 10");
      case Operation::kDeleteDrop: return DeleteWhere(t, "category = 'a'");
      case Operation::kOverwrite:
        return OverwriteWhere(t, "amount > 10", SourceOf({EventsRange(100, 20)}));
    }
    return Status::Invalid("unknown operation");
  }
  RowMap Expected(Operation o, RowMap rows) {
    auto big_amount = [](int64_t id) { return id % 5 != 0 && id * 0.5 > 10; };
    switch (o) {
      case Operation::kAppend:
        testing::AddRows(*EventsRange(100, 40), &rows);
        break;
      case Operation::kDeleteRewrite:
        std::erase_if(rows, [&](const auto& kv) { return big_amount(kv.first); });
        break;
      case Operation::kDeleteDrop:
        std::erase_if(rows, [](const auto& kv) { return CategoryOf(kv.first) == std::string("a"); });
        break;
      case Operation::kOverwrite:
        std::erase_if(rows, [&](const auto& kv) { return big_amount(kv.first); });
        testing::AddRows(*EventsRange(100, 20), &rows);
        break;
    }
    return rows;
  }
};

TEST_P(FailureCleanupTest, FailedStepLeavesTableAndFolderUnchanged) {
  const FaultCase& c = GetParam();
  int failures = 0;
  bool finished = false;
  for (int n = 1; n <= 60 && !finished; ++n) {
    SCOPED_TRACE(std::string("failing ") + FaultInjectingFileIO::OpName(c.fault) + " call #" +
                 std::to_string(n));
    std::string name = "t" + std::to_string(n);
    // Two appends through the plain catalog: 8 files in 4 partitions.
    FLOE_ASSERT_OK_AND_ASSIGN(Table setup,
                              Create(name, "category", 2, {{"commit.retry.min-wait-ms", "1"}}));
    FLOE_ASSERT_OK(AppendIds(setup, 0, 30).status());
    FLOE_ASSERT_OK(AppendIds(setup, 30, 30).status());
    auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load(name, FaultyCatalog(faulty)));
    if (c.concurrent) FLOE_ASSERT_OK(AppendIds(setup, 500, 10).status());
    const std::string location = setup.metadata_location();
    const auto files_before = TableFiles(setup);
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows_before, testing::ScanRows(setup));

    faulty->FailNth(c.fault, n);
    Result<WriteReport> r = Run(c.operation, t);
    bool fired = faulty->fired();
    std::string fired_at = faulty->fired_location();
    faulty->Disarm();

    FLOE_ASSERT_OK_AND_ASSIGN(Table now, Load(name));
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows_now, testing::ScanRows(now));
    if (!r.ok()) {
      ++failures;
      EXPECT_TRUE(fired) << "failed without the injected fault: " << r.status().ToString();
      EXPECT_NE(r.status().message().find("injected fault"), std::string::npos)
          << "the error should be the injected one: " << r.status().ToString();
      EXPECT_EQ(now.metadata_location(), location) << r.status().ToString();
      EXPECT_EQ(rows_now, rows_before);
      auto files_after = TableFiles(now);
      std::vector<std::string> left, lost;
      std::set_difference(files_after.begin(), files_after.end(), files_before.begin(),
                          files_before.end(), std::back_inserter(left));
      std::set_difference(files_before.begin(), files_before.end(), files_after.begin(),
                          files_after.end(), std::back_inserter(lost));
      EXPECT_TRUE(left.empty()) << "after \"" << r.status().ToString() << "\" (fault at "
                                << fired_at << ") these files remain:\n  "
                                << ::testing::PrintToString(left);
      EXPECT_TRUE(lost.empty()) << "files of the table were deleted: "
                                << ::testing::PrintToString(lost);
      continue;
    }
    // The operation succeeded: the fault must not have fired (an ignored
    // failed close could mean a truncated file), and the change is complete.
    EXPECT_FALSE(fired) << "the injected fault at " << fired_at
                        << " was ignored and the operation committed";
    EXPECT_NE(now.metadata_location(), location);
    EXPECT_EQ(rows_now, Expected(c.operation, rows_before));
    ExpectNoOrphans(name);
    finished = true;
  }
  EXPECT_TRUE(finished) << "the operation never completed";
  // Data files are written by all but a delete of whole files, and read
  // only by rewrites.
  bool writes_data = c.operation != Operation::kDeleteDrop;
  bool reads_data = c.operation == Operation::kDeleteRewrite || c.operation == Operation::kOverwrite;
  bool reaches = (c.fault != Op::kOpenOutput && c.fault != Op::kOutputClose) || writes_data;
  if (c.fault == Op::kOpenInput) reaches = reads_data;
  if (reaches) {
    EXPECT_GT(failures, 0) << "the operation never called " << FaultInjectingFileIO::OpName(c.fault);
  }
  std::cout << "[          ] " << OperationName(c.operation) << " / "
            << FaultInjectingFileIO::OpName(c.fault) << (c.concurrent ? " (after a concurrent commit)" : "")
            << ": " << failures
            << " failure points checked\n";
}

std::vector<FaultCase> AllFaultCases() {
  std::vector<FaultCase> out;
  for (Operation o : {Operation::kAppend, Operation::kDeleteRewrite, Operation::kDeleteDrop,
                      Operation::kOverwrite}) {
    for (Op f : {Op::kWriteNewFile, Op::kOpenOutput, Op::kOutputClose, Op::kReadFile,
                 Op::kOpenInput}) {
      out.push_back({o, f, false});
      out.push_back({o, f, true});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryStep, FailureCleanupTest, ::testing::ValuesIn(AllFaultCases()),
                         FaultCaseName);

TEST_F(TransactionTest, FailedCreateLeavesNothing) {
  auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
  auto cat = FaultyCatalog(faulty);
  faulty->FailNth(Op::kWriteNewFile, 1);
  NewTableOptions o;
  FLOE_ASSERT_OK_AND_ASSIGN(o.schema, expr::ParseSchema(testing::kEventsSchema));
  auto created = CreateTable(cat, Id("events"), o);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(faulty->fired());
  auto loaded = catalog_->LoadTable(Id("events"));
  EXPECT_TRUE(loaded.status().IsNotFound()) << loaded.status().ToString();
  EXPECT_TRUE(testing::ListFiles(*io::MakeLocalFileIO(), warehouse_).empty());
  // And it can be created afterwards.
  faulty->Disarm();
  FLOE_ASSERT_OK(CreateTable(cat, Id("events"), o).status());
}

TEST_F(TransactionTest, AbortDeletesPreparedFiles) {
  FLOE_ASSERT_OK_AND_ASSIGN(Table t, Create("events"));
  const auto before = TableFiles(t);
  FLOE_ASSERT_OK_AND_ASSIGN(auto writer, TableWriter::Make(t.metadata_ptr(), t.io()));
  FLOE_ASSERT_OK(writer->Write(*EventsRange(0, 10)));
  FLOE_ASSERT_OK_AND_ASSIGN(auto files, writer->Finish());
  ASSERT_EQ(files.size(), 1u);
  auto update = std::make_unique<SnapshotUpdate>(t.io().get(), spec::kMainBranch);
  for (auto& f : files) update->AddFile(f);
  Transaction tx(&t);
  tx.Add(std::move(update));
  EXPECT_NE(TableFiles(t), before);
  tx.Abort();
  EXPECT_EQ(TableFiles(t), before);
}

// Forwards to a catalog, but every CommitTable ends with CommitStateUnknown
// (as when the connection drops during the UPDATE): after really swapping
// the pointer when `land` is true, else after only writing the metadata file.
class UnknownOutcomeCatalog final : public catalog::Catalog {
 public:
  UnknownOutcomeCatalog(std::shared_ptr<catalog::Catalog> base, bool land)
      : base_(std::move(base)), land_(land) {}
  const std::string& name() const override { return base_->name(); }
  std::shared_ptr<io::FileIO> io() const override { return base_->io(); }
  Status CreateNamespace(const catalog::Namespace& ns, const catalog::Properties& p) override {
    return base_->CreateNamespace(ns, p);
  }
  Result<bool> NamespaceExists(const catalog::Namespace& ns) override {
    return base_->NamespaceExists(ns);
  }
  Result<std::vector<catalog::Namespace>> ListNamespaces(
      const std::optional<catalog::Namespace>& parent) override {
    return base_->ListNamespaces(parent);
  }
  Result<catalog::Properties> LoadNamespaceProperties(const catalog::Namespace& ns) override {
    return base_->LoadNamespaceProperties(ns);
  }
  Status DropNamespace(const catalog::Namespace& ns) override { return base_->DropNamespace(ns); }
  Result<std::vector<catalog::TableIdentifier>> ListTables(const catalog::Namespace& ns) override {
    return base_->ListTables(ns);
  }
  Result<catalog::LoadedTable> LoadTable(const catalog::TableIdentifier& id) override {
    return base_->LoadTable(id);
  }
  Result<std::string> DefaultTableLocation(const catalog::TableIdentifier& id) override {
    return base_->DefaultTableLocation(id);
  }
  Result<catalog::LoadedTable> CreateTable(const catalog::TableIdentifier& id,
                                           const spec::TableMetadata& md) override {
    return base_->CreateTable(id, md);
  }
  Result<catalog::LoadedTable> CommitTable(const catalog::LoadedTable& base,
                                           const spec::TableMetadata& updated) override {
    if (land_) {
      FLOE_RETURN_NOT_OK(base_->CommitTable(base, updated).status());
    } else {
      std::string location = catalog::NewMetadataLocation(
          updated, catalog::MetadataVersion(base.metadata_location) + 1);
      FLOE_RETURN_NOT_OK(catalog::WriteMetadataFile(*io(), location, updated));
    }
    return Status::CommitStateUnknown("injected: the connection dropped during the commit");
  }
  Status RenameTable(const catalog::TableIdentifier& a, const catalog::TableIdentifier& b) override {
    return base_->RenameTable(a, b);
  }
  Result<catalog::LoadedTable> DropTable(const catalog::TableIdentifier& id) override {
    return base_->DropTable(id);
  }
  Result<catalog::LoadedTable> RegisterTable(const catalog::TableIdentifier& id,
                                             const std::string& location) override {
    return base_->RegisterTable(id, location);
  }

 private:
  std::shared_ptr<catalog::Catalog> base_;
  bool land_;
};

class CommitStateUnknownTest : public TransactionTest,
                               public ::testing::WithParamInterface<bool> {};

// An unknown outcome must delete nothing: if the swap happened, every file
// the new metadata references must still exist.
TEST_P(CommitStateUnknownTest, NothingIsDeleted) {
  const bool landed = GetParam();
  FLOE_ASSERT_OK(Create("events", "category").status());
  FLOE_ASSERT_OK_AND_ASSIGN(Table setup, Load("events"));
  FLOE_ASSERT_OK(AppendIds(setup, 0, 30).status());
  auto unknown = std::make_shared<UnknownOutcomeCatalog>(catalog_, landed);
  for (int op = 0; op < 3; ++op) {
    SCOPED_TRACE(op == 0 ? "append" : op == 1 ? "delete (rewrite)" : "overwrite");
    FLOE_ASSERT_OK_AND_ASSIGN(Table before, Load("events"));
    const auto files_before = TableFiles(before);
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows_before, testing::ScanRows(before));
    FLOE_ASSERT_OK_AND_ASSIGN(Table t, Load("events", unknown));
    Result<WriteReport> r =
        op == 0 ? AppendIds(t, 100 + op * 100, 20)
        : op == 1 ? DeleteWhere(t, "amount > 5")
                  : OverwriteWhere(t, "amount > 5", SourceOf({EventsRange(300, 10)}));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.status().IsCommitStateUnknown()) << r.status().ToString();
    FLOE_ASSERT_OK_AND_ASSIGN(Table now, Load("events"));
    auto files_now = TableFiles(now);
    // Nothing that existed went away, and the new files (data, manifests,
    // manifest list, metadata) were all kept.
    EXPECT_TRUE(std::includes(files_now.begin(), files_now.end(), files_before.begin(),
                              files_before.end()));
    EXPECT_GT(files_now.size(), files_before.size());
    FLOE_ASSERT_OK_AND_ASSIGN(auto reachable, testing::ReachableFiles(*now.io(), now.loaded()));
    EXPECT_TRUE(std::includes(files_now.begin(), files_now.end(), reachable.begin(),
                              reachable.end()))
        << "the current metadata references deleted files";
    FLOE_ASSERT_OK_AND_ASSIGN(RowMap rows_now, testing::ScanRows(now));
    if (landed) {
      EXPECT_NE(now.metadata_location(), before.metadata_location());
      EXPECT_NE(rows_now, rows_before);
    } else {
      EXPECT_EQ(now.metadata_location(), before.metadata_location());
      EXPECT_EQ(rows_now, rows_before);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Outcome, CommitStateUnknownTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("SwapLanded")
                                             : std::string("SwapNotLanded");
                         });

}  // namespace
}  // namespace floe::table
