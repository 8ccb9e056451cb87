#include "floe/table/transaction.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "floe/table/metadata_update.h"
#include "floe/util/random_ids.h"

namespace floe::table {

namespace {

void DeleteAll(io::FileIO& io, const std::vector<std::string>& files) {
  for (const std::string& f : files) (void)io.Delete(f);  // best effort: orphans are harmless
}

}  // namespace

void Transaction::Abort() {
  for (const auto& u : updates_) DeleteAll(*table_->io(), u->PreparedFiles());
  updates_.clear();
}

Result<CommitReport> Transaction::Commit() {
  if (!table_->catalog()) {
    return Status::NotSupported("table ", table_->name(),
                                " was loaded by path and is read-only; open it through a catalog "
                                "(NAMESPACE.TABLE) to change it");
  }
  const spec::TableMetadata& props = table_->metadata();
  const int retries = static_cast<int>(props.PropertyAsInt("commit.retry.num-retries", 4));
  const int64_t min_wait = props.PropertyAsInt("commit.retry.min-wait-ms", 100);
  const int64_t max_wait = props.PropertyAsInt("commit.retry.max-wait-ms", 60000);
  const int64_t total_timeout = props.PropertyAsInt("commit.retry.total-timeout-ms", 1800000);
  const int64_t start = util::NowMillis();
  std::mt19937_64 jitter(std::random_device{}());

  auto fail = [&](Status st) -> Status {
    Abort();
    return st;
  };

  CommitAttempt attempt;
  attempt.io = table_->io().get();
  attempt.commit_uuid = util::RandomUuid();
  for (int n = 1;; ++n) {
    attempt.attempt = n;
    attempt.attempt_files.clear();
    const catalog::LoadedTable& base = table_->loaded();
    spec::TableMetadata md = *base.metadata;
    for (const auto& u : updates_) {
      Status st = u->Apply(&md, &attempt);
      if (!st.ok()) {
        DeleteAll(*table_->io(), attempt.attempt_files);
        return fail(st.WithContext(u->Describe() + " on table " + table_->name()));
      }
    }
    PrepareForCommit(&md, base);
    auto committed = table_->catalog()->CommitTable(base, md);
    if (committed.ok()) {
      table_->Update(std::move(*committed));
      CommitReport report{n, table_->metadata_location()};
      // Their files are now part of the table: never aborted, but kept alive
      // so callers can ask them what the committed attempt did.
      for (auto& u : updates_) committed_.push_back(std::move(u));
      updates_.clear();
      return report;
    }
    const Status& st = committed.status();
    if (st.IsCommitStateUnknown()) {
      // The swap may have happened: deleting anything could corrupt the table.
      updates_.clear();
      return st;
    }
    DeleteAll(*table_->io(), attempt.attempt_files);
    if (!st.IsCommitConflict()) return fail(st);
    int64_t elapsed = util::NowMillis() - start;
    if (n > retries || elapsed > total_timeout) {
      return fail(Status::CommitConflict(
          "table ", table_->name(), ": gave up after ", n, " attempts in ", elapsed,
          " ms because other writers kept committing first (", st.message(),
          "); retry later or raise commit.retry.num-retries"));
    }
    // Exponential backoff with jitter, as Java's Tasks retry does.
    int64_t wait = std::min<int64_t>(max_wait, min_wait << std::min(n - 1, 20));
    wait = wait / 2 + static_cast<int64_t>(jitter() % static_cast<uint64_t>(wait / 2 + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    Status refreshed = table_->Refresh();
    if (!refreshed.ok()) return fail(refreshed);
  }
}

}  // namespace floe::table
