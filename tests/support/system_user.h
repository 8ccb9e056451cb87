// An unprivileged account for tests that run as root: PostgreSQL's initdb and
// postgres refuse to run as root, and root ignores file permissions, so tests
// of read-only files must drop privileges to see them.
#pragma once

#include <sys/types.h>

#include <string>

#include "floe/result.h"

namespace floe::testing {

struct SystemUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// $FLOE_TEST_USER if set, else "postgres" (created by Debian's postgresql
// package), else "nobody". NotFound if none exists. No account is created.
Result<SystemUser> UnprivilegedUser();

// Turns the calling process into `user` (no supplementary groups, then gid,
// then uid). Meant for a forked child before exec: only async-signal-safe
// calls. Returns false, with errno set, on failure.
bool BecomeUser(const SystemUser& user);

}  // namespace floe::testing
