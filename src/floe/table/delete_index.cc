#include "floe/table/delete_index.h"

#include <cstring>
#include <variant>

#include "floe/io/location.h"

namespace floe::table {

using manifest::DataFile;
using manifest::FileContent;
using manifest::FileFormat;

std::optional<std::string> SingleReferencedFile(const DataFile& f) {
  if (f.referenced_data_file) return f.referenced_data_file;
  constexpr int32_t kFilePathId = 2147483546;
  std::optional<std::string> lower, upper;
  if (f.lower_bounds) {
    for (const auto& [id, v] : *f.lower_bounds) if (id == kFilePathId) lower = v;
  }
  if (f.upper_bounds) {
    for (const auto& [id, v] : *f.upper_bounds) if (id == kFilePathId) upper = v;
  }
  if (lower && upper && *lower == *upper) return lower;
  return std::nullopt;
}

std::string DeleteIndex::PartitionKey(int32_t spec_id, const std::vector<spec::Literal>& partition) {
  std::string key = std::to_string(spec_id);
  for (const spec::Literal& v : partition) {
    const auto& s = v.storage();
    key.push_back('\x1f');
    key.push_back(static_cast<char>('0' + s.index()));
    std::visit(
        [&key](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
          } else if constexpr (std::is_same_v<T, std::string>) {
            key += std::to_string(x.size()) + ":" + x;
          } else if constexpr (std::is_same_v<T, spec::Bytes>) {
            key += std::to_string(x.data.size()) + ":" + x.data;
          } else {
            // Floats by bit pattern (spec §Scan Planning: partition equality).
            char raw[sizeof(T)];
            std::memcpy(raw, &x, sizeof(T));
            key.append(raw, sizeof(T));
          }
        },
        s);
  }
  return key;
}

std::string DeleteIndex::Key(const std::string& location) const {
  return io_ ? io_->LocationKey(location) : io::CanonicalLocation(location);
}

Result<DeleteIndex> DeleteIndex::Make(const spec::TableMetadata& md,
                                      std::vector<DeleteFileEntry> deletes,
                                      std::shared_ptr<const io::FileIO> io) {
  DeleteIndex index;
  index.io_ = std::move(io);
  index.all_ = deletes;
  for (DeleteFileEntry& e : deletes) {
    const DataFile& f = *e.file;
    if (f.content == FileContent::kPositionDeletes && f.file_format == FileFormat::kPuffin) {
      if (!f.referenced_data_file) {
        return Status::Invalid("deletion vector in ", f.file_path,
                               " has no referenced_data_file (spec §Deletion Vectors)");
      }
      index.dvs_[index.Key(*f.referenced_data_file)].push_back(std::move(e));
    } else if (f.content == FileContent::kPositionDeletes) {
      if (auto single = SingleReferencedFile(f)) {
        index.file_positions_[index.Key(*single)].push_back(std::move(e));
      } else {
        index.partition_positions_[PartitionKey(f.spec_id, f.partition)].push_back(std::move(e));
      }
    } else if (f.content == FileContent::kEqualityDeletes) {
      if (!f.equality_ids || f.equality_ids->empty()) {
        return Status::Invalid("equality delete file ", f.file_path,
                               " has no equality_ids (spec §Equality Delete Files)");
      }
      const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
      // Global when the spec partitions nothing (no fields, or only void
      // ones after v1 partition evolution), as Java's DeleteFileIndex.
      if (spec && spec->IsUnpartitioned()) {
        index.global_equality_.push_back(std::move(e));
      } else {
        index.partition_equality_[PartitionKey(f.spec_id, f.partition)].push_back(std::move(e));
      }
    } else {
      continue;
    }
    ++index.count_;
  }
  return index;
}

std::vector<std::shared_ptr<const DataFile>> DeleteIndex::ForDataFile(
    const DataFile& data_file, int64_t seq) const {
  std::vector<std::shared_ptr<const DataFile>> out;
  if (count_ == 0) return out;
  bool has_dv = false;
  const std::string key = dvs_.empty() && file_positions_.empty() ? std::string() : Key(data_file.file_path);
  if (auto it = dvs_.find(key); it != dvs_.end()) {
    for (const DeleteFileEntry& e : it->second) {
      if (seq <= e.data_sequence_number) {
        out.push_back(e.file);
        has_dv = true;
      }
    }
  }
  const std::string partition = PartitionKey(data_file.spec_id, data_file.partition);
  if (!has_dv) {
    if (auto it = file_positions_.find(key); it != file_positions_.end()) {
      for (const DeleteFileEntry& e : it->second) {
        if (seq <= e.data_sequence_number) out.push_back(e.file);
      }
    }
    if (auto it = partition_positions_.find(partition); it != partition_positions_.end()) {
      for (const DeleteFileEntry& e : it->second) {
        if (seq <= e.data_sequence_number) out.push_back(e.file);
      }
    }
  }
  if (auto it = partition_equality_.find(partition); it != partition_equality_.end()) {
    for (const DeleteFileEntry& e : it->second) {
      if (seq < e.data_sequence_number) out.push_back(e.file);
    }
  }
  for (const DeleteFileEntry& e : global_equality_) {
    if (seq < e.data_sequence_number) out.push_back(e.file);
  }
  return out;
}

}  // namespace floe::table
