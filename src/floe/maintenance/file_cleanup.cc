#include "floe/maintenance/file_cleanup.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::maintenance {

std::string_view FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kData: return "data";
    case FileKind::kDeletes: return "delete";
    case FileKind::kManifest: return "manifest";
    case FileKind::kManifestList: return "manifest list";
    case FileKind::kStatistics: return "statistics";
    case FileKind::kMetadata: return "metadata";
    case FileKind::kOther: return "other";
  }
  return "other";
}

int64_t DeletedCounts::total() const {
  int64_t n = 0;
  for (const auto& [kind, count] : files) n += count;
  return n;
}

FileDeleter::FileDeleter(std::shared_ptr<io::FileIO> io, int threads, bool dry_run)
    : io_(std::move(io)), threads_(std::max(1, threads)), dry_run_(dry_run) {}

void FileDeleter::Delete(const std::vector<Item>& items) {
  if (dry_run_) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Item& item : items) {
      listed_.push_back(item);
      ++counts_.files[item.kind];
      counts_.bytes += item.size;
    }
    return;
  }
  (void)util::ParallelFor(items.size(), threads_, [&](size_t i) -> Status {
    const Item& item = items[i];
    Status st = io_->Delete(item.path);  // a missing file is OK (FileIO contract)
    std::lock_guard<std::mutex> lock(mu_);
    if (st.ok()) {
      ++counts_.files[item.kind];
      counts_.bytes += item.size;
    } else {
      ++counts_.failed;
      if (first_error_.ok()) first_error_ = st.WithContext("deleting " + item.path);
    }
    return Status::OK();  // keep going: a rerun finishes what failed
  });
}

std::string JournalPrefix(const std::string& metadata_folder) {
  return io::JoinLocation(metadata_folder, "floe-cleanup-");
}

Status WriteJournal(io::FileIO& io, CleanupJournal* journal) {
  if (journal->location.empty()) return Status::Invalid("internal: a cleanup journal needs a location");
  nlohmann::json j;
  j["operation"] = journal->operation;
  j["manifest-lists"] = journal->manifest_lists;
  j["statistics"] = journal->statistics;
  j["created-ms"] = journal->created_ms;
  // Journals are rewritten as a commit's plan grows: write a new object
  // and drop the old one, never overwrite in place.
  (void)io.Delete(journal->location);
  return io.WriteNewFile(journal->location, j.dump());
}

Result<std::vector<CleanupJournal>> ListJournals(io::FileIO& io, const std::string& metadata_folder) {
  const std::string prefix = JournalPrefix(metadata_folder);
  std::vector<CleanupJournal> out;
  FLOE_RETURN_NOT_OK(io.ListEach(metadata_folder, [&](const io::FileInfo& f) -> Status {
    const bool named = f.location.rfind(prefix, 0) == 0 ||
                       f.location.find("/floe-cleanup-") != std::string::npos;
    if (!named || f.location.size() < 5 || f.location.substr(f.location.size() - 5) != ".json") {
      return Status::OK();
    }
    FLOE_ASSIGN_OR_RAISE(std::string text, io.ReadFile(f.location));
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::Corruption("cleanup journal ", f.location,
                                " is not valid JSON; delete it by hand if no cleanup is running");
    }
    CleanupJournal journal;
    journal.location = f.location;
    journal.operation = j.value("operation", "");
    journal.created_ms = j.value("created-ms", int64_t{0});
    for (const auto& v : j.value("manifest-lists", nlohmann::json::array())) {
      if (v.is_string()) journal.manifest_lists.push_back(v.get<std::string>());
    }
    for (const auto& v : j.value("statistics", nlohmann::json::array())) {
      if (v.is_string()) journal.statistics.push_back(v.get<std::string>());
    }
    out.push_back(std::move(journal));
    return Status::OK();
  }));
  std::sort(out.begin(), out.end(), [](const CleanupJournal& a, const CleanupJournal& b) {
    return a.created_ms < b.created_ms;
  });
  return out;
}

}  // namespace floe::maintenance
