// floe maintain | compact | compact-deletes | rewrite-manifests | expire | remove-orphans: arguments in, one summary line
// out (plus, with --dry-run, what would be done). The work is libfloe's
// maintenance layer.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/progress.h"
#include "floe/maintenance/compaction.h"
#include "floe/maintenance/delete_compaction.h"
#include "floe/maintenance/rewrite_manifests.h"
#include "floe/maintenance/table_path_rewrite.h"
#include "floe/maintenance/expire_snapshots.h"
#include "floe/maintenance/maintain.h"
#include "floe/maintenance/orphan_files.h"
#include "floe/util/random_ids.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace {

std::string Bytes(int64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

// "7d", "12h" (that long ago) or a time (2024-06-01T00:00:00Z, epoch ms).
Result<int64_t> TimeOrAgo(const std::string& text, const char* option) {
  if (auto d = util::ParseDurationMillis(text); d && text.find_first_not_of("0123456789") != std::string::npos) {
    return util::NowMillis() - *d;
  }
  auto t = ParseTimestampMillis(text);
  if (!t.ok()) {
    return Status::Invalid(option, " ", util::Quote(text),
                           ": give a duration (30m, 12h, 7d) or a time (2024-06-01T00:00:00Z, "
                           "epoch milliseconds)");
  }
  return t;
}

Result<std::map<std::string, std::string>> Pairs(const std::vector<std::string>& items,
                                                  const char* option) {
  std::map<std::string, std::string> out;
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) return Status::Invalid(option, " ", item, " must look like FROM=TO");
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

std::string Counts(const maintenance::DeletedCounts& c) {
  std::string out;
  for (const auto& [kind, n] : c.files) {
    if (n == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, maintenance::FileKindName(kind));
  }
  return out.empty() ? "no files" : out + " files";
}

std::atomic<bool> stop_requested{false};
void RequestStop(int) { stop_requested = true; }

// Every table of the catalog, namespaces nested at any depth.
Result<std::vector<catalog::TableIdentifier>> AllTables(catalog::Catalog& cat) {
  std::vector<catalog::TableIdentifier> out;
  FLOE_ASSIGN_OR_RAISE(auto namespaces, catalog::ListNamespacesRecursive(cat, std::nullopt));
  for (const auto& ns : namespaces) {
    FLOE_ASSIGN_OR_RAISE(auto tables, cat.ListTables(ns));
    out.insert(out.end(), tables.begin(), tables.end());
  }
  return out;
}

}  // namespace

