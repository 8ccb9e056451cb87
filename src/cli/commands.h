// The floe CLI's subcommands. Each Add* registers one command (or group) on
// `app`; its callback runs it with the shared Context and stores the exit
// code. Commands parse arguments and format output; table logic lives in
// libfloe.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/context.h"

namespace floe::cli {

struct CommandEnv {
  GlobalOptions* globals;
  int* exit_code;
};

// Runs `body` with a Context built from the global options; on error prints
// "floe <command>: <message>" to stderr and sets exit code 1.
void RunCommand(const CommandEnv& env, const std::string& name,
                const std::function<Status(Context&)>& body);

void AddInspectCommand(CLI::App& app, int* exit_code);
void AddNamespaceCommands(CLI::App& app, const CommandEnv& env);
void AddTableCommands(CLI::App& app, const CommandEnv& env);
void AddWriteCommands(CLI::App& app, const CommandEnv& env);
void AddScanCommands(CLI::App& app, const CommandEnv& env);
void AddRefCommands(CLI::App& app, const CommandEnv& env);
void AddAlterCommand(CLI::App& app, const CommandEnv& env);
void AddImportCommands(CLI::App& app, const CommandEnv& env);
void AddMaintenanceCommands(CLI::App& app, const CommandEnv& env);
void AddServeCommand(CLI::App& app, const CommandEnv& env);

}  // namespace floe::cli
