// One PostgresServer per test binary: started by the first test that asks for
// it (so binaries or filters without PostgreSQL tests pay nothing), stopped by
// a GoogleTest environment when all tests have run.
#pragma once

#include "support/postgres_server.h"

namespace floe::testing {

// The shared server, or nullptr when it could not start. In that case the
// current test gets a failure explaining why, unless FLOE_SKIP_POSTGRES=1 is
// set, which makes callers skip instead:
//   PostgresServer* pg = SharedPostgres();
//   if (pg == nullptr) GTEST_SKIP() << "no PostgreSQL";
// Call it from the main thread (test bodies and fixtures run there): the
// server lives as long as the thread that started it (postgres_server.h).
PostgresServer* SharedPostgres();

}  // namespace floe::testing
