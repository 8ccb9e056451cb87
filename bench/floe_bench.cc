// floe-bench: times libfloe operations in-process, for bench/run_bench.py.
// Prints one JSON object per operation: {"op", "seconds", "rows", ...}.
//
//   floe-bench --catalog URI --warehouse DIR [--property k=v]... append NS.T FILE...
//   floe-bench --catalog URI --warehouse DIR scan NS.T [--where EXPR] [--repeat N]
//   floe-bench --catalog URI --warehouse DIR count NS.T [--where EXPR]
//   floe-bench --catalog URI --warehouse DIR gen-files NS.T --files N --per-commit K
//       [--no-objects] [--bounds]
//     commits N placeholder data files (empty objects, one row each by their
//     entries), K per snapshot, for benchmarks of expiry, orphan removal and
//     planning at scales a real write would take hours to reach.
//     --no-objects writes only the metadata (planning never opens data
//     files); --bounds gives file i the value i as lower and upper bound of
//     the first column (a long), so `id = X` prunes to one file by metrics
//   floe-bench --catalog URI --warehouse DIR gen-tables NS --tables N --commits K
//     creates N tables NS.t0000... with K commits of one placeholder file
//     each, for the `floe serve` benchmark of a catalog with many tables
#include <arrow/api.h>
#include <arrow/io/file.h>
#include <parquet/arrow/reader.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "floe/catalog/catalog_config.h"
#include "floe/catalog/sql_table_catalog.h"
#include "floe/io/s3_file_io.h"
#include "floe/util/memory_pool.h"
#include "floe/spec/literal.h"
#include "floe/expr/ddl.h"
#include "floe/table/operations.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"
#include "floe/table/transaction.h"

