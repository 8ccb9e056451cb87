// DeleteIndex: which delete files apply to which data file (spec §Scan
// Planning, "Delete scope"), built once per scan from the live entries of
// the snapshot's delete manifests.
//
//   deletion vector     referenced_data_file == the data file's path and
//                       seq(data) <= seq(DV)
//   position deletes    referenced_data_file null or equal, same spec and
//                       partition, seq(data) <= seq(delete), and no DV for
//                       the data file (a DV already carries them)
//   equality deletes    seq(data) < seq(delete), and the same spec and
//                       partition, or the delete's spec is unpartitioned
//                       (no fields, or only void ones)
//
// Sequence numbers are data sequence numbers. Lookups cost a hash probe per
// scope plus the matching entries, so planning stays linear in the files.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "floe/spec/table_metadata.h"

namespace floe::table {

// The data file a position delete file covers, if only one: the entry says
// so (referenced_data_file), or its file_path bounds are equal [Java].
std::optional<std::string> SingleReferencedFile(const manifest::DataFile& file);

struct DeleteFileEntry {
  std::shared_ptr<const manifest::DataFile> file;
  int64_t data_sequence_number = 0;
};

class DeleteIndex {
 public:
  // `md` gives each delete file's partition spec (to know the unpartitioned
  // ones). Invalid for a delete entry that breaks the spec (a DV without
  // referenced_data_file, an equality delete without equality_ids).
  // Data files are matched by `io`'s LocationKey (any spelling of the file
  // a DV or file-scoped delete names); without an io, by CanonicalLocation.
  static Result<DeleteIndex> Make(const spec::TableMetadata& md,
                                  std::vector<DeleteFileEntry> deletes,
                                  std::shared_ptr<const io::FileIO> io = nullptr);

  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }

  // The delete files that apply to `data_file` (its spec_id and partition
  // set) whose data sequence number is `data_sequence_number`.
  std::vector<std::shared_ptr<const manifest::DataFile>> ForDataFile(
      const manifest::DataFile& data_file, int64_t data_sequence_number) const;

  // Every live delete file of the snapshot, as given to Make.
  const std::vector<DeleteFileEntry>& entries() const { return all_; }

  // A partition's identity within the table: spec id and values.
  static std::string PartitionKey(int32_t spec_id, const std::vector<spec::Literal>& partition);

 private:
  std::string Key(const std::string& location) const;
  std::shared_ptr<const io::FileIO> io_;
  std::unordered_map<std::string, std::vector<DeleteFileEntry>> dvs_;  // by data file key
  std::unordered_map<std::string, std::vector<DeleteFileEntry>> file_positions_;
  std::unordered_map<std::string, std::vector<DeleteFileEntry>> partition_positions_;
  std::unordered_map<std::string, std::vector<DeleteFileEntry>> partition_equality_;
  std::vector<DeleteFileEntry> global_equality_;
  std::vector<DeleteFileEntry> all_;
  size_t count_ = 0;
};

}  // namespace floe::table
