// Shared by the catalog tests: a fresh, empty database of either kind per
// test, and assertion helpers for Status/Result.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "floe/catalog/sql_catalog.h"
#include "support/postgres_environment.h"
#include "support/test_util.h"

namespace floe::catalog {

#define FLOE_EXPECT_OK(expr)                            \
  do {                                                  \
    ::floe::Status _st = ::floe::ToStatus(expr);        \
    EXPECT_TRUE(_st.ok()) << _st.ToString();            \
  } while (0)
#define FLOE_ASSERT_OK(expr)                            \
  do {                                                  \
    ::floe::Status _st = ::floe::ToStatus(expr);        \
    ASSERT_TRUE(_st.ok()) << _st.ToString();            \
  } while (0)
// Declares `lhs` from a Result, failing the test (and returning) on error.
#define FLOE_ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                              \
  auto FLOE_CONCAT(_floe_r, __LINE__) = (rexpr);                                           \
  ASSERT_TRUE(FLOE_CONCAT(_floe_r, __LINE__).ok())                                         \
      << FLOE_CONCAT(_floe_r, __LINE__).status().ToString();                               \
  lhs = std::move(FLOE_CONCAT(_floe_r, __LINE__)).value()

enum class DbKind { kSqlite, kPostgres };

inline std::string DbKindName(const ::testing::TestParamInfo<DbKind>& info) {
  return info.param == DbKind::kSqlite ? "SQLite" : "PostgreSQL";
}

// A fixture parameterized by database kind; uri() names an empty database:
// an SQLite file in a temporary folder, or a new database on the shared
// PostgreSQL server (so that schema-level tests do not see each other).
class DatabaseTest : public ::testing::TestWithParam<DbKind> {
 protected:
  void SetUp() override {
    if (GetParam() == DbKind::kSqlite) {
      // sqlite:/// + an absolute path: the four-slash form.
      uri_ = "sqlite:///" + temp_.Join("catalog.db");
      return;
    }
    pg_ = testing::SharedPostgres();
    if (pg_ == nullptr) GTEST_SKIP() << "PostgreSQL is not available";
    uri_ = NewPostgresDatabase();
  }

  // Another empty PostgreSQL database on the shared server.
  std::string NewPostgresDatabase() {
    static std::atomic<int> counter{0};
    std::string name = "floe_catalog_" + std::to_string(++counter);
    Result<std::string> uri = pg_->CreateDatabase(name);
    EXPECT_TRUE(uri.ok()) << uri.status().ToString();
    return uri.ValueOr("");
  }

  Result<std::unique_ptr<SqlCatalog>> OpenCatalog(const std::string& name = "default",
                                                  SqlCatalogOptions options = {}) {
    return SqlCatalog::Open(uri_, name, options);
  }

  bool is_sqlite() const { return GetParam() == DbKind::kSqlite; }
  const std::string& uri() const { return uri_; }

  testing::TempDir temp_;
  testing::PostgresServer* pg_ = nullptr;
  std::string uri_;
};

}  // namespace floe::catalog
