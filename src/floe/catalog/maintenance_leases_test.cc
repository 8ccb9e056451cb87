// Maintenance leases on SQLite and PostgreSQL: one holder at a time,
// renewal, expiry takeover, release, and exactly one winner among threads
// racing on separate connections.
#include "floe/catalog/maintenance_leases.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "floe/catalog/catalog_test_util.h"
#include "floe/catalog/sql_catalog.h"
#include "support/status_assertions.h"

namespace floe::catalog {
namespace {

class LeaseTest : public DatabaseTest {};

TEST_P(LeaseTest, OneHolderAtATimeUntilItExpiresOrIsReleased) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto cat, OpenCatalog());
  FLOE_ASSERT_OK_AND_ASSIGN(auto leases, MaintenanceLeases::Open(&cat->backend(), cat->name()));
  const TableIdentifier t{{"db"}, "events"}, u{{"db"}, "other"};
  FLOE_ASSERT_OK_AND_ASSIGN(bool a, leases.TryAcquire(t, "host-a", 1000, 500));
  EXPECT_TRUE(a);
  FLOE_ASSERT_OK_AND_ASSIGN(bool b, leases.TryAcquire(t, "host-b", 1200, 500));
  EXPECT_FALSE(b) << "a valid lease was taken over";
  FLOE_ASSERT_OK_AND_ASSIGN(bool other_table, leases.TryAcquire(u, "host-b", 1200, 500));
  EXPECT_TRUE(other_table);
  FLOE_ASSERT_OK_AND_ASSIGN(bool renewed, leases.TryAcquire(t, "host-a", 1400, 500));
  EXPECT_TRUE(renewed);
  FLOE_ASSERT_OK_AND_ASSIGN(b, leases.TryAcquire(t, "host-b", 1800, 500));
  EXPECT_FALSE(b) << "the renewal did not extend the lease";
  FLOE_ASSERT_OK_AND_ASSIGN(b, leases.TryAcquire(t, "host-b", 1901, 500));
  EXPECT_TRUE(b) << "an expired lease was not taken over";
  FLOE_ASSERT_OK(leases.Release(t, "host-a"));  // not the holder: nothing happens
  FLOE_ASSERT_OK_AND_ASSIGN(a, leases.TryAcquire(t, "host-a", 2000, 500));
  EXPECT_FALSE(a);
  FLOE_ASSERT_OK(leases.Release(t, "host-b"));
  FLOE_ASSERT_OK_AND_ASSIGN(a, leases.TryAcquire(t, "host-a", 2000, 500));
  EXPECT_TRUE(a);
  // Another catalog name in the same database has its own leases.
  FLOE_ASSERT_OK_AND_ASSIGN(auto other, MaintenanceLeases::Open(&cat->backend(), "other_catalog"));
  FLOE_ASSERT_OK_AND_ASSIGN(bool c, other.TryAcquire(t, "host-c", 2000, 500));
  EXPECT_TRUE(c);
}

TEST_P(LeaseTest, RacingContendersHaveExactlyOneWinner) {
  for (int round = 0; round < 10; ++round) {
    std::vector<std::unique_ptr<SqlCatalog>> catalogs;
    for (int i = 0; i < 4; ++i) {
      FLOE_ASSERT_OK_AND_ASSIGN(auto cat, OpenCatalog());
      catalogs.push_back(std::move(cat));
    }
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        auto leases = MaintenanceLeases::Open(&catalogs[i]->backend(), "default");
        ASSERT_TRUE(leases.ok()) << leases.status().ToString();
        auto won = leases->TryAcquire(TableIdentifier{{"db"}, "t" + std::to_string(round)},
                                      "host-" + std::to_string(i), 10000, 60000);
        ASSERT_TRUE(won.ok()) << won.status().ToString();
        winners += *won ? 1 : 0;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Db, LeaseTest, ::testing::Values(DbKind::kSqlite, DbKind::kPostgres),
                         DbKindName);

}  // namespace
}  // namespace floe::catalog
