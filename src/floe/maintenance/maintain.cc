#include "floe/maintenance/maintain.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "floe/catalog/metadata_files.h"
#include "floe/util/random_ids.h"
#include "floe/util/strings.h"

namespace floe::maintenance {

namespace {

Result<bool> Bool(const spec::TableMetadata& md, const std::string& key, bool fallback) {
  const std::string v = util::AsciiLower(md.Property(key, fallback ? "true" : "false"));
  if (v == "true") return true;
  if (v == "false") return false;
  return Status::Invalid("table property ", key, "=", util::Quote(v), " must be true or false");
}

Result<int64_t> Int(const spec::TableMetadata& md, const std::string& key, int64_t fallback) {
  const std::string v = md.Property(key, "");
  if (v.empty()) return fallback;
  auto n = util::ParseInt64(v);
  if (!n || *n < 0) {
    return Status::Invalid("table property ", key, "=", util::Quote(v),
                           " must be a whole number of at least 0");
  }
  return *n;
}

Result<double> Ratio(const spec::TableMetadata& md, const std::string& key, double fallback) {
  const std::string v = md.Property(key, "");
  if (v.empty()) return fallback;
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !(d > 0 && d <= 1)) {
    return Status::Invalid("table property ", key, "=", util::Quote(v), " must be in (0, 1]");
  }
  return d;
}

// Floe's bookkeeping beside the metadata: when orphans were last removed.
std::string StateLocation(const spec::TableMetadata& md) {
  return io::JoinLocation(catalog::MetadataFolder(md), "floe-maintenance.json");
}

int64_t LastOrphanRun(const table::Table& table) {
  auto text = table.io()->ReadFile(StateLocation(table.metadata()));
  if (!text.ok()) return 0;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return 0;
  return j.value("remove-orphans-last-ms", int64_t{0});
}

void RecordOrphanRun(const table::Table& table, int64_t now) {
  nlohmann::json j;
  j["remove-orphans-last-ms"] = now;
  const std::string location = StateLocation(table.metadata());
  (void)table.io()->Delete(location);
  (void)table.io()->WriteNewFile(location, j.dump());
}

}  // namespace

Result<MaintenancePolicy> PolicyFromProperties(const spec::TableMetadata& md) {
  MaintenancePolicy p;
  const std::string k = "floe.maintenance.";
  FLOE_ASSIGN_OR_RAISE(p.enabled, Bool(md, k + "enabled", true));
  if (!md.Property(k + "interval-ms", "").empty()) {
    FLOE_ASSIGN_OR_RAISE(int64_t interval, Int(md, k + "interval-ms", 0));
    if (interval < 1000) {
      return Status::Invalid("table property ", k, "interval-ms=", interval,
                             " must be at least 1000 (a second)");
    }
    p.interval_ms = interval;
  }
  FLOE_ASSIGN_OR_RAISE(p.compact, Bool(md, k + "compact.enabled", true));
  FLOE_ASSIGN_OR_RAISE(int64_t min_files, Int(md, k + "compact.min-input-files", 5));
  FLOE_ASSIGN_OR_RAISE(int64_t threshold, Int(md, k + "compact.delete-file-threshold", 1));
  p.min_input_files = static_cast<int>(std::max<int64_t>(1, min_files));
  p.delete_file_threshold = static_cast<int>(std::max<int64_t>(1, threshold));
  FLOE_ASSIGN_OR_RAISE(p.delete_ratio, Ratio(md, k + "compact.delete-ratio", 0.3));
  FLOE_ASSIGN_OR_RAISE(p.compact_deletes, Bool(md, k + "compact-deletes.enabled", true));
  FLOE_ASSIGN_OR_RAISE(p.rewrite_manifests, Bool(md, k + "rewrite-manifests.enabled", true));
  FLOE_ASSIGN_OR_RAISE(p.rewrite_manifests_min_count, Int(md, k + "rewrite-manifests.min-count", 10));
  FLOE_ASSIGN_OR_RAISE(p.expire, Bool(md, k + "expire.enabled", true));
  FLOE_ASSIGN_OR_RAISE(p.remove_orphans, Bool(md, k + "remove-orphans.enabled", true));
  FLOE_ASSIGN_OR_RAISE(p.orphans_older_than_ms,
                       Int(md, k + "remove-orphans.older-than-ms", p.orphans_older_than_ms));
  FLOE_ASSIGN_OR_RAISE(p.orphans_interval_ms,
                       Int(md, k + "remove-orphans.interval-ms", p.orphans_interval_ms));
  if (!md.GcEnabled()) {
    p.expire = false;
    p.remove_orphans = false;
  }
  return p;
}

