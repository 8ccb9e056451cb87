// Updates that produce a snapshot: fast append, and overwrite/delete of
// whole files (copy-on-write). Each writes the manifests for its new files
// once, and per attempt a manifest list on top of the branch head it finds.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "floe/avro/codec.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/table/pending_update.h"

namespace floe::table {

// Reads manifest lists and manifests of one table with a cache: both are
// immutable, so an attempt that retries re-reads nothing it has seen.
class CommitManifestReader {
 public:
  explicit CommitManifestReader(io::FileIO* io) : io_(io) {}
  Result<std::shared_ptr<const manifest::ManifestList>> List(const spec::Snapshot& snapshot);
  // Entries with inheritance applied, read with the table's spec and schema.
  Result<std::shared_ptr<const manifest::Manifest>> Manifest(const spec::TableMetadata& md,
                                                             const manifest::ManifestFile& mf);

 private:
  io::FileIO* io_;
  std::map<std::string, std::shared_ptr<const manifest::ManifestList>> lists_;
  std::map<std::string, std::shared_ptr<const manifest::Manifest>> manifests_;
};

// Decides whether a data file added by a concurrent commit may hold rows
// matching the operation's filter (serializable isolation); the scan layer
// supplies it from the filter's inclusive projection and metrics.
using ConflictFilter =
    std::function<bool(const manifest::DataFile& file, const spec::TableMetadata& md)>;

class SnapshotUpdate : public PendingUpdate {
 public:
  // `branch`: the branch to commit to (main by default).
  SnapshotUpdate(io::FileIO* io, std::string branch);

  // Files to add; their spec_id and partition must be set. An `owned` file
  // is deleted if the transaction fails; callers that reuse files across
  // attempts of their own pass false and clean up themselves. A
  // `data_sequence_number` (v2+) is written explicitly instead of inherited
  // from the commit: delete files that take over older deletes keep their
  // scope that way.
  void AddFile(manifest::DataFile file, bool owned = true,
               std::optional<int64_t> data_sequence_number = std::nullopt);
  // A whole file to remove, live in snapshot `start` (nullopt: the table
  // had no snapshot). Its entry is found again in the head's manifests.
  // Data or delete files; a deletion vector is one blob of its Puffin file.
  // Removing a data file also removes the deletion vectors that reference
  // it (spec §Deletion Vectors).
  // `data_sequence_number` of a removed delete file lets a rewrite check that
  // no concurrent commit added data in its scope below it.
  void RemoveFile(const manifest::DataFile& file,
                  std::optional<int64_t> data_sequence_number = std::nullopt);
  // Row delta: the data files the added deletes reference. Validation fails
  // if a concurrent commit removed one, or (v3) added a deletion vector for
  // one (at most one DV per data file).
  void AddReferencedDataFile(const std::string& path) { referenced_.insert(path); }
  void SetStartSnapshot(std::optional<int64_t> start) { start_ = start; }
  // Serializable validation: fail if a concurrent commit added data files
  // that may match (see ConflictFilter). Without it, concurrent appends are
  // always fine.
  void SetConflictFilter(ConflictFilter filter) { conflict_filter_ = std::move(filter); }
  void SetSummaryProperty(std::string key, std::string value);

  // Makes this a rewrite (operation "replace", spec §Snapshots): the rows of
  // the removed files are the rows of the added ones. In v2+ the added files
  // keep `data_sequence_number`, the sequence number of the snapshot the
  // rewrite started from (Java's use-starting-sequence-number), so equality
  // deletes committed since still apply to them. Validation then allows
  // concurrent equality deletes and appends, and refuses concurrent position
  // deletes or deletion vectors on a removed data file, and concurrent
  // rewrites that add data files old enough for a delete file this update
  // removes to apply to them.
  void SetRewrite(std::optional<int64_t> data_sequence_number);

  // Rewrites the branch head's manifests (Java's RewriteManifests): their
  // live entries, sorted by spec, content and partition, go into new
  // manifests of about `target_bytes` each; no file is added or removed.
  // Operation "replace"; the summary carries manifests-created, -replaced,
  // -kept and entries-processed as Java writes them.
  void SetRewriteManifests(int64_t target_bytes);

  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  // The manifests written for the added files, and the added files
  // themselves: this update owns them until it commits.
  std::vector<std::string> PreparedFiles() const override;
  std::string Describe() const override;

  int64_t snapshot_id() const { return snapshot_id_; }
  size_t added_count() const { return added_.size(); }
  size_t removed_count() const { return removed_.size(); }

 private:
  Status Validate(const spec::TableMetadata& md, const spec::Snapshot* head);
  Status ValidateRewrite(const spec::Snapshot& concurrent, const manifest::ManifestEntry& e) const;
  // commit.manifest-merge.enabled: bins small manifests of one spec and
  // content into manifests of commit.manifest.target-size-bytes once a group
  // holds commit.manifest.min-count-to-merge of them (Java's merge append).
  Result<std::vector<manifest::ManifestFile>> RegroupManifests(
      const spec::TableMetadata& md, const std::vector<manifest::ManifestFile>& manifests,
      CommitAttempt* attempt, std::vector<std::pair<std::string, std::string>>* summary);
  Result<std::vector<manifest::ManifestFile>> MergeManifests(
      const spec::TableMetadata& md, std::vector<manifest::ManifestFile> manifests,
      CommitAttempt* attempt);
  Result<std::vector<manifest::ManifestFile>> AddedManifests(const spec::TableMetadata& md,
                                                             CommitAttempt* attempt);
  Result<manifest::ManifestFile> WriteManifest(const spec::TableMetadata& md, int32_t spec_id,
                                               manifest::ManifestContent content,
                                               const std::vector<manifest::ManifestEntry>& entries,
                                               CommitAttempt* attempt, bool per_attempt);
  std::string operation() const;

  io::FileIO* io_;
  std::string branch_;
  int64_t snapshot_id_;
  std::vector<manifest::DataFile> added_;
  std::map<std::string, int64_t> added_sequence_numbers_;  // by FileKey
  std::vector<std::string> owned_files_;
  std::map<std::string, manifest::DataFile> removed_;  // by FileKey
  std::set<std::string> removed_data_paths_;
  std::set<std::string> referenced_;
  std::optional<int64_t> start_;
  bool rewrite_ = false;
  std::optional<int64_t> rewrite_manifests_target_;
  std::optional<int64_t> rewrite_sequence_number_;
  std::map<std::string, int64_t> removed_delete_seq_;  // by FileKey, when given
  // Built by Validate for a rewrite: partition keys (DeleteIndex::
  // PartitionKey; "" for global equality deletes) of the removed delete
  // files' scopes with their highest data sequence numbers, and the
  // partition keys of removed data files.
  std::map<std::string, int64_t> removed_equality_scopes_, removed_position_scopes_;
  std::set<std::string> removed_data_partitions_;
  ConflictFilter conflict_filter_;
  std::vector<std::pair<std::string, std::string>> summary_extra_;
  CommitManifestReader cache_;
  // Manifests of the added files, written at the first attempt.
  std::optional<std::vector<manifest::ManifestFile>> added_manifests_;
  std::vector<std::string> prepared_;
  int manifest_counter_ = 0;
};

// Identifies a file entry: its path, plus the blob offset for a DV.
std::string FileKey(const manifest::DataFile& file);

// The codec for manifests and manifest lists: write.manifest.compression-codec,
// else write.avro.compression-codec (gzip -> deflate), default deflate.
avro::Codec ManifestCodec(const spec::TableMetadata& md);

}  // namespace floe::table
