#include "floe/catalog/sql_backend.h"

#include <algorithm>
#include <utility>

#include "floe/catalog/sql_backend_internal.h"
#include "floe/util/strings.h"

namespace floe::catalog {

// ---------------------------------------------------------------------------
// URIs

Result<SqlTarget> ParseSqlUri(std::string_view uri) {
  if (util::Trim(uri).empty()) {
    return Status::Invalid("empty catalog URI; use sqlite:///path.db, a file path, or "
                           "postgresql://user@host:port/db");
  }
  size_t sep = uri.find("://");
  if (sep == std::string_view::npos) return internal::SqliteTargetForPath(uri);
  std::string scheme = util::AsciiLower(uri.substr(0, sep));
  // SQLAlchemy names the driver after '+' (postgresql+psycopg2); libpq and
  // SQLite need only the database kind.
  if (size_t plus = scheme.find('+'); plus != std::string::npos) scheme.resize(plus);
  std::string_view rest = uri.substr(sep + 3);
  if (scheme == "sqlite") return internal::ParseSqliteUri(rest);
  if (scheme == "postgresql" || scheme == "postgres") {
    return internal::ParsePostgresUri("postgresql://" + std::string(rest));
  }
  return Status::Invalid("unsupported catalog URI scheme ", util::Quote(uri.substr(0, sep)),
                         "; use sqlite:///path.db, a file path, or "
                         "postgresql://user@host:port/db");
}

std::string RedactUri(std::string_view uri) {
  std::string out(uri);
  size_t sep = out.find("://");
  if (sep != std::string::npos) {
    size_t start = sep + 3;
    size_t end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // libpq also takes the password as a query parameter.
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    size_t value = pos + 9;
    size_t end = out.find('&', value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
  }
  return out;
}

// ---------------------------------------------------------------------------
// SqlConnection

Result<std::vector<SqlRow>> SqlConnection::Query(std::string_view sql,
                                                 const std::vector<SqlValue>& params) {
  FLOE_ASSIGN_OR_RAISE(Outcome outcome, Run(sql, params));
  return std::move(outcome.rows);
}

Result<int64_t> SqlConnection::Execute(std::string_view sql,
                                       const std::vector<SqlValue>& params) {
  FLOE_ASSIGN_OR_RAISE(Outcome outcome, Run(sql, params));
  return outcome.changed_rows;
}

// ---------------------------------------------------------------------------
// SqlBackend: a pool of connections

// A borrowed connection; goes back to the pool (or is closed if lost) when
// destroyed.
class SqlBackend::Lease {
 public:
  Lease(SqlBackend* owner, std::unique_ptr<SqlConnection> conn)
      : owner_(owner), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept : owner_(other.owner_), conn_(std::move(other.conn_)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) owner_->Release(std::move(conn_));
  }
  SqlConnection* operator->() { return conn_.get(); }
  SqlConnection& operator*() { return *conn_; }

 private:
  SqlBackend* owner_;
  std::unique_ptr<SqlConnection> conn_;
};

SqlBackend::SqlBackend(SqlTarget target, Factory factory, int max_connections)
    : target_(std::move(target)), factory_(std::move(factory)),
      max_connections_(max_connections) {}

SqlBackend::~SqlBackend() = default;

Result<std::unique_ptr<SqlBackend>> SqlBackend::Open(std::string_view uri,
                                                     const SqlBackendOptions& options) {
  FLOE_ASSIGN_OR_RAISE(SqlTarget target, ParseSqlUri(uri));
  int max_connections = std::max(1, options.max_connections);
  Factory factory;
  if (target.dialect == SqlDialect::kSqlite) {
    // Every connection to ":memory:" would be a different, empty database.
    if (target.location == ":memory:") max_connections = 1;
    factory = [target, options] { return internal::OpenSqliteConnection(target, options); };
  } else {
    factory = [target, options] { return internal::OpenPostgresConnection(target, options); };
  }
  std::unique_ptr<SqlBackend> backend(
      new SqlBackend(std::move(target), std::move(factory), max_connections));
  // Connect now so that a wrong URI or an unwritable file fails at open.
  FLOE_ASSIGN_OR_RAISE(Lease first, backend->Acquire());
  (void)first;
  return backend;
}

Result<SqlBackend::Lease> SqlBackend::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    std::unique_ptr<SqlConnection> conn = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    Status revived = conn->Revive();
    if (!revived.ok()) {
      conn.reset();
      lock.lock();
      --open_;
      cv_.notify_one();
      return revived;
    }
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  Result<std::unique_ptr<SqlConnection>> opened = factory_();
  if (!opened.ok()) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void SqlBackend::Release(std::unique_ptr<SqlConnection> conn) {
  // A lost connection is closed (outside the lock) and its slot freed; the
  // next Acquire opens a new one.
  bool lost = conn->lost();
  if (lost) conn.reset();
  std::lock_guard<std::mutex> lock(mu_);
  if (lost) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Result<std::vector<SqlRow>> SqlBackend::Query(std::string_view sql,
                                              const std::vector<SqlValue>& params) {
  for (int attempt = 0;; ++attempt) {
    FLOE_ASSIGN_OR_RAISE(Lease conn, Acquire());
    Result<SqlConnection::Outcome> outcome = conn->Run(sql, params);
    if (outcome.ok()) return std::move(outcome).value().rows;
    // A read has no effect, so repeating it after a lost link is safe.
    if (!conn->lost() || attempt > 0) return outcome.status();
  }
}

namespace {

Status UnknownOutcome(const std::string& description, std::string_view sql,
                      const Status& error) {
  return Status::CommitStateUnknown(
      "the connection to ", description, " was lost while running ",
      internal::StatementSummary(sql), ", so it may or may not have been applied (",
      error.message(), ")");
}

}  // namespace

Result<std::set<std::string>> SqlBackend::TableColumns(std::string_view table) {
  std::string_view sql =
      dialect() == SqlDialect::kSqlite
          ? "SELECT name FROM pragma_table_info(?)"
          // to_regclass resolves the name through search_path like the
          // catalog's own unqualified statements, and is NULL when absent.
          : "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 "
            "AND NOT attisdropped";
  FLOE_ASSIGN_OR_RAISE(std::vector<SqlRow> rows, Query(sql, {std::string(table)}));
  std::set<std::string> columns;
  for (const SqlRow& row : rows) {
    if (!row.empty() && row[0]) columns.insert(util::AsciiLower(*row[0]));
  }
  return columns;
}

Status SqlBackend::EnsureTable(std::string_view table, std::string_view ddl) {
  FLOE_ASSIGN_OR_RAISE(std::set<std::string> columns, TableColumns(table));
  if (!columns.empty()) return Status::OK();
  Result<int64_t> created = Execute(ddl, {});
  if (created.ok()) return Status::OK();
  FLOE_ASSIGN_OR_RAISE(columns, TableColumns(table));
  if (!columns.empty()) return Status::OK();
  return created.status().WithContext("creating the table " + std::string(table));
}

Result<int64_t> SqlBackend::Execute(std::string_view sql, const std::vector<SqlValue>& params) {
  FLOE_ASSIGN_OR_RAISE(Lease conn, Acquire());
  Result<SqlConnection::Outcome> outcome = conn->Run(sql, params);
  if (outcome.ok()) return outcome->changed_rows;
  if (conn->lost()) return UnknownOutcome(target_.description, sql, outcome.status());
  return outcome.status();
}

Result<std::vector<SqlRow>> SqlBackend::ExecuteReturning(std::string_view sql,
                                                         const std::vector<SqlValue>& params) {
  FLOE_ASSIGN_OR_RAISE(Lease conn, Acquire());
  Result<SqlConnection::Outcome> outcome = conn->Run(sql, params);
  if (outcome.ok()) return std::move(outcome).value().rows;
  if (conn->lost()) return UnknownOutcome(target_.description, sql, outcome.status());
  return outcome.status();
}

Status SqlBackend::Transaction(const std::function<Status(SqlConnection&)>& body) {
  bool retry = false;
  Status st = TransactionOnce(body, &retry);
  if (retry) st = TransactionOnce(body, &retry);
  return st;
}

Status SqlBackend::TransactionOnce(const std::function<Status(SqlConnection&)>& body,
                                   bool* retry) {
  *retry = false;
  FLOE_ASSIGN_OR_RAISE(Lease conn, Acquire());
  Result<SqlConnection::Outcome> begun = conn->Run(conn->begin_sql(), {});
  if (!begun.ok()) {
    *retry = conn->lost();
    return begun.status();
  }
  Status st = body(*conn);
  if (!st.ok()) {
    // A lost link means the server rolled the transaction back.
    if (conn->lost()) {
      *retry = true;
      return st;
    }
    (void)conn->Run("ROLLBACK", {});
    return st;
  }
  Result<SqlConnection::Outcome> committed = conn->Run("COMMIT", {});
  if (committed.ok()) return Status::OK();
  if (conn->lost()) return UnknownOutcome(target_.description, "COMMIT", committed.status());
  // SQLite keeps the transaction open when COMMIT fails (busy); end it.
  (void)conn->Run("ROLLBACK", {});
  return committed.status();
}

// ---------------------------------------------------------------------------
// Helpers shared by the two connections

namespace internal {

std::string ToDollarPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string StatementSummary(std::string_view sql) {
  sql = util::Trim(sql);
  std::string summary(sql.substr(0, sql.find_first_of(" \n")));
  for (std::string_view table : {"iceberg_tables", "iceberg_namespace_properties"}) {
    if (sql.find(table) != std::string_view::npos) {
      summary += " on ";
      summary += table;
      break;
    }
  }
  return summary;
}

}  // namespace internal
}  // namespace floe::catalog
