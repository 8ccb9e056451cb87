// Shared by the catalog tests: a fresh, empty database of either kind per
// test, and assertion helpers for Status/Result.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "floe/catalog/sql_catalog.h"
#include "support/postgres_environment.h"
#include "support/status_assertions.h"
#include "support/test_util.h"

namespace floe::catalog {

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
