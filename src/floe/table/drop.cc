#include "floe/table/drop.h"

#include <atomic>
#include <vector>

#include "floe/table/reachable_files.h"
#include "floe/util/parallel.h"

namespace floe::table {

Result<DropReport> DropTable(catalog::Catalog& catalog, const catalog::TableIdentifier& id,
                             const DropOptions& options) {
  DropReport report;
  if (options.purge) {
    FLOE_ASSIGN_OR_RAISE(auto loaded, catalog.LoadTable(id));
    if (loaded.metadata->Property("gc.enabled", "true") == "false") {
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
  FLOE_RETURN_NOT_OK(catalog.DropTable(id).status());
  report.dropped = true;
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