Result<MaintainReport> MaintainTable(table::Table& table, const MaintainOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  MaintainReport report;
  FLOE_ASSIGN_OR_RAISE(MaintenancePolicy p, PolicyFromProperties(table.metadata()));
  if (!p.enabled) {
    report.skipped = true;
    return report;
  }
  const int64_t now = o.now_ms > 0 ? o.now_ms : util::NowMillis();
  auto log = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  auto stopping = [&] { return o.stop != nullptr && o.stop->load(); };
  auto finish = [&] {
    report.stopped = stopping();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  };
  auto failed = [&](const char* step, const Status& st) {
    report.errors.push_back({step, st});
    log(std::string(step) + " failed: " + st.ToString());
  };

  if (stopping()) return finish();
  if (p.compact) {
    CompactionOptions c;
    c.min_input_files = p.min_input_files;
    c.delete_file_threshold = p.delete_file_threshold;
    c.delete_ratio = p.delete_ratio;
    c.partial_progress = true;  // next to a streaming writer, commit what is done
    c.dry_run = o.dry_run;
    c.threads = o.threads;
    c.manifest_cache = o.manifest_cache;
    auto r = Compact(table, c);
    if (r.ok()) {
      if (o.dry_run && !r->plan.groups.empty()) {
        int64_t files = 0;
        for (const auto& g : r->plan.groups) files += static_cast<int64_t>(g.files.size());
        log(fmt::format("compact: would rewrite {} files in {} groups, remove {} delete files",
                        files, r->plan.groups.size(), r->plan.dangling.size()));
      } else if (r->commits > 0) {
        log(fmt::format("compact: {} groups, {} files into {}, {} deletes removed",
                        r->groups_rewritten, r->files_in, r->files_out, r->deletes_removed));
      }
      for (const Status& f : r->failures) log("compact: " + f.ToString());
      // Groups that failed while others committed: the step failed in part.
      if (r->groups_failed > 0) report.errors.push_back({"compact", r->failures.front()});
      report.compaction = std::move(*r);
    } else {
      failed("compact", r.status());
    }
  }
  if (stopping()) return finish();
  if (p.compact_deletes) {
    DeleteCompactionOptions d;
    d.dry_run = o.dry_run;
    d.threads = o.threads;
    d.manifest_cache = o.manifest_cache;
    auto r = CompactDeletes(table, d);
    if (r.ok()) {
      if (r->committed) {
        log(fmt::format("compact-deletes: {} equality delete files converted, {} dangling removed",
                        r->equality_files_converted, r->dangling_removed));
      }
      report.deletes = std::move(*r);
    } else {
      failed("compact-deletes", r.status());
    }
  }
  if (stopping()) return finish();
  if (p.rewrite_manifests) {
    auto head = table.metadata().CurrentSnapshot();
    RewriteManifestsOptions m;
    m.dry_run = o.dry_run;
    m.min_count = p.rewrite_manifests_min_count;
    auto r = head ? RewriteManifests(table, m) : Result<RewriteManifestsReport>(RewriteManifestsReport{});
    if (r.ok()) {
      if (r->rewritten) log(fmt::format("rewrite-manifests: {} into {}", r->manifests_before, r->manifests_after));
      report.manifests = std::move(*r);
    } else {
      failed("rewrite-manifests", r.status());
    }
  }
  if (stopping()) return finish();
  if (p.expire) {
    ExpireOptions e;
    e.dry_run = o.dry_run;
    e.threads = o.threads;
    e.expiry.now_ms = now;
    auto r = ExpireSnapshots(table, e);
    if (r.ok()) {
      if (!r->expired_snapshots.empty() || r->journals_resumed) {
        log(fmt::format("expire: {} snapshots, {} files deleted", r->expired_snapshots.size(),
                        r->deleted.total()));
      }
      if (!r->cleanup_error.ok()) failed("expire cleanup", r->cleanup_error);
      report.expire = std::move(*r);
    } else {
      failed("expire", r.status());
    }
  }
  if (stopping()) return finish();
  if (p.remove_orphans && now - LastOrphanRun(table) >= p.orphans_interval_ms) {
    OrphanOptions r;
    r.older_than_ms = now - p.orphans_older_than_ms;
    r.dry_run = o.dry_run;
    r.threads = o.threads;
    auto res = RemoveOrphanFiles(table, r);
    if (res.ok()) {
      if (res->orphans) log(fmt::format("remove-orphans: {} files", res->orphans));
      if (!o.dry_run) RecordOrphanRun(table, now);
      report.orphans = std::move(*res);
    } else {
      failed("remove-orphans", res.status());
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace floe::maintenance
