#include "support/system_user.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace floe::testing {

Result<SystemUser> UnprivilegedUser() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("FLOE_TEST_USER"); env && *env) {
    candidates.push_back(env);
  } else {
    candidates = {"postgres", "nobody"};
  }
  for (const std::string& name : candidates) {
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_uid != 0) {
      return SystemUser{found->pw_uid, found->pw_gid, name};
    }
  }
  return Status::NotFound("no unprivileged account to run as (tried ",
                          candidates.size() == 1 ? candidates[0] : "postgres, nobody",
                          "); create one or set FLOE_TEST_USER");
}

bool BecomeUser(const SystemUser& user) {
  return setgroups(0, nullptr) == 0 && setgid(user.gid) == 0 && setuid(user.uid) == 0;
}

}  // namespace floe::testing
