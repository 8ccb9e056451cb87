// The floe CLI's subcommands. Each Add* registers one command on `app`; its
// callback stores the process exit code in *exit_code. Commands format
// output and call libfloe; they hold no table logic.
#pragma once

#include <CLI/CLI.hpp>

namespace floe::cli {

void AddInspectCommand(CLI::App& app, int* exit_code);

}  // namespace floe::cli
