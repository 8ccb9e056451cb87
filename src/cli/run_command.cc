#include <iostream>

#include "cli/commands.h"

namespace floe::cli {

void RunCommand(const CommandEnv& env, const std::string& name,
                const std::function<Status(Context&)>& body) {
  Context ctx(*env.globals);
  Status st = body(ctx);
  if (!st.ok()) {
    std::cerr << "floe " << name << ": " << st.ToString() << "\n";
    *env.exit_code = 1;
  }
}

}  // namespace floe::cli
