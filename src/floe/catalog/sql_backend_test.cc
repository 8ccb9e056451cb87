#include "floe/catalog/sql_backend.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "floe/catalog/catalog_test_util.h"
#include "floe/catalog/sql_backend_internal.h"

namespace floe::catalog {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ---- URIs

TEST(ParseSqlUri, SqliteForms) {
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget rel, ParseSqlUri("sqlite:///relative/cat.db"));
  EXPECT_EQ(rel.dialect, SqlDialect::kSqlite);
  EXPECT_EQ(rel.location, "relative/cat.db");
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget abs, ParseSqlUri("sqlite:////abs/cat.db"));
  EXPECT_EQ(abs.location, "/abs/cat.db");
  EXPECT_EQ(abs.description, "SQLite file '/abs/cat.db'");
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget plain, ParseSqlUri("/abs/plain.db"));
  EXPECT_EQ(plain.location, "/abs/plain.db");
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget driver, ParseSqlUri("sqlite+pysqlite:////abs/d.db"));
  EXPECT_EQ(driver.location, "/abs/d.db");
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget memory, ParseSqlUri("sqlite:///:memory:"));
  EXPECT_EQ(memory.location, ":memory:");
  FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget memory2, ParseSqlUri("sqlite://"));
  EXPECT_EQ(memory2.location, ":memory:");

  EXPECT_TRUE(ParseSqlUri("sqlite://host/x.db").status().IsInvalid());
  EXPECT_TRUE(ParseSqlUri("sqlite:///x.db?mode=ro").status().IsInvalid());
  EXPECT_TRUE(ParseSqlUri("sqlite:///").status().IsInvalid());
  EXPECT_TRUE(ParseSqlUri("").status().IsInvalid());
  Status mysql = ParseSqlUri("mysql://u:secret@h/db").status();
  EXPECT_TRUE(mysql.IsInvalid());
  EXPECT_THAT(mysql.message(), HasSubstr("unsupported catalog URI scheme 'mysql'"));
  EXPECT_THAT(mysql.message(), Not(HasSubstr("secret")));
}

TEST(ParseSqlUri, PostgresForms) {
  for (std::string uri : {"postgresql://u:secret@db.example:6543/cat?sslmode=disable",
                          "postgres://u:secret@db.example:6543/cat?sslmode=disable",
                          "postgresql+psycopg2://u:secret@db.example:6543/cat?sslmode=disable"}) {
    FLOE_ASSERT_OK_AND_ASSIGN(SqlTarget target, ParseSqlUri(uri));
    EXPECT_EQ(target.dialect, SqlDialect::kPostgres);
    EXPECT_EQ(target.location, "postgresql://u:secret@db.example:6543/cat?sslmode=disable");
    EXPECT_EQ(target.description, "PostgreSQL database 'cat' at db.example:6543 as user 'u'");
  }
  Status bad = ParseSqlUri("postgresql://u:secret@h/db?nonsense=1").status();
  EXPECT_TRUE(bad.IsInvalid());
  EXPECT_THAT(bad.message(), HasSubstr("nonsense"));
  EXPECT_THAT(bad.message(), Not(HasSubstr("secret")));
}

TEST(RedactUri, HidesPasswords) {
  EXPECT_EQ(RedactUri("postgresql://u:secret@h:1/db"), "postgresql://u:***@h:1/db");
  EXPECT_EQ(RedactUri("postgresql://u@h/db?password=secret&sslmode=disable"),
            "postgresql://u@h/db?password=***&sslmode=disable");
  EXPECT_EQ(RedactUri("postgresql://h/db"), "postgresql://h/db");
  EXPECT_EQ(RedactUri("sqlite:////a/b.db"), "sqlite:////a/b.db");
}

TEST(SqlBackendInternal, DollarPlaceholdersSkipQuotedText) {
  EXPECT_EQ(internal::ToDollarPlaceholders("a = ? AND b LIKE '?%' ESCAPE '!' AND c = ?"),
            "a = $1 AND b LIKE '?%' ESCAPE '!' AND c = $2");
  EXPECT_EQ(internal::StatementSummary("  UPDATE iceberg_tables SET x = ?"),
            "UPDATE on iceberg_tables");
}

// ---- Statements on both databases

using SqlBackendTest = DatabaseTest;

TEST_P(SqlBackendTest, StatementsParametersNullsAndKeys) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto db, SqlBackend::Open(uri()));
  EXPECT_EQ(db->dialect(), is_sqlite() ? SqlDialect::kSqlite : SqlDialect::kPostgres);
  FLOE_ASSERT_OK(db->Execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY, v VARCHAR(10))", {}));
  FLOE_ASSERT_OK_AND_ASSIGN(int64_t n, db->Execute("INSERT INTO t VALUES (?, ?)", {"a", "1"}));
  EXPECT_EQ(n, 1);
  FLOE_ASSERT_OK(db->Execute("INSERT INTO t VALUES (?, ?)", {"b", std::nullopt}));
  // Non-ASCII text round-trips unchanged.
  FLOE_ASSERT_OK(db->Execute("INSERT INTO t VALUES (?, ?)", {"ç", "日本"}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, db->Query("SELECT k, v FROM t ORDER BY k", {}));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (SqlRow{"a", "1"}));
  EXPECT_EQ(rows[1], (SqlRow{"b", std::nullopt}));
  EXPECT_EQ(rows[2], (SqlRow{"ç", "日本"}));

  Status dup = db->Execute("INSERT INTO t VALUES (?, ?)", {"a", "2"}).status();
  EXPECT_TRUE(dup.IsAlreadyExists()) << dup.ToString();
  EXPECT_THAT(dup.message(), HasSubstr("unique key violated"));

  FLOE_ASSERT_OK_AND_ASSIGN(n, db->Execute("UPDATE t SET v = ? WHERE k = ?", {"9", "zzz"}));
  EXPECT_EQ(n, 0);
  FLOE_ASSERT_OK_AND_ASSIGN(auto deleted,
                            db->ExecuteReturning("DELETE FROM t WHERE k = ? RETURNING v", {"a"}));
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0][0], "1");

  Status missing = db->Query("SELECT * FROM no_such_table", {}).status();
  EXPECT_TRUE(missing.IsInvalid()) << missing.ToString();
  EXPECT_THAT(missing.message(), HasSubstr(db->description()));
}

