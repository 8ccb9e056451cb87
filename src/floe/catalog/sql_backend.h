// SqlBackend: the little the SQL catalog needs from SQLite and PostgreSQL —
// statements with bound text parameters, rows of text columns, transactions —
// behind one interface, with each database's errors mapped to Status.
//
// URIs (SqlBackend::Open, ParseSqlUri):
//   sqlite:///relative/path.db   a path relative to the working directory
//   sqlite:////abs/path.db       an absolute path (SQLAlchemy's convention)
//   /abs/path.db, rel/path.db    a plain file path
//   sqlite:// or sqlite:///:memory:   a private in-memory database (one connection)
//   postgresql://user:pass@host:port/db?sslmode=disable   (also postgres://)
// A "+driver" suffix of the scheme (postgresql+psycopg2://, sqlite+pysqlite://)
// is accepted and ignored so that PyIceberg's URIs work unchanged.
//
// Errors, for every call:
//   AlreadyExists       a unique or primary key was violated;
//   IOError             the database could not be reached, the SQLite file is
//                       read-only or stayed locked, the server failed; the
//                       message names the file or host:port, never a password;
//   CommitStateUnknown  the connection was lost while a write was in flight,
//                       so it may or may not have been applied;
//   Invalid             the statement is wrong for the schema (missing table).
//   Corruption          the SQLite file is not a database.
//
// Thread safety: a SqlBackend may be used from many threads at once. It keeps a
// small pool of connections (SqlBackendOptions::max_connections); each call
// borrows one for its duration, so calls run in parallel up to that number.
// A SqlConnection is used by one thread at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

namespace floe::catalog {

enum class SqlDialect { kSqlite, kPostgres };

// A bound parameter or a column value: text, or SQL NULL.
using SqlValue = std::optional<std::string>;
using SqlRow = std::vector<SqlValue>;

struct SqlBackendOptions {
  // SQLite: how long a statement waits for another connection's write lock
  // before failing with IOError. Writers hold it for milliseconds.
  std::chrono::milliseconds busy_timeout{30000};
  // PostgreSQL: how long opening a connection may take (libpq connect_timeout).
  std::chrono::seconds connect_timeout{10};
  // Connections opened at most; calls beyond wait for a free one. An
  // in-memory SQLite database always uses exactly one.
  int max_connections = 4;
};

// What a URI names, parsed without connecting.
struct SqlTarget {
  SqlDialect dialect = SqlDialect::kSqlite;
  // SQLite: the file path as given (":memory:" for in-memory).
  // PostgreSQL: the libpq connection URI (scheme normalized to postgresql://).
  std::string location;
  // For messages, without any password: "SQLite file '/abs/catalog.db'" or
  // "PostgreSQL database 'db' at host:5432 as user 'u'".
  std::string description;
};

// Invalid for an unknown scheme or a malformed URI; the message never
// repeats a password.
Result<SqlTarget> ParseSqlUri(std::string_view uri);

// `uri` with the password (user info or a password= parameter) replaced by
// "***", for messages and logs.
std::string RedactUri(std::string_view uri);

// One open database connection. Statements use '?' placeholders, bound in
// order to the parameters (the PostgreSQL backend rewrites them to $1, $2...).
class SqlConnection {
 public:
  struct Outcome {
    std::vector<SqlRow> rows;   // rows the statement returned (SELECT, RETURNING)
    int64_t changed_rows = 0;  // rows inserted, updated or deleted
  };

  virtual ~SqlConnection() = default;

  // Runs one statement. On error the connection stays usable unless lost().
  virtual Result<Outcome> Run(std::string_view sql, const std::vector<SqlValue>& params) = 0;

  // True once the link to the server is known to be broken (PostgreSQL).
  virtual bool lost() const { return false; }

  // Called before an idle connection is reused: detects a link the server
  // closed meanwhile (without a round trip) and reconnects once. IOError if
  // the reconnect fails.
  virtual Status Revive() { return Status::OK(); }

  // The statement that opens a read-modify-write transaction: "BEGIN
  // IMMEDIATE" on SQLite takes the write lock at once, so two writers never
  // deadlock upgrading read locks.
  virtual std::string_view begin_sql() const { return "BEGIN"; }

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params);
  Result<int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params);
};

class SqlBackend {
 public:
  // Parses `uri` and opens one connection to check that the database is
  // reachable and writable. See the file comment for URIs and errors.
  static Result<std::unique_ptr<SqlBackend>> Open(std::string_view uri,
                                                  const SqlBackendOptions& options = {});
  ~SqlBackend();
  SqlBackend(const SqlBackend&) = delete;
  SqlBackend& operator=(const SqlBackend&) = delete;

  SqlDialect dialect() const { return target_.dialect; }
  const std::string& description() const { return target_.description; }

  // A read in its own (autocommit) transaction. If the connection turns out
  // to be lost, the read is retried once on a new connection.
  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params);

  // A write in its own (autocommit) transaction; returns the rows changed.
  // CommitStateUnknown if the connection is lost while it runs.
  Result<int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params);

  // A statement returning rows that also writes (DELETE ... RETURNING);
  // errors as Execute.
  Result<std::vector<SqlRow>> ExecuteReturning(std::string_view sql,
                                               const std::vector<SqlValue>& params);

  // Lower-case column names of `table`, empty if it does not exist.
  Result<std::set<std::string>> TableColumns(std::string_view table);

  // Creates `table` with `ddl` (CREATE TABLE IF NOT EXISTS ...) if missing.
  // Several processes may race on a fresh database; PostgreSQL can then fail
  // one of them with a duplicate key in its own catalog, so a failure is
  // fine if the table exists afterwards. Checking first also spares a CREATE
  // privilege the user may lack.
  Status EnsureTable(std::string_view table, std::string_view ddl);

  // Runs `body` in one transaction (begin_sql(), then COMMIT if it returns OK,
  // else ROLLBACK) and returns its Status. If the connection is lost before
  // COMMIT is sent, the server has rolled back, so the whole transaction is
  // retried once; `body` must therefore be safe to run twice. A link lost
  // during COMMIT gives CommitStateUnknown.
  Status Transaction(const std::function<Status(SqlConnection&)>& body);

 private:
  using Factory = std::function<Result<std::unique_ptr<SqlConnection>>()>;
  class Lease;
  SqlBackend(SqlTarget target, Factory factory, int max_connections);

  // Borrows an idle connection (revived) or opens a new one.
  Result<Lease> Acquire();
  void Release(std::unique_ptr<SqlConnection> conn);
  Status TransactionOnce(const std::function<Status(SqlConnection&)>& body, bool* retry);

  const SqlTarget target_;
  const Factory factory_;
  const int max_connections_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;  // guarded by mu_
  int open_ = 0;  // idle + borrowed + being opened; guarded by mu_
};

}  // namespace floe::catalog
