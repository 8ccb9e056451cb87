// floe: the command-line front end of libfloe.
#include <arrow/memory_pool.h>
#include <arrow/util/config.h>
#include <arrow/util/logging.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "floe/io/s3_file_io.h"
#include "floe/util/memory_pool.h"
#include "floe/util/parallel.h"

namespace {
std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
}  // namespace

int main(int argc, char** argv) {
  floe::util::PreferJemallocPool();  // before anything allocates through Arrow
  // Destroyed last: shuts S3 down after every command's FileIO is gone.
  floe::io::ScopedS3Shutdown s3_shutdown;
  // Errors reach the user as one line each, from Floe's own Status values;
  // Arrow's log lines (say, about streams abandoned after a failed upload)
  // would only repeat them.
  arrow::util::ArrowLog::StartArrowLog("floe", arrow::util::ArrowLogLevel::ARROW_FATAL);
  CLI::App app{"floe: Apache Iceberg tables from the command line"};
  app.require_subcommand(0, 1);
  app.fallthrough();
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");
  floe::cli::GlobalOptions globals;
  // Unset here means "not given": catalog.properties may then supply them.
  globals.catalog = EnvOr("FLOE_CATALOG", "");
  globals.warehouse = EnvOr("FLOE_WAREHOUSE", "");
  globals.catalog_name = EnvOr("FLOE_CATALOG_NAME", "default");
  globals.catalog_config = EnvOr("FLOE_CATALOG_CONFIG", "");
  app.add_option("--catalog", globals.catalog,
                 "Catalog database: sqlite:///path.db or postgresql://user:pass@host:port/db "
                 "(env FLOE_CATALOG; default sqlite:///./warehouse/catalog.db)");
  app.add_option("--warehouse", globals.warehouse,
                 "Where new tables are created: a folder or s3://bucket/path "
                 "(env FLOE_WAREHOUSE; default ./warehouse)");
  app.add_option("--catalog-config", globals.catalog_config,
                 "Java catalog.properties file (uri, warehouse, s3.*; ${ENV} substituted); "
                 "env FLOE_CATALOG_CONFIG");
  app.add_option("--property", globals.properties,
                 "k=v catalog property, as in catalog.properties (repeatable; before the command)");
  app.add_option("--catalog-name", globals.catalog_name,
                 "Catalog name shared with other engines (env FLOE_CATALOG_NAME)")
      ->capture_default_str();
  app.add_option("--path-map", globals.path_maps,
                 "FROM=TO: read locations starting with FROM under TO (repeatable)");
  // FLOE_THREADS as before: a number (above 256: 256), else ignored; an
  // explicit --threads is checked. Applied while parsing, before any
  // command runs (option callbacks run before subcommand callbacks).
  if (std::optional<int> env = floe::util::ThreadsFromEnv()) (void)floe::util::SetThreads(*env);
  app.add_option_function<int>(
      "--threads",
      [](const int& n) {
        if (floe::Status st = floe::util::SetThreads(n); !st.ok()) {
          throw CLI::ValidationError("--threads", st.message());
        }
      },
      "Threads for every pool: planning, decoding, writing, object store reads "
      "(env FLOE_THREADS; default 0: the machine's cores)");
  int exit_code = 0;
  floe::cli::CommandEnv env{&globals, &exit_code};
  floe::cli::AddInspectCommand(app, &exit_code);
  floe::cli::AddNamespaceCommands(app, env);
  floe::cli::AddTableCommands(app, env);
  floe::cli::AddAlterCommand(app, env);
  floe::cli::AddImportCommands(app, env);
  floe::cli::AddWriteCommands(app, env);
  floe::cli::AddScanCommands(app, env);
  floe::cli::AddRefCommands(app, env);
  floe::cli::AddMaintenanceCommands(app, env);
  floe::cli::AddServeCommand(app, env);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version-like exits print as CLI11 does; errors print one
    // line on stderr, as every other failure does.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::string message = e.what();
    for (char& ch : message) {
      if (ch == '\n' || ch == '\r') ch = ' ';
    }
    std::cerr << "floe: " << message << " (see floe --help)\n";
    return e.get_exit_code();
  }
  if (version) {
    std::cout << "floe " << FLOE_VERSION << " (Arrow " << ARROW_VERSION_STRING << ", memory pool "
              << arrow::default_memory_pool()->backend_name() << ")\n";
    return 0;
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 0;
  }
  return exit_code;
}
