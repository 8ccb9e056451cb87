// floe namespace create|list|drop NS; floe list [NS]
#include <iostream>

#include "cli/commands.h"
#include "floe/catalog/catalog_config.h"

namespace floe::cli {

void AddNamespaceCommands(CLI::App& app, const CommandEnv& env) {
  auto* ns = app.add_subcommand("namespace", "Create, list or drop namespaces");
  ns->require_subcommand(1);

  auto* create = ns->add_subcommand("create", "Create a namespace");
  auto create_name = std::make_shared<std::string>();
  auto create_props = std::make_shared<std::vector<std::string>>();
  create->add_option("NS", *create_name, "Namespace, e.g. analytics")->required();
  create->add_option("--property", *create_props, "k=v namespace property (repeatable)");
  create->callback([=] {
    RunCommand(env, "namespace create", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto ns, catalog::ParseNamespace(*create_name));
      catalog::Properties props;
      FLOE_RETURN_NOT_OK(catalog::AddPropertyOptions(*create_props, &props));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_RETURN_NOT_OK(cat->CreateNamespace(ns, props));
      std::cout << "created namespace " << *create_name << "\n";
      return Status::OK();
    });
  });

  auto* list = ns->add_subcommand("list", "List namespaces (or the children of NS)");
  auto list_parent = std::make_shared<std::string>();
  list->add_option("NS", *list_parent, "Parent namespace");
  list->callback([=] {
    RunCommand(env, "namespace list", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      std::optional<catalog::Namespace> parent;
      if (!list_parent->empty()) {
        FLOE_ASSIGN_OR_RAISE(parent, catalog::ParseNamespace(*list_parent));
      }
      FLOE_ASSIGN_OR_RAISE(auto all, cat->ListNamespaces(parent));
      for (const auto& n : all) std::cout << catalog::NamespaceToString(n) << "\n";
      return Status::OK();
    });
  });

  auto* drop = ns->add_subcommand("drop", "Drop an empty namespace");
  auto drop_name = std::make_shared<std::string>();
  drop->add_option("NS", *drop_name, "Namespace")->required();
  drop->callback([=] {
    RunCommand(env, "namespace drop", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto ns, catalog::ParseNamespace(*drop_name));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_RETURN_NOT_OK(cat->DropNamespace(ns));
      std::cout << "dropped namespace " << *drop_name << "\n";
      return Status::OK();
    });
  });

  auto* tables = app.add_subcommand("list", "List the tables of NS, or of every namespace");
  auto tables_ns = std::make_shared<std::string>();
  tables->add_option("NS", *tables_ns, "Namespace");
  tables->callback([=] {
    RunCommand(env, "list", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      std::vector<catalog::Namespace> namespaces;
      if (!tables_ns->empty()) {
        FLOE_ASSIGN_OR_RAISE(auto ns, catalog::ParseNamespace(*tables_ns));
        namespaces.push_back(ns);
      } else {
        // Every namespace, depth first.
        std::vector<catalog::Namespace> stack;
        FLOE_ASSIGN_OR_RAISE(stack, cat->ListNamespaces(std::nullopt));
        while (!stack.empty()) {
          auto ns = stack.front();
          stack.erase(stack.begin());
          namespaces.push_back(ns);
          FLOE_ASSIGN_OR_RAISE(auto children, cat->ListNamespaces(ns));
          stack.insert(stack.begin(), children.begin(), children.end());
        }
      }
      for (const auto& ns : namespaces) {
        FLOE_ASSIGN_OR_RAISE(auto ids, cat->ListTables(ns));
        for (const auto& id : ids) std::cout << id.ToString() << "\n";
      }
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