using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int Fail(const floe::Status& st) {
  std::cerr << "floe-bench: " << st.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  floe::util::PreferJemallocPool();  // as the floe CLI does
  floe::io::ScopedS3Shutdown s3_shutdown;  // destroyed last
  CLI::App app{"floe-bench"};
  std::string catalog_uri, warehouse, table, where, catalog_name = "default";
  std::vector<std::string> files;
  std::vector<std::string> properties;
  int repeat = 1;
  app.add_option("--catalog", catalog_uri)->required();
  app.add_option("--warehouse", warehouse)->required();
  app.add_option("--catalog-name", catalog_name);
  app.add_option("--property", properties, "catalog property k=v (s3.endpoint, ...)");
  auto* append = app.add_subcommand("append");
  append->add_option("TABLE", table)->required();
  append->add_option("FILE", files)->required();
  auto* scan = app.add_subcommand("scan");
  scan->add_option("TABLE", table)->required();
  scan->add_option("--where", where);
  scan->add_option("--repeat", repeat);
  auto* count = app.add_subcommand("count");
  count->add_option("TABLE", table)->required();
  count->add_option("--where", where);
  int64_t gen_files = 0, per_commit = 1000;
  bool no_objects = false, bounds = false;
  auto* gen = app.add_subcommand("gen-files");
  gen->add_option("TABLE", table)->required();
  gen->add_option("--files", gen_files)->required();
  gen->add_option("--per-commit", per_commit);
  gen->add_flag("--no-objects", no_objects);
  gen->add_flag("--bounds", bounds);
  int64_t gen_tables = 0, commits = 1;
  std::string ns_text;
  auto* tables = app.add_subcommand("gen-tables");
  tables->add_option("NAMESPACE", ns_text)->required();
  tables->add_option("--tables", gen_tables)->required();
  tables->add_option("--commits", commits);
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);

  floe::catalog::PropertyMap props{{"warehouse", warehouse}};
  if (auto st = floe::catalog::AddPropertyOptions(properties, &props); !st.ok()) return Fail(st);
  auto resolved = floe::catalog::ResolveCatalogConfig(props);
  if (!resolved.ok()) return Fail(resolved.status());
  auto io = floe::catalog::MakeFileIO(resolved->s3);
  if (!io.ok()) return Fail(io.status());
  floe::catalog::SqlCatalogConfig config{catalog_uri, catalog_name, warehouse, *io};
  auto cat = floe::catalog::OpenSqlTableCatalog(config);
  if (!cat.ok()) return Fail(cat.status());
  if (tables->parsed()) {
    auto start = Clock::now();
    auto ns = floe::catalog::ParseNamespace(ns_text);
    if (!ns.ok()) return Fail(ns.status());
    if (auto st = (*cat)->CreateNamespace(*ns, {}); !st.ok() && !st.IsAlreadyExists()) return Fail(st);
    auto schema = floe::expr::ParseSchema("id long, v string");
    if (!schema.ok()) return Fail(schema.status());
    for (int64_t i = 0; i < gen_tables; ++i) {
      floe::table::NewTableOptions o;
      o.schema = *schema;
      char name[32];
      std::snprintf(name, sizeof(name), "t%04lld", static_cast<long long>(i));
      auto created = floe::table::CreateTable(*cat, floe::catalog::TableIdentifier{*ns, name}, o);
      if (!created.ok()) return Fail(created.status());
      const std::string folder = floe::table::DataFolder(created->metadata());
      for (int64_t c = 0; c < commits; ++c) {
        auto update = std::make_unique<floe::table::SnapshotUpdate>(created->io().get(), "main");
        floe::manifest::DataFile f;
        f.file_path = floe::io::JoinLocation(folder, "gen-" + std::to_string(c) + ".parquet");
        if (auto st = created->io()->WriteNewFile(f.file_path, ""); !st.ok()) return Fail(st);
        f.record_count = 1;
        f.file_size_in_bytes = 1;
        update->AddFile(std::move(f), /*owned=*/false);
        floe::table::Transaction tx(&*created);
        tx.Add(std::move(update));
        if (auto r = tx.Commit(); !r.ok()) return Fail(r.status());
      }
    }
    std::cout << "{\"op\":\"gen-tables\",\"tables\":" << gen_tables << ",\"seconds\":"
              << Since(start) << "}" << std::endl;
    return 0;
  }
  auto id = floe::catalog::TableIdentifier::Parse(table);
  if (!id.ok()) return Fail(id.status());
  auto loaded = (*cat)->LoadTable(*id);
  if (!loaded.ok()) return Fail(loaded.status());
  floe::table::Table t(*cat, *loaded);

  if (gen->parsed()) {
    auto start = Clock::now();
    const std::string folder = floe::table::DataFolder(t.metadata());
    for (int64_t done = 0; done < gen_files;) {
      auto update = std::make_unique<floe::table::SnapshotUpdate>(t.io().get(), "main");
      const int64_t n = std::min(per_commit, gen_files - done);
      for (int64_t i = 0; i < n; ++i, ++done) {
        floe::manifest::DataFile f;
        f.file_path = floe::io::JoinLocation(folder, "gen-" + std::to_string(done) + ".parquet");
        if (!no_objects) {
          if (auto st = t.io()->WriteNewFile(f.file_path, ""); !st.ok()) return Fail(st);
        }
        f.record_count = 1;
        f.file_size_in_bytes = 1;
        f.spec_id = t.metadata().default_spec_id;
        if (bounds) {
          const int32_t id = t.metadata().CurrentSchema()->fields().at(0).id;
          const std::string v = floe::spec::SerializeSingleValue(floe::spec::Literal::Long(done),
                                                                 *floe::spec::Type::Long());
          f.lower_bounds = std::vector<std::pair<int32_t, std::string>>{{id, v}};
          f.upper_bounds = f.lower_bounds;
          f.value_counts = std::vector<std::pair<int32_t, int64_t>>{{id, 1}};
          f.null_value_counts = std::vector<std::pair<int32_t, int64_t>>{{id, 0}};
        }
        update->AddFile(std::move(f), /*owned=*/false);
      }
      floe::table::Transaction tx(&t);
      tx.Add(std::move(update));
      if (auto r = tx.Commit(); !r.ok()) return Fail(r.status());
    }
    std::cout << "{\"op\":\"gen-files\",\"files\":" << gen_files << ",\"seconds\":" << Since(start)
              << "}" << std::endl;
    return 0;
  }
  if (append->parsed()) {
    // One commit per file, as a loader appending batches would.
    for (const std::string& path : files) {
      auto start = Clock::now();
      auto in = arrow::io::ReadableFile::Open(path);
      if (!in.ok()) return Fail(floe::Status::IOError(path));
      auto reader = parquet::arrow::OpenFile(*in, arrow::default_memory_pool());
      if (!reader.ok()) return Fail(floe::Status::IOError(path));
      auto batches = (*reader)->GetRecordBatchReader();
      if (!batches.ok()) return Fail(floe::Status::IOError(path));
      std::shared_ptr<arrow::RecordBatchReader> rb = std::move(*batches);
      auto report = floe::table::Append(t, [rb]() -> floe::Result<std::shared_ptr<arrow::RecordBatch>> {
        std::shared_ptr<arrow::RecordBatch> b;
        if (!rb->ReadNext(&b).ok()) return floe::Status::IOError("read failed");
        return b;
      });
      if (!report.ok()) return Fail(report.status());
      std::cout << "{\"op\":\"append\",\"file\":\"" << path << "\",\"seconds\":" << Since(start)
                << ",\"rows\":" << report->rows_added << ",\"files\":" << report->files_added
                << "}" << std::endl;
    }
    return 0;
  }
  for (int r = 0; r < repeat; ++r) {
    auto start = Clock::now();
    floe::table::ScanOptions so;
    so.filter = where;
    auto sc = floe::table::TableScan::Make(t, so);
    if (!sc.ok()) return Fail(sc.status());
    if (count->parsed()) {
      auto n = (*sc)->Count();
      if (!n.ok()) return Fail(n.status());
      std::cout << "{\"op\":\"count\",\"seconds\":" << Since(start) << ",\"rows\":" << *n << "}"
                << std::endl;
      return 0;
    }
    auto result = (*sc)->ToTable();
    if (!result.ok()) return Fail(result.status());
    const auto& rep = (*sc)->report();
    std::cout << "{\"op\":\"scan\",\"seconds\":" << Since(start) << ",\"rows\":"
              << (*result)->num_rows() << ",\"files_read\":" << rep.files_selected
              << ",\"files_skipped\":" << rep.files_skipped_partition + rep.files_skipped_metrics
              << "}" << std::endl;
  }
  return 0;
}
