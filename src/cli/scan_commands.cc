// floe scan | count
#include <arrow/record_batch.h>
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "floe/table/scan.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

struct TravelArgs {
  int64_t snapshot = 0;
  CLI::Option* snapshot_option = nullptr;  // given? (any id, negative ones too)
  std::string as_of;
  std::string ref;
};

void AddTravelOptions(CLI::App* cmd, TravelArgs* t) {
  t->snapshot_option = cmd->add_option("--snapshot", t->snapshot, "Read this snapshot id");
  cmd->add_option("--as-of", t->as_of,
                  "Read the snapshot current at this time (2024-06-01T10:00:00[Z], or ms)");
  cmd->add_option("--ref", t->ref, "Read this branch or tag");
}

Status ApplyTravel(const TravelArgs& t, table::ScanOptions* so) {
  if (t.snapshot_option && t.snapshot_option->count() > 0) so->snapshot_id = t.snapshot;
  if (!t.ref.empty()) so->ref = t.ref;
  if (!t.as_of.empty()) {
    FLOE_ASSIGN_OR_RAISE(so->as_of_ms, ParseTimestampMillis(t.as_of));
  }
  return Status::OK();
}

}  // namespace

void AddScanCommands(CLI::App& app, const CommandEnv& env) {
  auto* scan = app.add_subcommand("scan", "Read rows of a table");
  struct ScanArgs {
    std::string table, where, select, format = "table", output, explain;
    int64_t limit = -1;
    TravelArgs travel;
  };
  auto s = std::make_shared<ScanArgs>();
  scan->add_option("TABLE", s->table, "NAMESPACE.TABLE, a table folder or a metadata file")
      ->required();
  scan->add_option("--where", s->where, "Filter, e.g. \"event_date = date '2024-06-03'\"");
  scan->add_option("--select", s->select, "Columns, comma-separated (default: all)");
  AddTravelOptions(scan, &s->travel);
  scan->add_option("--limit", s->limit, "At most this many rows");
  scan->add_option("--format", s->format,
                    "table, csv, json (lines), parquet or arrow (IPC stream, for pyarrow, DuckDB, "
                    "Polars)")
      ->check(CLI::IsMember({"table", "csv", "json", "parquet", "arrow"}))
      ->capture_default_str();
  scan->add_option("--output", s->output, "Write the rows to this file instead of stdout");
  scan->add_flag("--explain{plan}", s->explain,
                 "Print how the scan is planned (manifests and files considered and skipped, "
                 "delete files) without reading data; --explain=analyze also reads and adds what "
                 "reading found (row groups skipped, rows, bytes, rows deleted; rows still go to "
                 "--output if given); --explain=files adds a line per manifest and file; "
                 "combine as --explain=analyze,files");
  scan->callback([=] {
    RunCommand(env, "scan", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(s->table));
      table::ScanOptions so;
      so.filter = s->where;
      if (!s->select.empty()) {
        for (auto c : util::Split(s->select, ',')) so.columns.emplace_back(util::Trim(c));
      }
      if (s->limit < 0 && scan->get_option("--limit")->count() > 0) {
        return Status::Invalid("--limit must be 0 or more, got ", s->limit);
      }
      if (s->limit >= 0) so.limit = s->limit;
      FLOE_RETURN_NOT_OK(ApplyTravel(s->travel, &so));
      bool analyze = false, details = false;
      if (!s->explain.empty()) {
        for (auto part : util::Split(s->explain, ',')) {
          const std::string word(util::Trim(part));
          if (word == "analyze") {
            analyze = true;
          } else if (word == "files") {
            details = true;
          } else if (word != "plan") {
            return Status::Invalid("--explain=", util::Quote(s->explain),
                                   ": use plan, analyze, files or analyze,files");
          }
        }
        so.report_files = details;
      }
      FLOE_ASSIGN_OR_RAISE(auto sc, table::TableScan::Make(t, so));
      if (!s->explain.empty() && !analyze) {
        // Planning only: no data file is read.
        FLOE_RETURN_NOT_OK(sc->PlanFiles().status());
        std::cout << sc->report().ToText(/*analyzed=*/false, details);
        return Status::OK();
      }
      FLOE_ASSIGN_OR_RAISE(auto format, ParseOutputFormat(s->format));
      std::ofstream file;
      std::ostream* out = &std::cout;
      bool discard = !s->explain.empty() && s->output.empty();
      if (!s->output.empty() && format != OutputFormat::kParquet && format != OutputFormat::kArrow) {
        file.open(s->output, std::ios::binary | std::ios::trunc);
        if (!file) return Status::IOError(s->output, ": cannot open for writing");
        out = &file;
      }
      std::unique_ptr<ResultWriter> writer;
      if (!discard) {
        FLOE_ASSIGN_OR_RAISE(writer, MakeResultWriter(format, sc->arrow_schema(), out, s->output));
      }
      Progress progress("scan " + s->table);
      int64_t rows = 0;
      FLOE_RETURN_NOT_OK(sc->Read([&](const std::shared_ptr<arrow::RecordBatch>& b) -> Status {
        rows += b->num_rows();
        progress.Update(fmt::format("{} rows", rows));
        return writer ? writer->Write(*b) : Status::OK();
      }));
      progress.Done();
      if (writer) FLOE_RETURN_NOT_OK(writer->Close());
      if (!s->explain.empty()) std::cout << sc->report().ToText(/*analyzed=*/true, details);
      return Status::OK();
    });
  });

  auto* count = app.add_subcommand("count", "Count the rows of a table (matching a filter)");
  struct CountArgs {
    std::string table, where;
    TravelArgs travel;
  };
  auto c = std::make_shared<CountArgs>();
  count->add_option("TABLE", c->table, "NAMESPACE.TABLE, a table folder or a metadata file")
      ->required();
  count->add_option("--where", c->where, "Filter");
  AddTravelOptions(count, &c->travel);
  count->callback([=] {
    RunCommand(env, "count", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(c->table));
      table::ScanOptions so;
      so.filter = c->where;
      FLOE_RETURN_NOT_OK(ApplyTravel(c->travel, &so));
      FLOE_ASSIGN_OR_RAISE(auto sc, table::TableScan::Make(t, so));
      FLOE_ASSIGN_OR_RAISE(int64_t n, sc->Count());
      std::cout << n << "\n";
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