TEST_P(SqlBackendTest, TransactionsCommitOrRollBack) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto db, SqlBackend::Open(uri()));
  FLOE_ASSERT_OK(db->Execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY)", {}));
  FLOE_ASSERT_OK(db->Transaction([](SqlConnection& c) -> Status {
    FLOE_RETURN_NOT_OK(c.Execute("INSERT INTO t VALUES (?)", {"kept"}));
    return Status::OK();
  }));
  Status failed = db->Transaction([](SqlConnection& c) -> Status {
    FLOE_RETURN_NOT_OK(c.Execute("INSERT INTO t VALUES (?)", {"dropped"}));
    return Status::Invalid("changed my mind");
  });
  EXPECT_TRUE(failed.IsInvalid());
  // A failing statement inside aborts the whole transaction too.
  Status dup = db->Transaction([](SqlConnection& c) -> Status {
    FLOE_RETURN_NOT_OK(c.Execute("INSERT INTO t VALUES (?)", {"dropped2"}));
    return c.Execute("INSERT INTO t VALUES (?)", {"kept"}).status();
  });
  EXPECT_TRUE(dup.IsAlreadyExists()) << dup.ToString();
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, db->Query("SELECT k FROM t", {}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "kept");
}

INSTANTIATE_TEST_SUITE_P(Db, SqlBackendTest,
                         ::testing::Values(DbKind::kSqlite, DbKind::kPostgres), DbKindName);

// ---- SQLite specifics

TEST(SqliteBackend, UsesWalMode) {
  testing::TempDir dir;
  FLOE_ASSERT_OK_AND_ASSIGN(auto db, SqlBackend::Open(dir.Join("wal.db")));
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, db->Query("PRAGMA journal_mode", {}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "wal");
}

TEST(SqliteBackend, MissingFolderNamesTheFile) {
  testing::TempDir dir;
  std::string path = dir.Join("no/such/folder/cat.db");
  Status st = SqlBackend::Open(path).status();
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr(path));
  EXPECT_THAT(st.message(), HasSubstr("cannot open"));
}

TEST(SqliteBackend, NotADatabase) {
  testing::TempDir dir;
  testing::WriteFileOrDie(dir.path() / "junk.db", std::string(4096, 'x'));
  Status st = SqlBackend::Open(dir.Join("junk.db")).status();
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("junk.db"));
}

// ---- PostgreSQL specifics

TEST(PostgresBackend, UnreachableServerNamesHostAndPortButNotPassword) {
  // A port nobody listens on: bound to a socket that is never listened on.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);
  std::string uri = "postgresql://floe:s3cr3t-pw@127.0.0.1:" + std::to_string(port) +
                    "/catalog?sslmode=disable";
  Status st = SqlBackend::Open(uri).status();
  close(fd);
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("cannot connect to PostgreSQL database 'catalog' at "
                                      "127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(st.message(), HasSubstr("Connection refused"));
  EXPECT_THAT(st.message(), Not(HasSubstr("s3cr3t")));
}

TEST(PostgresBackend, ReconnectsAfterTheServerDroppedTheConnection) {
  testing::PostgresServer* pg = testing::SharedPostgres();
  if (pg == nullptr) GTEST_SKIP() << "PostgreSQL is not available";
  SqlBackendOptions options;
  options.max_connections = 1;
  FLOE_ASSERT_OK_AND_ASSIGN(auto db, SqlBackend::Open(pg->uri(), options));
  FLOE_ASSERT_OK_AND_ASSIGN(auto pid_rows, db->Query("SELECT pg_backend_pid()", {}));
  std::string pid = *pid_rows[0][0];
  FLOE_ASSERT_OK_AND_ASSIGN(auto admin, SqlBackend::Open(pg->uri()));
  FLOE_ASSERT_OK(admin->Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {pid}));
  // The pooled connection is dead; the next call reconnects transparently.
  for (int i = 0; i < 3; ++i) {
    FLOE_ASSERT_OK_AND_ASSIGN(auto rows, db->Query("SELECT pg_backend_pid()", {}));
    EXPECT_NE(rows[0][0], pid);
  }
  FLOE_EXPECT_OK(db->Execute("CREATE TEMPORARY TABLE after_reconnect (x INTEGER)", {}));
}

}  // namespace
}  // namespace floe::catalog
