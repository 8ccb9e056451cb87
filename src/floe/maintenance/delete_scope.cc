#include "floe/maintenance/delete_scope.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace floe::maintenance {

using manifest::DataFile;
using manifest::FileContent;
using table::DeleteFileEntry;
using table::DeleteIndex;
using table::FileScanTask;

std::vector<DeleteFileEntry> DanglingDeletes(const spec::TableMetadata& md,
                                      const std::vector<FileScanTask>& live,
                                      const std::unordered_set<std::string>& removed,
                                      const std::vector<DeleteFileEntry>& deletes) {
  std::unordered_set<std::string> live_paths;
  std::unordered_map<std::string, int64_t> min_seq;  // by partition key
  std::optional<int64_t> global_min;
  for (const FileScanTask& t : live) {
    if (removed.count(t.file.file_path)) continue;
    live_paths.insert(t.file.file_path);
    const std::string key = DeleteIndex::PartitionKey(t.file.spec_id, t.file.partition);
    auto [it, fresh] = min_seq.emplace(key, t.data_sequence_number);
    if (!fresh) it->second = std::min(it->second, t.data_sequence_number);
    global_min = std::min(global_min.value_or(t.data_sequence_number), t.data_sequence_number);
  }
  std::vector<DeleteFileEntry> out;
  for (const DeleteFileEntry& e : deletes) {
    const DataFile& f = *e.file;
    const int64_t seq = e.data_sequence_number;
    bool needed = false;
    if (f.content == FileContent::kPositionDeletes) {
      if (auto single = table::SingleReferencedFile(f)) {
        needed = live_paths.count(*single) > 0;
      } else {
        auto it = min_seq.find(DeleteIndex::PartitionKey(f.spec_id, f.partition));
        needed = it != min_seq.end() && it->second <= seq;
      }
    } else if (f.content == FileContent::kEqualityDeletes) {
      const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
      if (spec && spec->IsUnpartitioned()) {
        needed = global_min && *global_min < seq;
      } else {
        auto it = min_seq.find(DeleteIndex::PartitionKey(f.spec_id, f.partition));
        needed = it != min_seq.end() && it->second < seq;
      }
    } else {
      needed = true;
    }
    if (!needed) out.push_back(e);
  }
  return out;
}

}  // namespace floe::maintenance
