// Concurrent commits to one table from threads and from processes: every
// successful commit must be in the table's history exactly once (no lost
// update), whatever the interleaving.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "floe/catalog/catalog_test_util.h"
#include "floe/catalog/sql_catalog.h"

namespace floe::catalog {
namespace {

using ::testing::HasSubstr;

const Namespace kNs{"db"};
constexpr const char* kTable = "t";
constexpr const char* kInitial = "s3://w/db/t/metadata/000000-init.metadata.json";

// "s3://w/db/t/metadata/000042-w3-7.metadata.json": the sequence number the
// writer computed from the location it read, then who wrote it.
std::string Location(int seq, const std::string& worker, int i) {
  char buffer[128];
  std::snprintf(buffer, sizeof(buffer), "s3://w/db/t/metadata/%06d-%s-%d.metadata.json", seq,
                worker.c_str(), i);
  return buffer;
}

int SequenceOf(const std::string& location) {
  return std::stoi(location.substr(location.find("metadata/") + 9, 6));
}

struct CommitLog {
  std::vector<std::pair<std::string, std::string>> commits;  // (expected, new)
  int conflicts = 0;
};

// What a table layer does: read the current pointer, write the next one, and
// on CommitConflict reload and retry.
Status CommitLoop(SqlCatalog& catalog, const std::string& worker, int count, CommitLog* log) {
  for (int i = 0; i < count;) {
    FLOE_ASSIGN_OR_RAISE(TableEntry current, catalog.LoadTable(kNs, kTable));
    std::string next = Location(SequenceOf(current.metadata_location) + 1, worker, i);
    Status st = catalog.CommitTable(kNs, kTable, current.metadata_location, next);
    if (st.ok()) {
      log->commits.emplace_back(current.metadata_location, next);
      ++i;
    } else if (st.IsCommitConflict()) {
      ++log->conflicts;
    } else {
      return st.WithContext("worker " + worker);
    }
  }
  return Status::OK();
}

// The commits form one chain from kInitial to the table's current location,
// with no base used twice.
void ExpectOneChain(SqlCatalog& catalog, const std::vector<CommitLog>& logs, size_t total) {
  std::map<std::string, std::string> next_of;
  size_t commits = 0;
  for (const CommitLog& log : logs) {
    for (const auto& [expected, next] : log.commits) {
      ++commits;
      EXPECT_TRUE(next_of.emplace(expected, next).second)
          << "two commits succeeded from the same base " << expected << " (a lost update)";
    }
  }
  EXPECT_EQ(commits, total);
  std::string at = kInitial;
  for (size_t i = 0; i < total && next_of.count(at); ++i) at = next_of[at];
  Result<TableEntry> current = catalog.LoadTable(kNs, kTable);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->metadata_location, at);
  EXPECT_EQ(static_cast<size_t>(SequenceOf(current->metadata_location)), total);
}

using ConcurrencyTest = DatabaseTest;

TEST_P(ConcurrencyTest, ThreadsSharingOneCatalogLoseNoCommit) {
  constexpr int kThreads = 8;
  constexpr int kCommitsEach = 25;
  SqlCatalogOptions options;
  options.backend.max_connections = 4;  // fewer than threads: the pool is shared
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog("default", options));
  FLOE_ASSERT_OK(catalog->CreateNamespace(kNs));
  FLOE_ASSERT_OK(catalog->CreateTable(kNs, kTable, kInitial));

  std::vector<CommitLog> logs(kThreads);
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = CommitLoop(*catalog, "t" + std::to_string(t), kCommitsEach, &logs[t]);
    });
  }
  for (std::thread& t : threads) t.join();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start).count();
  int conflicts = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(results[t].ok()) << results[t].ToString();
    conflicts += logs[t].conflicts;
  }
  ExpectOneChain(*catalog, logs, kThreads * kCommitsEach);
  std::cerr << "[floe] " << DbKindName({GetParam(), 0}) << ": " << kThreads << " threads x "
            << kCommitsEach << " commits in " << ms << " ms, " << conflicts
            << " conflicts retried\n";
}

// Each child process opens the (fresh) database itself, so that table
// creation races too, then creates the namespace and table (exactly one child
// wins each) and commits. It reports through a file and leaves with _exit.
// Barriers: the child reads `start_fd` and `go_fd` until the parent closes
// them, and writes a byte to `ready_fd` between the two.
void ChildMain(const std::string& uri, int index, int commits, int start_fd, int ready_fd,
               int go_fd, const std::string& report) {
  char byte = 0;
  (void)!read(start_fd, &byte, 1);  // returns when the parent closes the pipe
  std::ofstream out(report);
  // Whatever happens before the commit loop, the parent must not wait for
  // this child at the barrier: a failed child reports and still checks in.
  struct CheckIn {
    int fd;
    bool done = false;
    void operator()() {
      char b = 0;
      if (!done) (void)!write(fd, &b, 1);
      done = true;
    }
    ~CheckIn() { (*this)(); }
  } check_in{ready_fd};
  Result<std::unique_ptr<SqlCatalog>> catalog = SqlCatalog::Open(uri, "default");
  if (!catalog.ok()) {
    out << "error " << catalog.status().ToString() << "\n";
    return;
  }
  Status ns = (*catalog)->CreateNamespace(kNs);
  if (!ns.ok() && !ns.IsAlreadyExists()) {
    out << "error " << ns.ToString() << "\n";
    return;
  }
  out << "created-namespace " << ns.ok() << "\n";
  Status table = (*catalog)->CreateTable(kNs, kTable, kInitial);
  if (!table.ok() && !table.IsAlreadyExists()) {
    out << "error " << table.ToString() << "\n";
    return;
  }
  out << "created-table " << table.ok() << "\n";
  // Commit loops start together, so that they overlap.
  check_in();
  (void)!read(go_fd, &byte, 1);
  CommitLog log;
  Status st = CommitLoop(**catalog, "p" + std::to_string(index), commits, &log);
  for (const auto& [expected, next] : log.commits) {
    out << "commit " << expected << " " << next << "\n";
  }
  out << "conflicts " << log.conflicts << "\n";
  if (!st.ok()) out << "error " << st.ToString() << "\n";
}

