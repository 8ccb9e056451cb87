// floe import | add-files: tables over existing Parquet files, which stay
// where they are (floe/table/add_files.h).
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "floe/table/add_files.h"

namespace floe::cli {

void AddImportCommands(CLI::App& app, const CommandEnv& env) {
  auto* imp = app.add_subcommand(
      "import", "Create a table over existing Parquet files (not copied or rewritten)");
  auto i_table = std::make_shared<std::string>();
  auto i_files = std::make_shared<std::vector<std::string>>();
  auto i_partition = std::make_shared<std::string>();
  auto i_version = std::make_shared<int>(2);
  imp->add_option("TABLE", *i_table, "NAMESPACE.TABLE to create")->required();
  imp->add_option("FILE", *i_files, "Parquet files; the schema comes from the first")->required();
  imp->add_option("--partition-by", *i_partition, "Partitioning, e.g. \"event_date\"");
  imp->add_option("--format-version", *i_version)->check(CLI::Range(1, 3));
  imp->callback([=] {
    RunCommand(env, "import", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(*i_table));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_ASSIGN_OR_RAISE(auto t, table::ImportTable(cat, id, *i_files, *i_partition, *i_version));
      const auto* snap = t.metadata().CurrentSnapshot();
      std::cout << fmt::format("imported {}: {} files, {} rows, snapshot {}\n", *i_table,
                               i_files->size(), snap ? snap->SummaryValue("total-records").value_or("?") : "0",
                               snap ? snap->snapshot_id : 0);
      return Status::OK();
    });
  });

  auto* add = app.add_subcommand(
      "add-files", "Add existing Parquet files to a table (not copied or rewritten)");
  auto a_table = std::make_shared<std::string>();
  auto a_files = std::make_shared<std::vector<std::string>>();
  add->add_option("TABLE", *a_table, "NAMESPACE.TABLE")->required();
  add->add_option("FILE", *a_files, "Parquet files")->required();
  add->callback([=] {
    RunCommand(env, "add-files", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*a_table));
      FLOE_ASSIGN_OR_RAISE(auto r, table::AddFiles(t, *a_files));
      std::cout << fmt::format("add-files: snapshot {}, {} rows in {} files\n", r.snapshot_id,
                               r.rows_added, r.files_added);
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
