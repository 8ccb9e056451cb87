// floe create | describe | snapshots | files | metadata | history | drop | rename | register
#include <arrow/api.h>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/inspect_render.h"
#include "cli/output.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/expr/ddl.h"
#include "floe/table/operations.h"
#include "floe/table/metadata_tables.h"
#include "floe/table/drop.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_summary.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

Result<std::map<std::string, std::string>> ParseProperties(const std::vector<std::string>& kvs) {
  std::map<std::string, std::string> out;
  for (const auto& kv : kvs) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Invalid("--property ", kv, " must look like key=value");
    }
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

std::string Summary(const spec::Snapshot& s, const char* key) {
  return s.SummaryValue(key).value_or("-");
}

// Prints an Arrow table in a text format (table, csv, json).
Status PrintTable(const arrow::Table& table, const std::string& format_name) {
  FLOE_ASSIGN_OR_RAISE(OutputFormat format, ParseOutputFormat(format_name));
  if (format == OutputFormat::kParquet) return Status::Invalid("--format parquet needs --output; use scan");
  FLOE_ASSIGN_OR_RAISE(auto writer, MakeResultWriter(format, table.schema(), &std::cout, ""));
  arrow::TableBatchReader reader(table);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (reader.ReadNext(&batch).ok() && batch) FLOE_RETURN_NOT_OK(writer->Write(*batch));
  return writer->Close();
}

}  // namespace

