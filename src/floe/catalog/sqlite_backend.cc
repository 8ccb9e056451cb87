// SQLite connections for SqlBackend.
//
// Several processes may share one catalog file: connections use WAL mode
// (readers never block the writer) and a busy timeout (a writer waits for the
// current one instead of failing), and read-modify-write transactions start
// with BEGIN IMMEDIATE so that they take the write lock before reading.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "floe/catalog/sql_backend_internal.h"
#include "floe/util/strings.h"

namespace floe::catalog::internal {
namespace {

constexpr std::string_view kMemory = ":memory:";

std::string Describe(std::string_view path) {
  if (path == kMemory) return "in-memory SQLite database";
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(std::filesystem::path(path), ec);
  return "SQLite file " + util::Quote(ec ? std::string(path) : abs.lexically_normal().string());
}

std::string FolderOf(std::string_view path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(std::filesystem::path(path), ec);
  return util::Quote((ec ? std::filesystem::path(path) : abs).parent_path().string());
}

// Maps an SQLite result code (extended codes are enabled) to a Status.
Status SqliteStatus(int code, std::string_view message, const SqlTarget& target,
                    std::string_view sql) {
  const std::string& where = target.description;
  std::string statement = sql.empty() ? "" : " (running " + StatementSummary(sql) + ")";
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::AlreadyExists(where, ": unique key violated: ", message, statement);
      }
      return Status::Invalid(where, ": constraint failed: ", message, statement);
    case SQLITE_READONLY:
      return Status::IOError(where, " is read-only (", message, ")", statement,
                             "; the catalog writes to it: give this process write access to "
                             "the file and to its folder ",
                             FolderOf(target.location), ", where SQLite keeps the -wal and "
                             "-shm files");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IOError(where, " stayed locked by another writer past the busy timeout (",
                             message, ")", statement,
                             "; retry, or raise SqlBackendOptions::busy_timeout");
    case SQLITE_CANTOPEN:
      return Status::IOError("cannot open ", where, " (", message, ")", statement,
                             "; check that the folder ", FolderOf(target.location),
                             " exists and is writable: SQLite creates the -wal and -shm files "
                             "next to the database");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(where, " is not a valid SQLite database (", message, ")");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      return Status::IOError(where, ": ", message, statement);
    default:
      // SQLITE_ERROR: the statement does not fit the schema (missing table or
      // column), which is a problem with the database's content.
      return Status::Invalid(where, ": ", message, statement);
  }
}

struct StatementCloser {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, SqlTarget target) : db_(db), target_(std::move(target)) {}
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  Result<Outcome> Run(std::string_view sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, StatementCloser> stmt(raw);
    if (rc != SQLITE_OK) return Error(rc, sql);
    if (static_cast<size_t>(sqlite3_bind_parameter_count(raw)) != params.size()) {
      return Status::Invalid("internal error: statement ", StatementSummary(sql), " takes ",
                             sqlite3_bind_parameter_count(raw), " parameters, got ",
                             params.size());
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      rc = params[i] ? sqlite3_bind_text64(raw, index, params[i]->data(), params[i]->size(),
                                           SQLITE_TRANSIENT, SQLITE_UTF8)
                     : sqlite3_bind_null(raw, index);
      if (rc != SQLITE_OK) return Error(rc, sql);
    }
    Outcome outcome;
    const int columns = sqlite3_column_count(raw);
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      SqlRow row(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(raw, c) == SQLITE_NULL) continue;
        const unsigned char* text = sqlite3_column_text(raw, c);
        int bytes = sqlite3_column_bytes(raw, c);
        row[static_cast<size_t>(c)] =
            std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(bytes));
      }
      outcome.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Error(rc, sql);
    // sqlite3_changes keeps the count of the last write, so ask only writes.
    if (!sqlite3_stmt_readonly(raw)) outcome.changed_rows = sqlite3_changes64(db_);
    return outcome;
  }

  std::string_view begin_sql() const override { return "BEGIN IMMEDIATE"; }

 private:
  Status Error(int rc, std::string_view sql) const {
    return SqliteStatus(rc, sqlite3_errmsg(db_), target_, sql);
  }

  sqlite3* const db_;
  const SqlTarget target_;
};

}  // namespace

SqlTarget SqliteTargetForPath(std::string_view path) {
  SqlTarget target;
  target.dialect = SqlDialect::kSqlite;
  target.location = std::string(path);
  target.description = Describe(path);
  return target;
}

Result<SqlTarget> ParseSqliteUri(std::string_view rest) {
  // SQLAlchemy: "sqlite://" + "/" + path, so sqlite:///rel.db and sqlite:////abs.db.
  if (rest.empty()) return SqliteTargetForPath(kMemory);
  if (rest.front() != '/') {
    return Status::Invalid("SQLite URI sqlite://", rest,
                           " names a host; use sqlite:///relative/path.db or "
                           "sqlite:////absolute/path.db");
  }
  std::string_view path = rest.substr(1);
  if (path.find('?') != std::string_view::npos) {
    return Status::Invalid("SQLite URI sqlite://", rest,
                           " has query parameters, which Floe does not support; remove them");
  }
  if (path.empty()) {
    return Status::Invalid("SQLite URI sqlite:/// names no file; use sqlite:///path.db, or "
                           "sqlite:///:memory: for a private in-memory database");
  }
  return SqliteTargetForPath(path);
}

constexpr std::chrono::milliseconds kMaxPause{50};

Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const SqlTarget& target,
                                                            const SqlBackendOptions& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: SqlBackend hands a connection to one thread at a time.
  int rc = sqlite3_open_v2(target.location.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int code = db ? sqlite3_extended_errcode(db) : rc;
    sqlite3_close_v2(db);
    return SqliteStatus(code == SQLITE_OK ? rc : code, message, target, "");
  }
  auto conn = std::make_unique<SqliteConnection>(db, target);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  // SQLite silently opens a write-protected file read-only; the catalog would
  // then fail at its first commit, so fail here and name the file.
  if (target.location != kMemory && sqlite3_db_readonly(db, "main") == 1) {
    return SqliteStatus(SQLITE_READONLY, "the file is write-protected", target, "");
  }
  // WAL lets readers run beside the one writer; the setting is stored in the
  // file, so this is a no-op once any connection has set it. Switching a
  // fresh file to WAL needs an exclusive lock, and SQLite returns BUSY for it
  // without calling the busy handler when another process is switching or
  // recovering at the same moment, so wait here, up to the busy timeout.
  auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, kMaxPause)) {
    rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) break;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return SqliteStatus(sqlite3_extended_errcode(db), sqlite3_errmsg(db), target,
                          "PRAGMA journal_mode=WAL");
    }
    std::this_thread::sleep_for(pause);
  }
  // SQLite's LIKE ignores ASCII case; PostgreSQL's does not. The namespace
  // queries use LIKE for "ns.%" prefixes, which must be exact on both.
  FLOE_RETURN_NOT_OK(conn->Run("PRAGMA case_sensitive_like=ON", {}));
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace floe::catalog::internal
