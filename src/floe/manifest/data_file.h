// Manifest entries and the data/delete files they track (spec §Manifests,
// §Manifest Entry Fields, §Data File Fields), decoded into plain structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "floe/spec/literal.h"

namespace floe::manifest {

enum class FileContent : uint8_t {
  kData = 0,
  kPositionDeletes = 1,  // also deletion vectors (file_format PUFFIN)
  kEqualityDeletes = 2,
};

enum class FileFormat : uint8_t { kParquet, kAvro, kOrc, kPuffin };

enum class EntryStatus : uint8_t { kExisting = 0, kAdded = 1, kDeleted = 2 };

std::string_view FileContentName(FileContent c);  // "data", "position-deletes", ...
// Upper case as Java and PyIceberg write it ("PARQUET").
std::string_view FileFormatName(FileFormat f);
// Case-insensitive; nullopt for anything else.
std::optional<FileFormat> ParseFileFormat(std::string_view text);
std::string_view EntryStatusName(EntryStatus s);  // "EXISTING", "ADDED", "DELETED"

// Per-column metric maps keyed by field id, in the order written. nullopt
// means the writer stored null (no metrics), which differs from empty.
using CountMap = std::optional<std::vector<std::pair<int32_t, int64_t>>>;
using BoundMap = std::optional<std::vector<std::pair<int32_t, std::string>>>;

// What Java writes for v1's block_size_in_bytes (spec §Data File Fields:
// required in v1, deprecated, "always write a default"; gone in v2+).
inline constexpr int64_t kV1BlockSize = 67108864;

struct DataFile {
  FileContent content = FileContent::kData;
  std::string file_path;
  FileFormat file_format = FileFormat::kParquet;
  // One value per field of the manifest's partition spec, in spec order,
  // typed by the spec's partition type.
  std::vector<spec::Literal> partition;
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  std::optional<int64_t> block_size_in_bytes;  // v1 only
  CountMap column_sizes;
  CountMap value_counts;
  CountMap null_value_counts;
  CountMap nan_value_counts;
  BoundMap lower_bounds;  // single-value binary (App. D)
  BoundMap upper_bounds;
  std::optional<std::string> key_metadata;
  std::optional<std::vector<int64_t>> split_offsets;
  std::optional<std::vector<int32_t>> equality_ids;
  std::optional<int32_t> sort_order_id;
  std::optional<int64_t> first_row_id;                // v3
  std::optional<std::string> referenced_data_file;    // v2+
  std::optional<int64_t> content_offset;              // v3 (deletion vectors)
  std::optional<int64_t> content_size_in_bytes;       // v3

  // The partition spec the file was written with. Not stored in the entry
  // (the manifest's spec is); readers set it, writers of new files set it.
  int32_t spec_id = 0;

  bool operator==(const DataFile&) const = default;
};

struct ManifestEntry {
  EntryStatus status = EntryStatus::kAdded;
  // Null in the file means "inherit" (§Sequence Number Inheritance); readers
  // given the manifest's ManifestFile fill these in.
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> sequence_number;       // the data sequence number
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;

  bool operator==(const ManifestEntry&) const = default;
};

}  // namespace floe::manifest