void AddTableCommands(CLI::App& app, const CommandEnv& env) {
  // ---- create
  auto* create = app.add_subcommand("create", "Create a table");
  struct CreateArgs {
    std::string table, schema, partition_by, sort_by, location;
    int format_version = 2;
    std::vector<std::string> properties;
  };
  auto c = std::make_shared<CreateArgs>();
  create->add_option("TABLE", c->table, "NAMESPACE.TABLE")->required();
  create->add_option("--schema", c->schema,
                     "Columns: \"event_id string not null, created_at timestamp, ...\"")
      ->required();
  create->add_option("--partition-by", c->partition_by,
                     "Partitioning: \"day(created_at), bucket(16, user_id), event_date\"");
  create->add_option("--sort-by", c->sort_by, "Write order: \"created_at desc, user_id\"");
  create->add_option("--format-version", c->format_version, "1, 2 or 3")
      ->check(CLI::Range(1, 3))
      ->capture_default_str();
  create->add_option("--property", c->properties, "key=value table property (repeatable)");
  create->add_option("--location", c->location, "Table location (default: the warehouse's)");
  create->callback([=] {
    RunCommand(env, "create", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(c->table));
      table::NewTableOptions o;
      o.format_version = c->format_version;
      o.location = c->location;
      FLOE_ASSIGN_OR_RAISE(o.schema, expr::ParseSchema(c->schema));
      FLOE_ASSIGN_OR_RAISE(o.spec, expr::ParsePartitionSpec(c->partition_by, o.schema));
      FLOE_ASSIGN_OR_RAISE(o.sort_order, expr::ParseSortOrder(c->sort_by, o.schema));
      FLOE_ASSIGN_OR_RAISE(o.properties, ParseProperties(c->properties));
      FLOE_RETURN_NOT_OK(o.schema.Validate(o.format_version));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_ASSIGN_OR_RAISE(auto table, table::CreateTable(cat, id, o));
      std::cout << "created table " << id.ToString() << " (format v" << c->format_version
                << ") at " << table.metadata().location << "\n";
      return Status::OK();
    });
  });

  // ---- describe
  auto* describe = app.add_subcommand("describe", "Show a table's schema, partitioning and state");
  auto describe_table = std::make_shared<std::string>();
  describe->add_option("TABLE", *describe_table, "NAMESPACE.TABLE, a table folder or metadata file")
      ->required();
  describe->callback([=] {
    RunCommand(env, "describe", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(*describe_table));
      const auto& md = t.metadata();
      const spec::Schema& schema = *md.CurrentSchema();
      std::cout << "table            " << t.name() << "\n";
      std::cout << "location         " << md.location << "\n";
      std::cout << "metadata         " << t.metadata_location() << "\n";
      std::cout << "format version   " << md.format_version << "\n";
      std::cout << "table uuid       " << md.table_uuid << "\n";
      std::cout << "schema " << schema.schema_id() << "\n";
      for (const auto& f : schema.fields()) {
        std::cout << fmt::format("  {:>3}  {:<24} {}{}{}\n", f.id, f.name, f.type->ToString(),
                                 f.required ? " not null" : "",
                                 f.doc ? "  -- " + *f.doc : "");
      }
      std::cout << "partitioning     " << md.DefaultSpec()->ToString(&schema) << "\n";
      std::cout << "sort order       "
                << md.SortOrderById(md.default_sort_order_id)->ToString(&schema) << "\n";
      const spec::Snapshot* cur = md.CurrentSnapshot();
      std::cout << "current snapshot "
                << (cur ? fmt::format("{} ({}, {} rows, {} data files)", cur->snapshot_id,
                                      FormatMillis(cur->timestamp_ms),
                                      Summary(*cur, "total-records"),
                                      Summary(*cur, "total-data-files"))
                        : "none") << "\n";
      std::cout << "snapshots        " << md.snapshots.size() << "\n";
      if (cur) {
        // The summary's table totals, as `floe serve` exports them.
        const table::SummaryTotals totals = table::ReadSummaryTotals(*cur);
        auto n = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "?"; };
        std::cout << fmt::format("totals           {} records, {} data files, {} bytes\n",
                                 n(totals.records), n(totals.data_files), n(totals.files_size));
        std::cout << fmt::format("delete debt      {} delete files, {} position deletes, {} equality deletes\n",
                                 n(totals.delete_files), n(totals.position_deletes),
                                 n(totals.equality_deletes));
      }
      if (!md.properties.empty()) {
        std::cout << "properties\n";
        for (const auto& [k, v] : md.properties) std::cout << "  " << k << " = " << v << "\n";
      }
      return Status::OK();
    });
  });

  // ---- snapshots
  auto* snapshots = app.add_subcommand("snapshots", "List a table's snapshots");
  auto snapshots_table = std::make_shared<std::string>();
  snapshots->add_option("TABLE", *snapshots_table, "NAMESPACE.TABLE or a path")->required();
  snapshots->callback([=] {
    RunCommand(env, "snapshots", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(*snapshots_table));
      const auto& md = t.metadata();
      std::cout << fmt::format("{:<20} {:<20} {:>4} {:<32} {:<10} {:>12} {:>12}  {}\n",
                               "snapshot_id", "parent_id", "seq", "committed_at", "operation",
                               "added_rows", "total_rows", "refs");
      for (const auto& s : md.snapshots) {
        std::string refs;
        for (const auto& [name, r] : md.refs) {
          if (r.snapshot_id == s.snapshot_id) refs += (refs.empty() ? "" : ",") + name;
        }
        std::cout << fmt::format(
            "{:<20} {:<20} {:>4} {:<32} {:<10} {:>12} {:>12}  {}\n", s.snapshot_id,
            s.parent_snapshot_id ? std::to_string(*s.parent_snapshot_id) : "-",
            s.sequence_number, FormatMillis(s.timestamp_ms), s.operation,
            Summary(s, "added-records"), Summary(s, "total-records"), refs);
      }
      return Status::OK();
    });
  });

  // ---- files
  auto* files = app.add_subcommand("files", "List the data and delete files of a snapshot");
  struct FilesArgs {
    std::string table, ref, as_of, where, format = "table";
    int64_t snapshot = 0;
    CLI::Option* snapshot_option = nullptr;
  };
  auto f = std::make_shared<FilesArgs>();
  files->add_option("TABLE", f->table, "NAMESPACE.TABLE or a path")->required();
  f->snapshot_option =
      files->add_option("--snapshot", f->snapshot, "Snapshot id (default: current)");
  files->add_option("--ref", f->ref, "Branch or tag");
  files->add_option("--as-of", f->as_of, "Time (the snapshot current then)");
  files->add_option("--where", f->where,
                    "Only the data files a scan with this filter reads, and their delete files "
                    "(planned; no data file is read)");
  files->add_option("--format", f->format, "table, csv or json")->capture_default_str();
  files->callback([=] {
    RunCommand(env, "files", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(f->table));
      std::optional<int64_t> as_of;
      if (!f->as_of.empty()) {
        FLOE_ASSIGN_OR_RAISE(as_of, ParseTimestampMillis(f->as_of));
      }
      std::optional<int64_t> id;
      if (f->snapshot_option->count() > 0) id = f->snapshot;
      std::optional<std::string> ref;
      if (!f->ref.empty()) ref = f->ref;
      FLOE_ASSIGN_OR_RAISE(const spec::Snapshot* s, table::SelectSnapshot(t.metadata(), id, as_of, ref));
      std::shared_ptr<arrow::Table> result;
      if (f->where.empty()) {
        FLOE_ASSIGN_OR_RAISE(result, table::ReadMetadataTable(t, "files",
                                                              s ? std::optional<int64_t>(s->snapshot_id)
                                                                : std::nullopt));
      } else {
        table::ScanOptions so;
        so.filter = f->where;
        if (s) so.snapshot_id = s->snapshot_id;
        FLOE_ASSIGN_OR_RAISE(result, table::PlannedFiles(t, so));
      }
      FLOE_RETURN_NOT_OK(PrintTable(*result, f->format));
      int64_t data = 0, deletes = 0, rows = 0, bytes = 0;
      auto content = std::static_pointer_cast<arrow::StringArray>(result->GetColumnByName("content")->chunk(0));
      auto records = std::static_pointer_cast<arrow::Int64Array>(result->GetColumnByName("record_count")->chunk(0));
      auto sizes = std::static_pointer_cast<arrow::Int64Array>(result->GetColumnByName("file_size_in_bytes")->chunk(0));
      for (int64_t i = 0; i < result->num_rows(); ++i) {
        const bool is_data = content->GetView(i) == "data";
        (is_data ? data : deletes) += 1;
        if (is_data) rows += records->Value(i);
        bytes += sizes->Value(i);
      }
      if (f->format == "table") {
        std::cout << fmt::format("{} data files ({} records), {} delete files, {} bytes\n", data,
                                 rows, deletes, bytes);
      }
      return Status::OK();
    });
  });

  // ---- metadata
  auto* meta = app.add_subcommand("metadata", "Show a metadata table: " +
                                                  util::Join(table::MetadataTableNames(), ", "));
  struct MetaArgs {
    std::string table, name, format = "table";
    int64_t snapshot = 0;
    CLI::Option* snapshot_option = nullptr;
  };
  auto m = std::make_shared<MetaArgs>();
  meta->add_option("TABLE", m->table, "NAMESPACE.TABLE or a path")->required();
  meta->add_option("NAME", m->name, util::Join(table::MetadataTableNames(), "|"))->required();
  m->snapshot_option = meta->add_option("--snapshot", m->snapshot, "Snapshot id (default: current)");
  meta->add_option("--format", m->format, "table, csv or json")->capture_default_str();
  meta->callback([=] {
    RunCommand(env, "metadata", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(m->table));
      std::optional<int64_t> id;
      if (m->snapshot_option->count() > 0) id = m->snapshot;
      FLOE_ASSIGN_OR_RAISE(auto result, table::ReadMetadataTable(t, m->name, id));
      return PrintTable(*result, m->format);
    });
  });

  // ---- history
  auto* history = app.add_subcommand("history", "Show when each snapshot became current");
  auto history_table = std::make_shared<std::string>();
  history->add_option("TABLE", *history_table, "NAMESPACE.TABLE or a path")->required();
  history->callback([=] {
    RunCommand(env, "history", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(*history_table));
      const auto& md = t.metadata();
      spec::SnapshotIndex index(md);
      std::set<int64_t> ancestors;
      if (md.current_snapshot_id) {
        for (const auto* s : index.Ancestors(*md.current_snapshot_id)) ancestors.insert(s->snapshot_id);
      }
      std::cout << fmt::format("{:<32} {:<20} {:<20} {}\n", "made_current_at", "snapshot_id",
                               "parent_id", "is_current_ancestor");
      for (const auto& e : md.snapshot_log) {
        const spec::Snapshot* s = index.Find(e.snapshot_id);
        std::cout << fmt::format(
            "{:<32} {:<20} {:<20} {}\n", FormatMillis(e.timestamp_ms), e.snapshot_id,
            s && s->parent_snapshot_id ? std::to_string(*s->parent_snapshot_id) : "-",
            ancestors.count(e.snapshot_id) ? "true" : "false");
      }
      return Status::OK();
    });
  });

  // ---- drop
  auto* drop = app.add_subcommand("drop", "Drop a table (--purge also deletes its files)");
  auto drop_table = std::make_shared<std::string>();
  auto drop_options = std::make_shared<table::DropOptions>();
  drop->add_option("TABLE", *drop_table, "NAMESPACE.TABLE")->required();
  drop->add_flag("--purge", drop_options->purge, "Delete the table's data and metadata files too");
  drop->add_flag("--dry-run", drop_options->dry_run,
                 "With --purge: list the files it would delete and keep the table");
  drop->callback([=] {
    RunCommand(env, "drop", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(*drop_table));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_ASSIGN_OR_RAISE(auto report, table::DropTable(*cat, id, *drop_options));
      if (drop_options->dry_run) {
        for (const auto& f : report.files) std::cout << f << "\n";
        std::cout << "would delete " << report.files.size() << " files of table " << id.ToString()
                  << " (dry run: nothing dropped or deleted)\n";
        return Status::OK();
      }
      std::cout << "dropped table " << id.ToString();
      if (drop_options->purge) {
        std::cout << " and deleted " << report.deleted << " files";
        if (report.failed) std::cout << " (" << report.failed << " could not be deleted)";
      }
      std::cout << "\n";
      return Status::OK();
    });
  });

  // ---- rename
  auto* rename = app.add_subcommand("rename", "Rename a table");
  auto rename_from = std::make_shared<std::string>();
  auto rename_to = std::make_shared<std::string>();
  rename->add_option("FROM", *rename_from, "NAMESPACE.TABLE")->required();
  rename->add_option("TO", *rename_to, "NAMESPACE.TABLE")->required();
  rename->callback([=] {
    RunCommand(env, "rename", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto from, catalog::TableIdentifier::Parse(*rename_from));
      FLOE_ASSIGN_OR_RAISE(auto to, catalog::TableIdentifier::Parse(*rename_to));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      FLOE_RETURN_NOT_OK(cat->RenameTable(from, to));
      std::cout << "renamed " << from.ToString() << " to " << to.ToString() << "\n";
      return Status::OK();
    });
  });

  // ---- register
  auto* reg = app.add_subcommand("register", "Register an existing metadata file as a table");
  auto reg_table = std::make_shared<std::string>();
  auto reg_file = std::make_shared<std::string>();
  reg->add_option("TABLE", *reg_table, "NAMESPACE.TABLE")->required();
  reg->add_option("METADATA_FILE", *reg_file, "The table's metadata JSON file")->required();
  reg->callback([=] {
    RunCommand(env, "register", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(*reg_table));
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      std::string location = *reg_file;
      if (!io::IsRemote(location) && location.rfind("file:", 0) != 0) {
        location = "file://" + std::filesystem::absolute(location).lexically_normal().string();
      }
      FLOE_RETURN_NOT_OK(cat->RegisterTable(id, location).status());
      std::cout << "registered " << id.ToString() << " at " << location << "\n";
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
