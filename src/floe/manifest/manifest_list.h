// Manifest lists (spec §Manifest Lists): reading and writing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/avro/codec.h"
#include "floe/manifest/manifest_file.h"
#include "floe/result.h"

namespace floe::manifest {

// A ManifestFile whose sequence numbers are not known yet: a manifest
// written by this commit, assigned when its manifest list is written.
inline constexpr int64_t kUnassignedSequenceNumber = -1;

struct ManifestList {
  int format_version = 1;  // from metadata, else inferred from the schema
  std::vector<std::pair<std::string, std::string>> metadata;  // key-value metadata
  std::string codec;
  std::vector<ManifestFile> manifests;
};

// Reads a manifest list; fields bind by id. v1 lists read with sequence
// numbers 0 and data content (§Manifest Lists). `name` prefixes errors.
Result<ManifestList> ReadManifestList(std::string_view name, std::string_view bytes);

struct ManifestListWriteOptions {
  int format_version = 2;
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;        // the commit's; ignored in v1
  std::optional<int64_t> first_row_id;  // v3: the table's next-row-id at this attempt
  avro::Codec codec = avro::Codec::kDeflate;
};

struct WrittenManifestList {
  std::string bytes;
  // The manifests as written: unassigned sequence numbers replaced by the
  // commit's, v3 first row ids assigned to new data manifests.
  std::vector<ManifestFile> manifests;
  // v3: rows given row ids by this list (the snapshot's `added-rows`).
  int64_t assigned_rows = 0;
};

// Writes a manifest list with Java's key-value metadata (snapshot-id,
// parent-snapshot-id, sequence-number, format-version, first-row-id).
// Returns Invalid for a manifest that a v1 list cannot hold (deletes).
Result<WrittenManifestList> WriteManifestList(const std::vector<ManifestFile>& manifests,
                                              const ManifestListWriteOptions& options);

}  // namespace floe::manifest
