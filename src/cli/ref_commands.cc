// floe tag|branch create|drop TABLE NAME [--snapshot ID]
#include <iostream>

#include "cli/commands.h"
#include "floe/table/operations.h"

namespace floe::cli {

namespace {

void AddRefGroup(CLI::App& app, const CommandEnv& env, const std::string& kind,
                 spec::RefType type) {
  auto* group = app.add_subcommand(kind, "Create or drop a " + kind);
  group->require_subcommand(1);
  auto* create = group->add_subcommand("create", "Create a " + kind + " at a snapshot");
  auto table = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto snapshot = std::make_shared<int64_t>(0);
  create->add_option("TABLE", *table, "NAMESPACE.TABLE")->required();
  create->add_option("NAME", *name, kind + " name")->required();
  CLI::Option* snapshot_option =
      create->add_option("--snapshot", *snapshot, "Snapshot id (default: current)");
  create->callback([=] {
    RunCommand(env, kind + " create", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*table));
      std::optional<int64_t> id;
      if (snapshot_option->count() > 0) id = *snapshot;
      FLOE_RETURN_NOT_OK(table::CreateRef(t, *name, type, id));
      std::cout << "created " << kind << " " << *name << " at snapshot "
                << t.metadata().refs.at(*name).snapshot_id << "\n";
      return Status::OK();
    });
  });
  auto* drop = group->add_subcommand("drop", "Drop a " + kind);
  auto d_table = std::make_shared<std::string>();
  auto d_name = std::make_shared<std::string>();
  drop->add_option("TABLE", *d_table, "NAMESPACE.TABLE")->required();
  drop->add_option("NAME", *d_name, kind + " name")->required();
  drop->callback([=] {
    RunCommand(env, kind + " drop", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*d_table));
      FLOE_RETURN_NOT_OK(table::DropRef(t, *d_name, type));
      std::cout << "dropped " << kind << " " << *d_name << "\n";
      return Status::OK();
    });
  });
}

}  // namespace

void AddRefCommands(CLI::App& app, const CommandEnv& env) {
  AddRefGroup(app, env, "tag", spec::RefType::kTag);
  AddRefGroup(app, env, "branch", spec::RefType::kBranch);
}

}  // namespace floe::cli
