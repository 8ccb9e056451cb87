#include "floe/table/drop.h"

#include <atomic>
#include <vector>

#include "floe/table/reachable_files.h"
#include "floe/util/parallel.h"

namespace floe::table {

Result<DropReport> DropTable(catalog::Catalog& catalog, const catalog::TableIdentifier& id,
                             const DropOptions& options) {
  DropReport report;
  std::string loaded_location;
  if (options.purge) {
    FLOE_ASSIGN_OR_RAISE(auto loaded, catalog.LoadTable(id));
    loaded_location = loaded.metadata_location;
    if (!loaded.metadata->GcEnabled()) {
      return Status::Invalid("table ", id.ToString(),
                             " has gc.enabled=false: its files may be shared with another "
                             "table; drop it without --purge");
    }
    const int threads = options.threads > 0 ? options.threads : util::DefaultParallelism();
    FLOE_ASSIGN_OR_RAISE(report.files, AllReachableFiles(loaded, *catalog.io(), threads,
                                                         /*with_deleted_entries=*/true));
    if (options.dry_run) return report;
  } else if (options.dry_run) {
    return Status::Invalid("a dry run is for drop --purge (what it would delete); a plain drop "
                           "deletes no file");
  }
  FLOE_ASSIGN_OR_RAISE(catalog::LoadedTable dropped, catalog.DropTable(id));
  report.dropped = true;
  if (options.purge && dropped.metadata &&
      dropped.metadata_location != loaded_location) {
    // A commit landed between our load and the drop: its files count too.
    const int threads = options.threads > 0 ? options.threads : util::DefaultParallelism();
    auto more = AllReachableFiles(dropped, *catalog.io(), threads, /*with_deleted_entries=*/true);
    if (more.ok()) report.files.insert(more->begin(), more->end());
  }
  // Files go only after the catalog no longer points at them; in parallel,
  // since each delete is a round trip on an object store.
  const std::vector<std::string> files(report.files.begin(), report.files.end());
  std::atomic<int64_t> deleted{0};
  const int threads = options.threads > 0 ? options.threads : util::DefaultParallelism();
  auto io = catalog.io();
  FLOE_RETURN_NOT_OK(util::ParallelFor(files.size(), threads, [&](size_t i) {
    if (io->Delete(files[i]).ok()) deleted.fetch_add(1, std::memory_order_relaxed);
    return Status::OK();
  }));
  report.deleted = deleted.load();
  report.failed = static_cast<int64_t>(files.size()) - report.deleted;
  return report;
}

}  // namespace floe::table
