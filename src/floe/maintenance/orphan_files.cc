#include "floe/maintenance/orphan_files.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "floe/catalog/metadata_files.h"
#include "floe/io/location.h"
#include "floe/table/reachable_files.h"
#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::maintenance {

namespace {

constexpr int64_t kDefaultWindowMs = 3LL * 24 * 3600 * 1000;  // Java's 3 days

// A set of paths on disk: (path, scheme+authority) rows in a temporary
// SQLite database, indexed by path. SQLite is already Floe's catalog
// library; its page cache bounds the memory.
class PathSet {
 public:
  ~PathSet() {
    for (sqlite3_stmt* s : {insert_, find_, orphan_}) sqlite3_finalize(s);
    if (db_) sqlite3_close(db_);
    if (!file_.empty()) {
      std::error_code ec;
      std::filesystem::remove(file_, ec);
      std::filesystem::remove(file_ + "-journal", ec);
    }
  }

  Status Open(const std::string& work_dir) {
    std::error_code ec;
    std::filesystem::path dir = work_dir.empty() ? std::filesystem::temp_directory_path(ec)
                                                 : std::filesystem::path(work_dir);
    file_ = (dir / ("floe-orphans-" + util::RandomUuid() + ".db")).string();
    if (sqlite3_open(file_.c_str(), &db_) != SQLITE_OK) {
      return Status::IOError("cannot create the temporary set of referenced files at ", file_,
                             ": ", db_ ? sqlite3_errmsg(db_) : "out of memory",
                             "; pass a writable --work-dir");
    }
    FLOE_RETURN_NOT_OK(Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                            "PRAGMA cache_size=-65536; PRAGMA temp_store=FILE;"
                            "CREATE TABLE refs (path TEXT PRIMARY KEY, origin TEXT) WITHOUT ROWID;"
                            "CREATE TABLE orphans (location TEXT, size INTEGER);"
                            "BEGIN;"));
    FLOE_RETURN_NOT_OK(Prepare("INSERT OR IGNORE INTO refs VALUES (?, ?)", &insert_));
    FLOE_RETURN_NOT_OK(Prepare("INSERT INTO orphans VALUES (?, ?)", &orphan_));
    return Prepare("SELECT origin FROM refs WHERE path = ?", &find_);
  }

  // Orphans wait on disk too until the listing is done.
  Status AddOrphan(const std::string& location, int64_t size) {
    sqlite3_reset(orphan_);
    sqlite3_bind_text(orphan_, 1, location.data(), static_cast<int>(location.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(orphan_, 2, size);
    if (sqlite3_step(orphan_) != SQLITE_DONE) return Error("recording an orphan");
    return Status::OK();
  }

  // Hands the orphans over in batches of `n`.
  Status ForEachOrphanBatch(size_t n, const std::function<void(std::vector<FileDeleter::Item>&&)>& fn) {
    FLOE_RETURN_NOT_OK(Exec("COMMIT;"));
    sqlite3_stmt* all = nullptr;
    FLOE_RETURN_NOT_OK(Prepare("SELECT location, size FROM orphans", &all));
    std::vector<FileDeleter::Item> batch;
    int rc;
    while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
      batch.push_back({reinterpret_cast<const char*>(sqlite3_column_text(all, 0)), FileKind::kOther,
                       sqlite3_column_int64(all, 1)});
      if (batch.size() >= n) fn(std::move(batch)), batch.clear();
    }
    sqlite3_finalize(all);
    if (rc != SQLITE_DONE) return Error("reading orphans");
    if (!batch.empty()) fn(std::move(batch));
    return Status::OK();
  }

  Status Add(const std::string& path, const std::string& origin) {
    sqlite3_reset(insert_);
    sqlite3_bind_text(insert_, 1, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_, 2, origin.data(), static_cast<int>(origin.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert_) != SQLITE_DONE) return Error("adding a referenced path");
    added_ += sqlite3_changes(db_);
    return Status::OK();
  }

  Status Seal() { return Exec("COMMIT; BEGIN;"); }

  // The origin (scheme://authority) of `path` if referenced.
  Result<std::optional<std::string>> Find(const std::string& path) {
    sqlite3_reset(find_);
    sqlite3_bind_text(find_, 1, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
    const int rc = sqlite3_step(find_);
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return Error("looking up a path");
    return std::optional<std::string>(reinterpret_cast<const char*>(sqlite3_column_text(find_, 0)));
  }

  int64_t size() const { return added_; }

 private:
  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IOError("temporary set of referenced files at ", file_, ": ", msg);
    }
    return Status::OK();
  }
  Status Prepare(const char* sql, sqlite3_stmt** stmt) {
    if (sqlite3_prepare_v2(db_, sql, -1, stmt, nullptr) != SQLITE_OK) return Error("preparing");
    return Status::OK();
  }
  Status Error(const char* what) {
    return Status::IOError("temporary set of referenced files at ", file_, ": ", what, ": ",
                           sqlite3_errmsg(db_), " (is the disk full? pass --work-dir)");
  }

  std::string file_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* find_ = nullptr;
  sqlite3_stmt* orphan_ = nullptr;
  int64_t added_ = 0;
};

struct Normalizer {
  const OrphanOptions& o;
  std::string Origin(const io::ParsedLocation& p) const {
    std::string authority = p.authority;
    auto it = o.equal_authorities.find(authority);
    if (it != o.equal_authorities.end()) authority = it->second;
    return io::CanonicalScheme(p.scheme, o.equal_schemes) + "://" + authority;
  }
};

}  // namespace

