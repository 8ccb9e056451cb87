// floe append | delete | overwrite
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "floe/table/operations.h"
#include "floe/table/row_level.h"

namespace floe::cli {

namespace {

void PrintReport(const std::string& verb, const table::WriteReport& r) {
  if (!r.changed) {
    std::cout << (verb == "append" ? "nothing to append (no rows)\n"
                                   : "no rows matched; the table is unchanged\n");
    return;
  }
  std::cout << fmt::format("{}: snapshot {}", verb, r.snapshot_id);
  if (verb == "upsert") {
    std::cout << fmt::format(", {} rows in: {} updated, {} inserted ({}, {} data files",
                             r.rows_added, r.rows_deleted, r.rows_added - r.rows_deleted,
                             r.merge_on_read ? "merge-on-read" : "copy-on-write", r.files_added);
    if (r.merge_on_read) std::cout << fmt::format(", {} delete files", r.delete_files_added);
    if (r.files_rewritten) std::cout << fmt::format(", {} files rewritten", r.files_rewritten);
    std::cout << ")";
    if (r.attempts > 1) std::cout << fmt::format(", committed on attempt {}", r.attempts);
    std::cout << "\n";
    return;
  }
  if (r.rows_added) std::cout << fmt::format(", {} rows added in {} files", r.rows_added, r.files_added);
  if (r.merge_on_read && r.delete_files_added) {
    std::cout << fmt::format(", {} rows deleted by {} delete files (merge-on-read)", r.rows_deleted,
                             r.delete_files_added);
    if (r.files_removed) std::cout << fmt::format(", {} files dropped unread", r.files_removed);
  } else if (r.rows_deleted || r.files_removed) {
    std::cout << fmt::format(", {} rows deleted ({} files removed: {} dropped unread, {} "
                             "rewritten)",
                             r.rows_deleted, r.files_removed, r.files_dropped_unread,
                             r.files_rewritten);
  }
  if (r.attempts > 1) std::cout << fmt::format(", committed on attempt {}", r.attempts);
  std::cout << "\n";
}

Result<table::BatchSource> Inputs(const table::Table& t, const std::vector<std::string>& files,
                                  std::shared_ptr<Progress> progress) {
  size_t count = files.size();
  return OpenInputs(files, *t.metadata().CurrentSchema(),
                    [progress, count](int64_t rows, size_t file) {
                      progress->Update(fmt::format("file {}/{}, {} rows", file + 1, count, rows));
                    });
}

}  // namespace

void AddWriteCommands(CLI::App& app, const CommandEnv& env) {
  auto* append = app.add_subcommand("append", "Append Parquet, CSV or NDJSON files to a table");
  auto a_table = std::make_shared<std::string>();
  auto a_files = std::make_shared<std::vector<std::string>>();
  append->add_option("TABLE", *a_table, "NAMESPACE.TABLE")->required();
  append->add_option("FILE", *a_files, "Files to append (.parquet, .csv, .json/.ndjson)")
      ->required();
  append->callback([=] {
    RunCommand(env, "append", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*a_table));
      auto progress = std::make_shared<Progress>("append " + *a_table);
      FLOE_ASSIGN_OR_RAISE(auto source, Inputs(t, *a_files, progress));
      FLOE_ASSIGN_OR_RAISE(auto report, table::Append(t, source));
      progress->Done();
      PrintReport("append", report);
      return Status::OK();
    });
  });

  auto* del = app.add_subcommand("delete", "Delete the rows matching a filter");
  auto d_table = std::make_shared<std::string>();
  auto d_where = std::make_shared<std::string>();
  del->add_option("TABLE", *d_table, "NAMESPACE.TABLE")->required();
  del->add_option("--where", *d_where, "Filter, e.g. \"event_date < date '2024-06-05'\"")->required();
  del->callback([=] {
    RunCommand(env, "delete", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*d_table));
      Progress progress("delete from " + *d_table);
      progress.Update("planning and writing the change");
      FLOE_ASSIGN_OR_RAISE(auto report, table::DeleteWhere(t, *d_where));
      progress.Done();
      PrintReport("delete", report);
      return Status::OK();
    });
  });

  auto* over = app.add_subcommand("overwrite",
                                  "Replace the rows matching a filter with the files' rows");
  auto o_table = std::make_shared<std::string>();
  auto o_files = std::make_shared<std::vector<std::string>>();
  auto o_where = std::make_shared<std::string>();
  over->add_option("TABLE", *o_table, "NAMESPACE.TABLE")->required();
  over->add_option("FILE", *o_files, "Files with the new rows")->required();
  over->add_option("--where", *o_where, "Filter selecting the rows to replace")->required();
  over->callback([=] {
    RunCommand(env, "overwrite", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*o_table));
      auto progress = std::make_shared<Progress>("overwrite " + *o_table);
      FLOE_ASSIGN_OR_RAISE(auto source, Inputs(t, *o_files, progress));
      FLOE_ASSIGN_OR_RAISE(auto report, table::OverwriteWhere(t, *o_where, source));
      progress->Done();
      PrintReport("overwrite", report);
      return Status::OK();
    });
  });

  auto* upsert = app.add_subcommand(
      "upsert", "Insert the files' rows, replacing the rows that have the same key");
  auto u_table = std::make_shared<std::string>();
  auto u_files = std::make_shared<std::vector<std::string>>();
  auto u_keys = std::make_shared<std::string>();
  auto u_equality = std::make_shared<bool>(false);
  upsert->add_option("TABLE", *u_table, "NAMESPACE.TABLE")->required();
  upsert->add_option("FILE", *u_files, "Files with the new rows")->required();
  upsert->add_option("--key", *u_keys,
                     "Key columns, comma-separated (default: the table's identifier fields)");
  upsert->add_flag("--equality-deletes", *u_equality,
                   "Merge-on-read: delete old rows by key with equality deletes (as Flink does) "
                   "instead of finding them and writing position deletes");
  upsert->callback([=] {
    RunCommand(env, "upsert", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(*u_table));
      auto progress = std::make_shared<Progress>("upsert " + *u_table);
      FLOE_ASSIGN_OR_RAISE(auto source, Inputs(t, *u_files, progress));
      table::UpsertOptions options;
      options.equality_deletes = *u_equality;
      for (std::string_view rest = *u_keys; !rest.empty();) {
        size_t comma = rest.find(',');
        std::string key(rest.substr(0, comma));
        while (!key.empty() && key.front() == ' ') key.erase(key.begin());
        while (!key.empty() && key.back() == ' ') key.pop_back();
        if (!key.empty()) options.key_columns.push_back(key);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      FLOE_ASSIGN_OR_RAISE(auto report, table::Upsert(t, source, options));
      progress->Done();
      PrintReport("upsert", report);
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
