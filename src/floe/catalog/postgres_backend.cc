// PostgreSQL connections for SqlBackend, over libpq's C API.
//
// Statements run with text parameters (PQexecParams). A connection the server
// closed while idle is noticed before reuse and reconnected once (Revive); a
// link that breaks during a statement marks the connection lost so that
// SqlBackend can retry reads and report writes as CommitStateUnknown.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <utility>

#include "floe/catalog/sql_backend_internal.h"
#include "floe/util/strings.h"

namespace floe::catalog::internal {
namespace {

// libpq messages span lines ("...failed: Connection refused\n\tIs the server
// running..."); messages here are one line.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false, line_break = false;
  for (char c : util::Trim(text)) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = true;
      line_break |= c == '\n';
      continue;
    }
    if (space && !out.empty()) {
      // "failed: Connection refused\n\tIs the server running..." reads as two
      // sentences.
      if (line_break && std::string_view(".:;,?!").find(out.back()) == std::string_view::npos) {
        out.push_back('.');
      }
      out.push_back(' ');
    }
    space = line_break = false;
    out.push_back(c);
  }
  return out;
}

void IgnoreNotice(void*, const char*) {
  // CREATE TABLE IF NOT EXISTS reports "relation already exists, skipping" as
  // a NOTICE, which libpq would print on stderr by default.
}

struct ResultCloser {
  void operator()(PGresult* res) const { PQclear(res); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultCloser>;

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* conn, SqlTarget target) : conn_(conn), target_(std::move(target)) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Result<Outcome> Run(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      lost_ = true;
      return Status::IOError("the connection to ", target_.description, " is closed");
    }
    std::string text = ToDollarPlaceholders(sql);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const SqlValue& p : params) values.push_back(p ? p->c_str() : nullptr);
    ResultPtr res(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, /*resultFormat=*/0));
    ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Collect(res.get());
    if (PQstatus(conn_) != CONNECTION_OK) lost_ = true;
    return Error(res.get(), sql);
  }

  bool lost() const override { return lost_; }

  Status Revive() override {
    // Reads what the server sent while the connection was idle; a server that
    // restarted or terminated this backend has closed the socket.
    if (PQstatus(conn_) == CONNECTION_OK && PQconsumeInput(conn_) == 1 &&
        PQstatus(conn_) == CONNECTION_OK) {
      if (PQtransactionStatus(conn_) != PQTRANS_IDLE) {
        // Left inside a transaction by a failed ROLLBACK; start clean.
        ResultPtr(PQexec(conn_, "ROLLBACK"));
      }
      if (PQstatus(conn_) == CONNECTION_OK) return Status::OK();
    }
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      lost_ = true;
      return Status::IOError("lost the connection to ", target_.description,
                             " and could not reconnect: ", OneLine(PQerrorMessage(conn_)));
    }
    lost_ = false;
    return Status::OK();
  }

 private:
  Result<Outcome> Collect(PGresult* res) {
    Outcome outcome;
    const int rows = PQntuples(res);
    const int columns = PQnfields(res);
    outcome.rows.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      SqlRow row(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) continue;
        row[static_cast<size_t>(c)] =
            std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c)));
      }
      outcome.rows.push_back(std::move(row));
    }
    if (std::optional<int64_t> n = util::ParseInt64(PQcmdTuples(res))) outcome.changed_rows = *n;
    return outcome;
  }

  Status Error(PGresult* res, std::string_view sql) const {
    std::string message =
        OneLine(res && PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
                                                     : PQerrorMessage(conn_));
    std::string where = target_.description;
    std::string statement = " (running " + StatementSummary(sql) + ")";
    if (lost_) {
      return Status::IOError("the connection to ", where, " was lost: ", message, statement);
    }
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string tagged = message + " [SQLSTATE " + sqlstate + "]" + statement;
    if (sqlstate == "23505") return Status::AlreadyExists(where, ": unique key violated: ", tagged);
    // Class 42: syntax error or access rule violation (missing table, column,
    // privilege), a problem with the database's content or grants.
    if (sqlstate.rfind("42", 0) == 0 && sqlstate != "42501") {
      return Status::Invalid(where, ": ", tagged);
    }
    if (sqlstate == "42501" || sqlstate == "25006") {
      return Status::IOError(where, ": ", tagged,
                             "; the catalog's user needs to read and write its tables");
    }
    return Status::IOError(where, ": ", tagged);
  }

  PGconn* const conn_;
  const SqlTarget target_;
  bool lost_ = false;
};

}  // namespace

Result<SqlTarget> ParsePostgresUri(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? OneLine(error) : "out of memory";
    PQfreemem(error);
    return Status::Invalid("invalid PostgreSQL URI ", util::Quote(RedactUri(uri)), ": ",
                           message);
  }
  std::string host, hostaddr, port, dbname, user;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string_view key = o->keyword;
    if (key == "host") host = o->val;
    if (key == "hostaddr") hostaddr = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
    if (key == "user") user = o->val;
  }
  PQconninfoFree(options);
  if (host.empty()) host = hostaddr.empty() ? "the default Unix socket" : hostaddr;
  SqlTarget target;
  target.dialect = SqlDialect::kPostgres;
  target.location = uri;
  target.description = "PostgreSQL database " + util::Quote(dbname.empty() ? user : dbname) +
                       " at " + host + ":" + (port.empty() ? "5432" : port);
  if (!user.empty()) target.description += " as user " + util::Quote(user);
  return target;
}

Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const SqlTarget& target,
                                                              const SqlBackendOptions& options) {
  // The URI is expanded in place of "dbname": its settings win over the
  // defaults before it, and client_encoding after it wins over the URI, since
  // names and locations are UTF-8 whatever the database's default is. Being
  // connection options, all of them survive PQreset.
  std::string timeout = std::to_string(options.connect_timeout.count());
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                            "client_encoding", nullptr};
  const char* values[] = {timeout.c_str(), "floe", target.location.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return Status::IOError("cannot connect to ", target.description, ": out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::IOError("cannot connect to ", target.description, ": ", message,
                           "; check the catalog URI, that the server is running and accepts "
                           "TCP connections, and the credentials");
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<SqlConnection>(std::make_unique<PostgresConnection>(conn, target));
}

}  // namespace floe::catalog::internal