Result<OrphanReport> RemoveOrphanFiles(const table::Table& table, const OrphanOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  OrphanReport report;
  const spec::TableMetadata& md = table.metadata();
  if (!md.GcEnabled()) {
    return Status::Invalid("table ", table.name(),
                           " has gc.enabled=false: its location may hold other tables' files; "
                           "orphan removal is refused");
  }
  const int threads = o.threads > 0 ? o.threads : util::DefaultParallelism();
  const int64_t older_than = o.older_than_ms.value_or(util::NowMillis() - kDefaultWindowMs);
  const std::string location = o.location.empty() ? md.location : o.location;
  {
    const io::ParsedLocation root = io::ParseLocation(md.location);
    const io::ParsedLocation listed = io::ParseLocation(location);
    const std::string root_path = root.path.empty() || root.path.back() == '/' ? root.path : root.path + "/";
    if (listed.path != root.path && listed.path.rfind(root_path, 0) != 0) {
      return Status::Invalid("location ", location, " is not under the location of table ",
                             table.name(), " (", md.location,
                             "); orphan removal only lists a table's own folder");
    }
  }
  Normalizer norm{o};

  // 1. Everything the metadata references, into the on-disk set.
  PathSet refs;
  FLOE_RETURN_NOT_OK(refs.Open(o.work_dir));
  auto add = [&](const std::string& path) -> Status {
    io::ParsedLocation p = io::ParseLocation(path);
    return refs.Add(p.path, norm.Origin(p));
  };
  for (const std::string& f : table::MetadataFiles(table.loaded())) FLOE_RETURN_NOT_OK(add(f));
  const std::string metadata_folder = catalog::MetadataFolder(md);
  FLOE_RETURN_NOT_OK(add(io::JoinLocation(metadata_folder, "version-hint.text")));
  std::vector<const spec::Snapshot*> snapshots;
  for (const spec::Snapshot& s : md.snapshots) snapshots.push_back(&s);
  FLOE_ASSIGN_OR_RAISE(table::ManifestSet set,
                       table::CollectManifests(md, *table.io(), snapshots, threads));
  for (const std::string& l : set.lists) FLOE_RETURN_NOT_OK(add(l));
  for (const auto& mf : set.manifests) FLOE_RETURN_NOT_OK(add(mf.manifest_path));
  FLOE_RETURN_NOT_OK(table::ForEachEntry(
      md, *table.io(), set.manifests, threads,
      [&](const manifest::ManifestFile&, const manifest::ManifestEntry& e) {
        // A file only DELETED entries name is live in no snapshot left.
        return e.status == manifest::EntryStatus::kDeleted ? Status::OK() : add(e.data_file.file_path);
      }));
  FLOE_RETURN_NOT_OK(refs.Seal());
  report.referenced = refs.size();

  // 2. Stream the listing past it. Orphans are only collected here; nothing
  //    is deleted before the whole listing agreed with the metadata.
  // Floe's own bookkeeping (cleanup journals, maintenance state) is kept.
  const std::string bookkeeping = io::JoinLocation(metadata_folder, "floe-");
  std::vector<std::string> mismatches;
  FLOE_RETURN_NOT_OK(table.io()->ListEach(location, [&](const io::FileInfo& f) -> Status {
    ++report.listed;
    const io::ParsedLocation p = io::ParseLocation(f.location);
    FLOE_ASSIGN_OR_RAISE(auto origin, refs.Find(p.path));
    if (origin) {
      if (*origin == norm.Origin(p)) {
        ++report.in_use;
        return Status::OK();
      }
      ++report.mismatched;
      if (mismatches.size() < 5) mismatches.push_back(f.location + " (referenced as " + *origin + p.path + ")");
      if (o.prefix_mismatch != PrefixMismatchMode::kDelete) return Status::OK();
    }
    const bool ours = f.location.rfind(bookkeeping, 0) == 0 && f.location.size() > 5 &&
                      f.location.compare(f.location.size() - 5, 5, ".json") == 0;
    if (f.mtime_ms >= older_than || ours) {
      ++report.too_new;  // bookkeeping is kept like a new file: a cleanup may be running
      return Status::OK();
    }
    ++report.orphans;
    report.orphan_bytes += f.size;
    if (o.dry_run || report.examples.size() < 20) report.examples.push_back(f.location);
    return refs.AddOrphan(f.location, f.size);
  }));
  if (report.mismatched > 0 && o.prefix_mismatch == PrefixMismatchMode::kError) {
    std::string shown;
    for (const std::string& m : mismatches) shown += "\n  " + m;
    return Status::Invalid(report.mismatched, " listed files of table ", table.name(),
                           " are referenced under another scheme or authority, which may mean the "
                           "table was moved; nothing was deleted. If they are the same store, pass "
                           "--equal-scheme FROM=TO or --equal-authority FROM=TO; to keep them, "
                           "--prefix-mismatch=ignore:", shown);
  }

  FileDeleter deleter(table.io(), threads, o.dry_run);
  FLOE_RETURN_NOT_OK(refs.ForEachOrphanBatch(
      10000, [&](std::vector<FileDeleter::Item>&& batch) { deleter.Delete(batch); }));
  report.deleted = deleter.counts();
  report.cleanup_error = deleter.first_error();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace floe::maintenance