TEST_P(ConcurrencyTest, ProcessesOpeningAFreshDatabaseLoseNoCommit) {
  constexpr int kProcesses = 4;
  constexpr int kCommitsEach = 25;
  int start[2], ready[2], go[2];
  ASSERT_EQ(pipe(start), 0);
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  std::vector<std::string> reports;
  for (int p = 0; p < kProcesses; ++p) {
    reports.push_back(temp_.Join("report-" + std::to_string(p) + ".txt"));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(start[1]);
      close(ready[0]);
      close(go[1]);
      ChildMain(uri(), p, kCommitsEach, start[0], ready[1], go[0], reports.back());
      _exit(0);  // skip the parent's exit handlers and destructors
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(ready[1]);
  close(go[0]);
  auto begin = std::chrono::steady_clock::now();
  close(start[1]);  // all children open the database at once
  char byte;
  for (int p = 0; p < kProcesses; ++p) {
    if (read(ready[0], &byte, 1) != 1) break;  // a child failed before its loop
  }
  close(ready[0]);
  close(go[1]);  // all commit loops start at once
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - begin).count();

  std::vector<CommitLog> logs(kProcesses);
  int namespaces_created = 0, tables_created = 0, conflicts = 0;
  for (int p = 0; p < kProcesses; ++p) {
    std::ifstream in(reports[p]);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string kind;
      words >> kind;
      if (kind == "error") ADD_FAILURE() << "process " << p << ": " << line;
      if (kind == "created-namespace") namespaces_created += line.back() == '1';
      if (kind == "created-table") tables_created += line.back() == '1';
      if (kind == "conflicts") {
        int n = 0;
        words >> n;
        conflicts += n;
        logs[p].conflicts = n;
      }
      if (kind == "commit") {
        std::string expected, next;
        words >> expected >> next;
        logs[p].commits.emplace_back(expected, next);
      }
    }
  }
  EXPECT_EQ(namespaces_created, 1);
  EXPECT_EQ(tables_created, 1);
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  ExpectOneChain(*catalog, logs, kProcesses * kCommitsEach);
  std::cerr << "[floe] " << DbKindName({GetParam(), 0}) << ": " << kProcesses << " processes x "
            << kCommitsEach << " commits in " << ms << " ms, " << conflicts
            << " conflicts retried\n";
}

INSTANTIATE_TEST_SUITE_P(Db, ConcurrencyTest,
                         ::testing::Values(DbKind::kSqlite, DbKind::kPostgres), DbKindName);

// A connection that breaks while the UPDATE waits on the server leaves the
// commit's outcome unknown: the caller must not delete the new metadata.
TEST(PostgresCommit, ConnectionLostDuringTheUpdateIsCommitStateUnknown) {
  testing::PostgresServer* pg = testing::SharedPostgres();
  if (pg == nullptr) GTEST_SKIP() << "PostgreSQL is not available";
  FLOE_ASSERT_OK_AND_ASSIGN(std::string uri, pg->CreateDatabase("floe_commit_unknown"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, SqlCatalog::Open(uri, "default"));
  FLOE_ASSERT_OK(catalog->CreateNamespace(kNs));
  FLOE_ASSERT_OK(catalog->CreateTable(kNs, kTable, "s3://w/m1.json"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto locker, SqlBackend::Open(uri));
  FLOE_ASSERT_OK_AND_ASSIGN(auto admin, SqlBackend::Open(uri));

  // Another session holds the row lock, so the commit's UPDATE waits.
  std::atomic<bool> locked{false}, release{false};
  std::thread holder([&] {
    Status st = locker->Transaction([&](SqlConnection& c) -> Status {
      FLOE_RETURN_NOT_OK(c.Query("SELECT 1 FROM iceberg_tables WHERE table_name = ? FOR UPDATE",
                                 {kTable}));
      locked = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return Status::OK();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  });
  while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Status commit;
  std::thread committer(
      [&] { commit = catalog->CommitTable(kNs, kTable, "s3://w/m1.json", "s3://w/m2.json"); });
  // Find the waiting UPDATE's session and kill it, as a failover would.
  bool killed = false;
  for (int i = 0; i < 1000 && !killed; ++i) {
    auto rows = admin->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE 'UPDATE iceberg_tables SET metadata_location%'",
        {});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    killed = !rows->empty();
    if (!killed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  committer.join();
  release = true;
  holder.join();
  ASSERT_TRUE(killed);
  EXPECT_TRUE(commit.IsCommitStateUnknown()) << commit.ToString();
  EXPECT_THAT(commit.message(), HasSubstr("commit of table db.t in catalog 'default' to "
                                          "s3://w/m2.json may or may not have been applied"));
  EXPECT_THAT(commit.message(), HasSubstr("do not delete the new metadata file"));
  // The catalog itself reconnects for the next call.
  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry entry, catalog->LoadTable(kNs, kTable));
  EXPECT_EQ(entry.metadata_location, "s3://w/m1.json");
  FLOE_EXPECT_OK(catalog->CommitTable(kNs, kTable, "s3://w/m1.json", "s3://w/m3.json"));
}

}  // namespace
}  // namespace floe::catalog