void AddMaintenanceCommands(CLI::App& app, const CommandEnv& env) {
  // ---- compact
  auto* compact = app.add_subcommand(
      "compact", "Rewrite small files and files with deletes into target-size files");
  struct CompactArgs {
    std::string table, strategy = "binpack", target_size;
    maintenance::CompactionOptions o;
  };
  auto c = std::make_shared<CompactArgs>();
  compact->add_option("TABLE", c->table, "NAMESPACE.TABLE")->required();
  compact->add_option("--where", c->o.where, "Only files that may hold rows matching this filter");
  compact->add_option("--strategy", c->strategy, "binpack or sort")->capture_default_str();
  compact->add_option("--sort-by", c->o.sort_by,
                      "Order for --strategy sort (default: the table's write order)");
  compact->add_option("--target-file-size", c->target_size,
                      "Bytes per output file, e.g. 536870912 or 512MiB (default "
                      "write.target-file-size-bytes, 512 MiB)");
  compact->add_option("--min-input-files", c->o.min_input_files,
                      "Files a partition needs before it is compacted")
      ->capture_default_str();
  compact->add_option("--delete-file-threshold", c->o.delete_file_threshold,
                      "Rewrite a file once this many delete files apply to it")
      ->capture_default_str();
  compact->add_option("--delete-ratio", c->o.delete_ratio,
                      "Rewrite a file once this share of its rows is deleted")
      ->capture_default_str();
  compact->add_flag("--all", c->o.rewrite_all, "Rewrite every selected file, whatever its size");
  compact->add_flag("--partial-progress", c->o.partial_progress,
                    "Commit groups as they finish (a failed group does not stop the others)");
  compact->add_flag("--keep-dangling-deletes", [c](int64_t) { c->o.remove_dangling_deletes = false; },
                    "Keep delete files that no longer apply to any data file");
  compact->add_flag("--dry-run", c->o.dry_run, "Print the plan; change nothing");
  compact->callback([=] {
    RunCommand(env, "compact", [&](Context& ctx) -> Status {
      maintenance::CompactionOptions o = c->o;
      if (c->strategy == "sort") {
        o.strategy = maintenance::CompactionStrategy::kSort;
      } else if (c->strategy != "binpack") {
        return Status::Invalid("--strategy ", util::Quote(c->strategy), ": use binpack or sort");
      }
      if (!c->target_size.empty()) {
        auto bytes = util::ParseByteSize(c->target_size);
        if (!bytes) {
          return Status::Invalid("--target-file-size ", util::Quote(c->target_size),
                                 ": give bytes (536870912) or a size (512MiB, 128MB)");
        }
        o.target_file_size = *bytes;
      }
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(c->table));
      auto progress = std::make_shared<Progress>("compact " + c->table);
      o.progress = [progress](const std::string& s) { progress->Update(s); };
      FLOE_ASSIGN_OR_RAISE(auto r, maintenance::Compact(t, o));
      progress->Done();
      const auto& plan = r.plan;
      if (o.dry_run) {
        int64_t files = 0, bytes = 0, outputs = 0;
        for (const auto& g : plan.groups) {
          files += static_cast<int64_t>(g.files.size());
          bytes += g.bytes;
          outputs += g.expected_outputs;
          std::cout << fmt::format("would rewrite {} files ({}, {} rows, {} delete files) in "
                                   "partition '{}' into ~{} files: {}\n",
                                   g.files.size(), Bytes(g.bytes), g.records, g.delete_files,
                                   g.partition, g.expected_outputs, g.reason);
        }
        for (const auto& d : plan.dangling) {
          std::cout << fmt::format("would remove {} delete file {} (applies to nothing after the "
                                   "rewrite)\n",
                                   manifest::FileContentName(d.file->content), d.file->file_path);
        }
        std::cout << fmt::format("dry run: {} groups, {} of {} data files ({}) into ~{}; {} of {} "
                                 "delete files removed; nothing changed\n",
                                 plan.groups.size(), files, plan.live_data_files, Bytes(bytes),
                                 outputs, plan.dangling.size(), plan.live_delete_files);
        return Status::OK();
      }
      for (const Status& f : r.failures) std::cerr << "floe compact: " << f.ToString() << "\n";
      if (r.commits == 0) {
        std::cout << fmt::format("nothing to compact: {} data files, {} delete files, none worth "
                                 "rewriting ({:.1f} s)\n",
                                 plan.live_data_files, plan.live_delete_files, r.seconds);
        return Status::OK();
      }
      std::cout << fmt::format("compacted {}: {} groups, {} data files ({}) into {} ({}), {} rows, "
                               "{} delete files removed, {} commit{}, {:.1f} s",
                               c->table, r.groups_rewritten, r.files_in, Bytes(r.bytes_in),
                               r.files_out, Bytes(r.bytes_out), r.rows, r.deletes_removed,
                               r.commits, r.commits == 1 ? "" : "s", r.seconds);
      if (r.groups_failed) std::cout << fmt::format(", {} groups failed", r.groups_failed);
      std::cout << "\n";
      return Status::OK();
    });
  });

  // ---- maintain
  auto* maintain = app.add_subcommand(
      "maintain", "Run the maintenance the table properties describe (floe.maintenance.*)");
  struct MaintainArgs {
    std::vector<std::string> tables;
    bool all = false, dry_run = false;
    std::string every;
  };
  auto ma = std::make_shared<MaintainArgs>();
  maintain->add_option("TABLE", ma->tables, "NAMESPACE.TABLE (repeatable)");
  maintain->add_flag("--all", ma->all, "Every table of the catalog");
  maintain->add_option("--every", ma->every,
                       "Run again after this long (10m, 1h) until SIGINT/SIGTERM; default once");
  maintain->add_flag("--dry-run", ma->dry_run, "Say what each step would do");
  maintain->callback([=] {
    RunCommand(env, "maintain", [&](Context& ctx) -> Status {
      if (ma->all == !ma->tables.empty()) {
        return Status::Invalid("name the tables to maintain, or pass --all (not both)");
      }
      std::optional<int64_t> every;
      if (!ma->every.empty()) {
        every = util::ParseDurationMillis(ma->every);
        if (!every || *every <= 0) {
          return Status::Invalid("--every ", util::Quote(ma->every), ": give a duration such as 10m or 1h");
        }
      }
      FLOE_ASSIGN_OR_RAISE(auto cat, ctx.Catalog());
      std::signal(SIGINT, RequestStop);
      std::signal(SIGTERM, RequestStop);
      int failures = 0;
      while (!stop_requested) {
        std::vector<catalog::TableIdentifier> ids;
        if (ma->all) {
          FLOE_ASSIGN_OR_RAISE(ids, AllTables(*cat));
        } else {
          for (const auto& name : ma->tables) {
            FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(name));
            ids.push_back(id);
          }
        }
        for (const auto& id : ids) {
          if (stop_requested) break;
          const std::string name = id.ToString();
          auto loaded = cat->LoadTable(id);
          if (!loaded.ok()) {
            std::cerr << "floe maintain: " << name << ": " << loaded.status().ToString() << "\n";
            ++failures;
            continue;
          }
          table::Table t(cat, std::move(*loaded));
          maintenance::MaintainOptions o;
          o.dry_run = ma->dry_run;
          o.log = [&](const std::string& line) { std::cout << name << ": " << line << "\n" << std::flush; };
          auto r = maintenance::MaintainTable(t, o);
          if (!r.ok()) {
            std::cerr << "floe maintain: " << name << ": " << r.status().ToString() << "\n";
            ++failures;
            continue;
          }
          failures += static_cast<int>(r->errors.size());
          if (r->skipped) std::cout << name << ": skipped (floe.maintenance.enabled=false)\n";
          std::cout << fmt::format("{}: done in {:.1f} s{}\n", name, r->seconds,
                                   r->errors.empty() ? "" : fmt::format(", {} steps failed", r->errors.size()));
        }
        if (!every) break;
        // Sleep in small steps so a signal ends the loop promptly.
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(*every);
        while (!stop_requested && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
      if (failures > 0 && !every) {
        return Status::Invalid(failures, " maintenance step(s) failed; see the lines above");
      }
      return Status::OK();
    });
  });

  // ---- compact-deletes
  auto* cd = app.add_subcommand(
      "compact-deletes",
      "Turn equality deletes into position deletes or DVs, merge position delete files, drop "
      "dangling deletes (data files are not rewritten)");
  struct CompactDeletesArgs {
    std::string table;
    bool keep_equality = false, keep_dangling = false, no_merge = false, dry_run = false;
  };
  auto cda = std::make_shared<CompactDeletesArgs>();
  cd->add_option("TABLE", cda->table, "NAMESPACE.TABLE")->required();
  cd->add_flag("--keep-equality", cda->keep_equality, "Do not convert equality deletes");
  cd->add_flag("--no-merge", cda->no_merge, "Do not merge position delete files");
  cd->add_flag("--keep-dangling-deletes", cda->keep_dangling, "Keep deletes that apply to nothing");
  cd->add_flag("--dry-run", cda->dry_run, "Print what would be done");
  cd->callback([=] {
    RunCommand(env, "compact-deletes", [&](Context& ctx) -> Status {
      maintenance::DeleteCompactionOptions o;
      o.convert_equality = !cda->keep_equality;
      o.merge_position = !cda->no_merge;
      o.remove_dangling = !cda->keep_dangling;
      o.dry_run = cda->dry_run;
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(cda->table));
      auto progress = std::make_shared<Progress>("compact-deletes " + cda->table);
      o.progress = [progress](const std::string& s) { progress->Update(s); };
      FLOE_ASSIGN_OR_RAISE(auto r, maintenance::CompactDeletes(t, o));
      progress->Done();
      if (o.dry_run) {
        for (const auto& line : r.plan) std::cout << "would " << line << "\n";
        std::cout << fmt::format("dry run: {} equality delete files to convert, {} dangling "
                                 "delete files to remove; nothing changed\n",
                                 r.equality_files_converted, r.dangling_removed);
        return Status::OK();
      }
      if (!r.committed) {
        std::cout << "nothing to do: no equality deletes, position delete files to merge or "
                     "dangling deletes\n";
        return Status::OK();
      }
      std::cout << fmt::format("compacted deletes of {}: {} equality delete files converted ({} "
                               "data files read, {} positions), {} position delete files/DVs "
                               "replaced by {}, {} dangling removed, {:.1f} s\n",
                               cda->table, r.equality_files_converted, r.data_files_read,
                               r.positions_written, r.position_files_replaced,
                               r.position_files_written, r.dangling_removed, r.seconds);
      return Status::OK();
    });
  });

  // ---- rewrite-manifests
  auto* rm = app.add_subcommand("rewrite-manifests",
                                "Regroup the current snapshot's manifests by partition");
  struct RewriteManifestsArgs {
    std::string table, target;
    maintenance::RewriteManifestsOptions o;
  };
  auto rma = std::make_shared<RewriteManifestsArgs>();
  rm->add_option("TABLE", rma->table, "NAMESPACE.TABLE")->required();
  rm->add_option("--target-size", rma->target,
                 "Bytes per manifest (default commit.manifest.target-size-bytes, 8 MiB)");
  rm->add_flag("--force", rma->o.force, "Rewrite even when the manifests look fine");
  rm->add_flag("--dry-run", rma->o.dry_run, "Print what would be done");
  rm->callback([=] {
    RunCommand(env, "rewrite-manifests", [&](Context& ctx) -> Status {
      maintenance::RewriteManifestsOptions o = rma->o;
      if (!rma->target.empty()) {
        auto bytes = util::ParseByteSize(rma->target);
        if (!bytes) return Status::Invalid("--target-size ", util::Quote(rma->target), ": give bytes or 8MiB");
        o.target_bytes = *bytes;
      }
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(rma->table));
      FLOE_ASSIGN_OR_RAISE(auto r, maintenance::RewriteManifests(t, o));
      if (o.dry_run || !r.rewritten) {
        std::cout << fmt::format("{}{} manifests, {} entries: {}\n", o.dry_run ? "dry run: " : "",
                                 r.manifests_before, r.entries,
                                 r.manifests_before > r.manifests_needed || o.force
                                     ? fmt::format("would rewrite into ~{}", r.manifests_needed)
                                     : "nothing to rewrite");
        return Status::OK();
      }
      std::cout << fmt::format("rewrote {} manifests of {} into {} ({} entries), snapshot {}, "
                               "{:.1f} s\n",
                               r.manifests_before, rma->table, r.manifests_after, r.entries,
                               r.snapshot_id, r.seconds);
      return Status::OK();
    });
  });

  // ---- rewrite-table-path
  auto* rtp = app.add_subcommand(
      "rewrite-table-path",
      "Copy a table's metadata with a location prefix replaced (to move the table); the source "
      "is only read");
  struct PathArgs {
    std::string table;
    maintenance::TablePathRewriteOptions o;
  };
  auto pa = std::make_shared<PathArgs>();
  rtp->add_option("TABLE", pa->table, "NAMESPACE.TABLE, a table folder or a metadata file")->required();
  rtp->add_option("--from", pa->o.from, "Prefix to replace, e.g. hdfs://nn:8020/warehouse")->required();
  rtp->add_option("--to", pa->o.to, "Its replacement, e.g. s3://iceberg-warehouse")->required();
  rtp->add_option("--target-location", pa->o.target_location,
                  "The copy's table location (checked against --from/--to)");
  rtp->add_flag("--copy-data", pa->o.copy_data, "Copy data and equality delete files too");
  rtp->add_flag("--dry-run", pa->o.dry_run, "Count what would be written; write nothing");
  rtp->callback([=] {
    RunCommand(env, "rewrite-table-path", [&](Context& ctx) -> Status {
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadTable(pa->table));
      FLOE_ASSIGN_OR_RAISE(auto settings, ctx.ResolveSettings());
      maintenance::TablePathRewriteOptions o = pa->o;
      auto progress = std::make_shared<Progress>("rewrite-table-path " + pa->table);
      o.progress = [progress](const std::string& s) { progress->Update(s); };
      FLOE_ASSIGN_OR_RAISE(auto r, maintenance::RewriteTablePath(t.loaded(), t.io(), settings.io, o));
      progress->Done();
      std::cout << fmt::format("{}{} metadata files, {} manifest lists, {} manifests, {} delete files "
                               "rewritten; {} data files {}{}\n",
                               o.dry_run ? "dry run: " : "", r.metadata_files, r.manifest_lists,
                               r.manifests, r.delete_files_rewritten,
                               o.copy_data && !o.dry_run ? r.files_copied : static_cast<int64_t>(r.copy_plan.size()),
                               o.copy_data && !o.dry_run ? "copied" : "to copy",
                               o.copy_data && !o.dry_run ? fmt::format(" ({})", Bytes(r.bytes_copied)) : "");
      if (!o.dry_run) {
        std::cout << "register the copy with: floe register NAMESPACE.TABLE " << r.metadata_location << "\n";
      }
      return Status::OK();
    });
  });

  // ---- expire
  auto* expire = app.add_subcommand(
      "expire", "Expire old snapshots and delete the files only they reached");
  struct ExpireArgs {
    std::string table, older_than;
    int retain_last = 0;
    std::vector<int64_t> snapshot_ids;
    bool keep_files = false;
    maintenance::ExpireOptions o;
  };
  auto e = std::make_shared<ExpireArgs>();
  expire->add_option("TABLE", e->table, "NAMESPACE.TABLE")->required();
  expire->add_option("--older-than", e->older_than,
                     "Expire snapshots older than this: 7d, 12h or a time (default "
                     "history.expire.max-snapshot-age-ms, 5 days)");
  expire->add_option("--retain-last", e->retain_last,
                     "Keep at least this many snapshots per branch (default "
                     "history.expire.min-snapshots-to-keep, 1)");
  expire->add_option("--snapshot", e->snapshot_ids, "Also expire this snapshot id (repeatable)");
  expire->add_flag("--keep-files", e->keep_files,
                   "Only remove snapshots from the metadata; delete no file");
  expire->add_flag("--dry-run", e->o.dry_run, "List what would be expired and deleted");
  expire->callback([=] {
    RunCommand(env, "expire", [&](Context& ctx) -> Status {
      maintenance::ExpireOptions o = e->o;
      if (!e->older_than.empty()) {
        FLOE_ASSIGN_OR_RAISE(int64_t ts, TimeOrAgo(e->older_than, "--older-than"));
        o.expiry.older_than_ms = ts;
      }
      if (e->retain_last < 0) return Status::Invalid("--retain-last must be at least 1");
      if (e->retain_last > 0) o.expiry.retain_last = e->retain_last;
      o.expiry.snapshot_ids = e->snapshot_ids;
      o.delete_files = !e->keep_files;
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(e->table));
      FLOE_ASSIGN_OR_RAISE(auto r, maintenance::ExpireSnapshots(t, o));
      if (o.dry_run) {
        for (int64_t id : r.expired_snapshots) std::cout << "would expire snapshot " << id << "\n";
        for (const auto& ref : r.expired_refs) std::cout << "would drop ref " << ref << "\n";
        for (const auto& item : r.listed) {
          std::cout << fmt::format("would delete {} {}\n", maintenance::FileKindName(item.kind),
                                   item.path);
        }
        std::cout << fmt::format("dry run: {} snapshots, {} refs; {} ({}); nothing changed\n",
                                 r.expired_snapshots.size(), r.expired_refs.size(),
                                 Counts(r.deleted), Bytes(r.deleted.bytes));
        return Status::OK();
      }
      std::cout << fmt::format("expired {} snapshots and {} refs of {}; deleted {} ({})",
                               r.expired_snapshots.size(), r.expired_refs.size(), e->table,
                               Counts(r.deleted), Bytes(r.deleted.bytes));
      if (r.journals_resumed) {
        std::cout << fmt::format(", finished {} interrupted cleanup(s)", r.journals_resumed);
      }
      std::cout << fmt::format(", {:.1f} s\n", r.seconds);
      if (!r.cleanup_error.ok()) {
        return r.cleanup_error.WithContext(
            "the snapshots are expired but some files were not deleted; run expire again to "
            "finish");
      }
      return Status::OK();
    });
  });

  // ---- remove-orphans
  auto* orphans = app.add_subcommand(
      "remove-orphans", "Delete files under the table location that no metadata references");
  struct OrphanArgs {
    std::string table, older_than, mismatch = "error";
    std::vector<std::string> equal_schemes, equal_authorities;
    maintenance::OrphanOptions o;
  };
  auto r = std::make_shared<OrphanArgs>();
  orphans->add_option("TABLE", r->table, "NAMESPACE.TABLE")->required();
  orphans->add_option("--older-than", r->older_than,
                      "Only files last modified before this: 3d (the default), 12h or a time");
  orphans->add_option("--location", r->o.location, "List this folder of the table instead");
  orphans->add_option("--equal-scheme", r->equal_schemes,
                      "FROM=TO: treat scheme FROM as TO (s3a and s3n already equal s3)");
  orphans->add_option("--equal-authority", r->equal_authorities,
                      "FROM=TO: treat bucket or host FROM as TO");
  orphans->add_option("--prefix-mismatch", r->mismatch,
                      "error (default), ignore or delete: what to do with files referenced under "
                      "another scheme or authority");
  orphans->add_option("--work-dir", r->o.work_dir, "Folder for the on-disk set of referenced files");
  orphans->add_flag("--dry-run", r->o.dry_run, "List the orphans; delete nothing");
  orphans->callback([=] {
    RunCommand(env, "remove-orphans", [&](Context& ctx) -> Status {
      maintenance::OrphanOptions o = r->o;
      if (!r->older_than.empty()) {
        FLOE_ASSIGN_OR_RAISE(int64_t ts, TimeOrAgo(r->older_than, "--older-than"));
        o.older_than_ms = ts;
      }
      FLOE_ASSIGN_OR_RAISE(o.equal_schemes, Pairs(r->equal_schemes, "--equal-scheme"));
      FLOE_ASSIGN_OR_RAISE(o.equal_authorities, Pairs(r->equal_authorities, "--equal-authority"));
      if (r->mismatch == "ignore") {
        o.prefix_mismatch = maintenance::PrefixMismatchMode::kIgnore;
      } else if (r->mismatch == "delete") {
        o.prefix_mismatch = maintenance::PrefixMismatchMode::kDelete;
      } else if (r->mismatch != "error") {
        return Status::Invalid("--prefix-mismatch ", util::Quote(r->mismatch),
                               ": use error, ignore or delete");
      }
      FLOE_ASSIGN_OR_RAISE(auto t, ctx.LoadCatalogTable(r->table));
      FLOE_ASSIGN_OR_RAISE(auto report, maintenance::RemoveOrphanFiles(t, o));
      if (o.dry_run) {
        for (const auto& f : report.examples) std::cout << "would delete " << f << "\n";
        std::cout << fmt::format("dry run: {} orphans ({}) of {} files listed, {} in use, {} too "
                                 "new to touch; nothing deleted\n",
                                 report.orphans, Bytes(report.orphan_bytes), report.listed,
                                 report.in_use, report.too_new);
        return Status::OK();
      }
      std::cout << fmt::format("removed {} orphan files ({}) of {}: {} files listed, {} in use, "
                               "{} too new to touch, {:.1f} s\n",
                               report.deleted.total(), Bytes(report.deleted.bytes), r->table,
                               report.listed, report.in_use, report.too_new, report.seconds);
      if (!report.cleanup_error.ok()) {
        return report.cleanup_error.WithContext("some orphans were not deleted; run again");
      }
      return Status::OK();
    });
  });
}

}  // namespace floe::cli
