// floe alter NS.T CHANGE [CHANGE...]: schema, partition and write-order
// evolution in one commit (grammar: floe/expr/ddl.h, AlterChange).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "floe/table/alter.h"

namespace floe::cli {

void AddAlterCommand(CLI::App& app, const CommandEnv& env) {
  auto* alter = app.add_subcommand(
      "alter", "Evolve a table's schema, partitioning or write order (no data is rewritten)");
  auto table = std::make_shared<std::string>();
  auto changes = std::make_shared<std::vector<std::string>>();
  alter->add_option("TABLE", *table, "NAMESPACE.TABLE")->required();
  alter->add_option("CHANGE", *changes,
                    "One or more changes, each quoted, applied together (one change may also be "
                    "typed as plain words: floe alter db.t add column region string):\n"
                    "  \"add column NAME TYPE [not null] [comment 'doc'] [first|after C|before C] "
                    "[default VALUE]\"\n"
                    "  \"drop column NAME\"   \"rename column NAME to NEW\"\n"
                    "  \"alter column NAME type TYPE | drop not null | set not null | comment "
                    "'doc'\"\n"
                    "  \"move column NAME first|after C|before C\"\n"
                    "  \"set identifier fields C[, C]\"   \"drop identifier fields\"\n"
                    "  \"add partition field day(ts) [as NAME]\"   \"drop partition field NAME\"\n"
                    "  \"replace partition field NAME with bucket(16, id)\"\n"
                    "  \"write ordered by ts desc, id\"   \"write unordered\"")
      ->required();
  alter->callback([=] {
    RunCommand(env, "alter", [&](Context& ctx) -> Status {
      std::vector<expr::AlterChange> parsed;
      // Quoted changes are one argument each and hold spaces; a change typed
      // as plain words arrives as several arguments, some without spaces.
      const bool words = changes->size() > 1 &&
                         std::any_of(changes->begin(), changes->end(), [](const std::string& a) {
                           return a.find(' ') == std::string::npos;
                         });
      if (words) {
        std::string text;
        for (const std::string& a : *changes) text += (text.empty() ? "" : " ") + a;
        auto c = expr::ParseAlterChange(text);
        if (!c.ok()) {
          return c.status().WithContext(
              "reading the words as one change (quote each change when giving several: "
              "floe alter " + *table + " \"add column a int\" \"drop column b\")");
        }
        parsed.push_back(std::move(*c));
      }
      for (const std::string& text : words ? std::vector<std::string>{} : *changes) {
        FLOE_ASSIGN_OR_RAISE(auto c, expr::ParseAlterChange(text));
        parsed.push_back(std::move(c));
      }
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*table));
      FLOE_RETURN_NOT_OK(table::Alter(t, parsed));
      const spec::TableMetadata& md = t.metadata();
      std::cout << fmt::format("altered {}: schema {}, partition spec {}, sort order {}\n",
                               *table, md.current_schema_id, md.default_spec_id,
                               md.default_sort_order_id);
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
