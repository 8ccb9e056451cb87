#include "floe/table/snapshot_update.h"

#include <cstdio>

#include "floe/catalog/metadata_files.h"
#include "floe/manifest/manifest_writer.h"
#include "floe/table/delete_index.h"
#include "floe/table/metadata_update.h"
#include "floe/table/snapshot_summary.h"
#include "floe/util/random_ids.h"
#include "floe/util/strings.h"

namespace floe::table {

using manifest::EntryStatus;
using manifest::ManifestContent;
using manifest::ManifestEntry;
using manifest::ManifestFile;

Result<std::shared_ptr<const manifest::ManifestList>> CommitManifestReader::List(
    const spec::Snapshot& snapshot) {
  if (snapshot.manifest_list.empty()) {
    return Status::NotSupported("snapshot ", snapshot.snapshot_id,
                                " lists manifests inline (very old v1); Floe needs a manifest list");
  }
  auto it = lists_.find(snapshot.manifest_list);
  if (it != lists_.end()) return it->second;
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io_->ReadFile(snapshot.manifest_list));
  FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(snapshot.manifest_list, bytes));
  auto shared = std::make_shared<const manifest::ManifestList>(std::move(list));
  lists_.emplace(snapshot.manifest_list, shared);
  return shared;
}

Result<std::shared_ptr<const manifest::Manifest>> CommitManifestReader::Manifest(
    const spec::TableMetadata& md, const ManifestFile& mf) {
  auto it = manifests_.find(mf.manifest_path);
  if (it != manifests_.end()) return it->second;
  const spec::PartitionSpec* spec = md.SpecById(mf.partition_spec_id);
  if (!spec) {
    return Status::Invalid("manifest ", mf.manifest_path, " uses partition spec ",
                           mf.partition_spec_id, ", which the table metadata does not have");
  }
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io_->ReadFile(mf.manifest_path));
  FLOE_ASSIGN_OR_RAISE(auto m, manifest::ReadManifest(mf.manifest_path, bytes,
                                                      {spec, md.CurrentSchema(), &mf}));
  auto shared = std::make_shared<const manifest::Manifest>(std::move(m));
  manifests_.emplace(mf.manifest_path, shared);
  return shared;
}

avro::Codec ManifestCodec(const spec::TableMetadata& md) {
  std::string codec = util::AsciiLower(
      md.Property("write.manifest.compression-codec",
                  md.Property("write.avro.compression-codec", "gzip")));
  if (codec == "uncompressed" || codec == "none" || codec == "null") return avro::Codec::kNull;
  if (codec == "snappy") return avro::Codec::kSnappy;
  if (codec == "zstd" || codec == "zstandard") return avro::Codec::kZstandard;
  return avro::Codec::kDeflate;
}

SnapshotUpdate::SnapshotUpdate(io::FileIO* io, std::string branch)
    : io_(io), branch_(std::move(branch)), snapshot_id_(util::RandomSnapshotId()), cache_(io) {}

void SnapshotUpdate::AddFile(manifest::DataFile file, bool owned,
                             std::optional<int64_t> data_sequence_number) {
  if (owned) owned_files_.push_back(file.file_path);
  if (data_sequence_number) added_sequence_numbers_[FileKey(file)] = *data_sequence_number;
  added_.push_back(std::move(file));
}

std::vector<std::string> SnapshotUpdate::PreparedFiles() const {
  std::vector<std::string> out = prepared_;
  out.insert(out.end(), owned_files_.begin(), owned_files_.end());
  return out;
}

std::string FileKey(const manifest::DataFile& file) {
  if (file.file_format == manifest::FileFormat::kPuffin) {
    return file.file_path + "#" + std::to_string(file.content_offset.value_or(-1));
  }
  return file.file_path;
}

void SnapshotUpdate::RemoveFile(const manifest::DataFile& file,
                                std::optional<int64_t> data_sequence_number) {
  removed_.emplace(FileKey(file), file);
  if (file.content == manifest::FileContent::kData) removed_data_paths_.insert(file.file_path);
  if (file.content != manifest::FileContent::kData && data_sequence_number) {
    removed_delete_seq_[FileKey(file)] = *data_sequence_number;
  }
}

void SnapshotUpdate::SetRewriteManifests(int64_t target_bytes) {
  rewrite_ = true;
  rewrite_manifests_target_ = std::max<int64_t>(1, target_bytes);
}

void SnapshotUpdate::SetRewrite(std::optional<int64_t> data_sequence_number) {
  rewrite_ = true;
  rewrite_sequence_number_ = data_sequence_number;
}

void SnapshotUpdate::SetSummaryProperty(std::string key, std::string value) {
  summary_extra_.emplace_back(std::move(key), std::move(value));
}

std::string SnapshotUpdate::operation() const {
  if (rewrite_) return "replace";
  // append: only data added; delete: no data added; overwrite: both ways.
  bool adds_data = false, adds_deletes = false;
  for (const auto& f : added_) {
    (f.content == manifest::FileContent::kData ? adds_data : adds_deletes) = true;
  }
  if (removed_.empty() && !adds_deletes) return "append";
  if (!adds_data) return "delete";
  return "overwrite";
}

std::string SnapshotUpdate::Describe() const {
  return operation() + " (" + std::to_string(added_.size()) + " files added, " +
         std::to_string(removed_.size()) + " removed)";
}

Result<ManifestFile> SnapshotUpdate::WriteManifest(const spec::TableMetadata& md, int32_t spec_id,
                                                   ManifestContent content,
                                                   const std::vector<ManifestEntry>& entries,
                                                   CommitAttempt* attempt, bool per_attempt) {
  const spec::PartitionSpec* spec = md.SpecById(spec_id);
  if (!spec) {
    return Status::CommitConflict("partition spec ", spec_id,
                                  " of the files being committed no longer exists");
  }
  manifest::ManifestWriteOptions o;
  o.format_version = md.format_version;
  o.spec = *spec;
  o.schema = *md.CurrentSchema();
  o.content = content;
  o.snapshot_id = snapshot_id_;
  o.codec = ManifestCodec(md);
  FLOE_ASSIGN_OR_RAISE(auto writer, manifest::ManifestWriter::Make(o));
  for (const ManifestEntry& e : entries) FLOE_RETURN_NOT_OK(writer.Add(e));
  std::string location = io::JoinLocation(
      catalog::MetadataFolder(md),
      attempt->commit_uuid + "-m" + std::to_string(manifest_counter_++) + ".avro");
  FLOE_ASSIGN_OR_RAISE(auto done, writer.Finish(location));
  FLOE_RETURN_NOT_OK(io_->WriteNewFile(location, done.bytes));
  (per_attempt ? attempt->attempt_files : prepared_).push_back(location);
  return done.manifest_file;
}

Result<std::vector<ManifestFile>> SnapshotUpdate::AddedManifests(const spec::TableMetadata& md,
                                                                 CommitAttempt* attempt) {
  if (added_manifests_) {
    for (const ManifestFile& m : *added_manifests_) {
      if (!md.SpecById(m.partition_spec_id)) {
        return Status::CommitConflict("partition spec ", m.partition_spec_id,
                                      " was removed by a concurrent commit");
      }
    }
    return *added_manifests_;
  }
  // One manifest per (spec, content): a manifest holds one spec and one kind.
  std::map<std::pair<int32_t, ManifestContent>, std::vector<ManifestEntry>> groups;
  for (const manifest::DataFile& f : added_) {
    ManifestEntry e;
    e.status = EntryStatus::kAdded;
    e.data_file = f;
    // A rewrite's files keep the starting snapshot's data sequence number;
    // their file sequence number is still this commit's (inherited).
    if (rewrite_ && md.format_version >= 2) e.sequence_number = rewrite_sequence_number_;
    if (auto it = added_sequence_numbers_.find(FileKey(f)); it != added_sequence_numbers_.end() &&
                                                            md.format_version >= 2) {
      e.sequence_number = it->second;
    }
    auto content = f.content == manifest::FileContent::kData ? ManifestContent::kData
                                                             : ManifestContent::kDeletes;
    groups[{f.spec_id, content}].push_back(std::move(e));
  }
  std::vector<ManifestFile> out;
  for (const auto& [key, entries] : groups) {
    FLOE_ASSIGN_OR_RAISE(ManifestFile mf, WriteManifest(md, key.first, key.second, entries,
                                                        attempt, /*per_attempt=*/false));
    out.push_back(std::move(mf));
  }
  added_manifests_ = out;
  return out;
}

Status SnapshotUpdate::Validate(const spec::TableMetadata& md, const spec::Snapshot* head) {
  std::optional<int64_t> head_id;
  if (head) head_id = head->snapshot_id;
  if (head_id == start_) return Status::OK();
  // Walk back from the head to the starting snapshot, checking what each
  // concurrent commit did (spec §Commit Conflict Resolution and Retry).
  spec::SnapshotIndex index(md);
  std::vector<const spec::Snapshot*> since;
  bool found_start = !start_.has_value();
  for (const spec::Snapshot* s : index.Ancestors(head_id.value_or(0))) {
    if (start_ && s->snapshot_id == *start_) {
      found_start = true;
      break;
    }
    since.push_back(s);
  }
  if (!found_start) {
    return Status::CommitConflict("snapshot ", *start_,
                                  " this change was planned against is no longer an ancestor of "
                                  "branch '", branch_, "' (it was rolled back or replaced)");
  }
  if (removed_.empty() && !conflict_filter_ && referenced_.empty()) return Status::OK();
  if (rewrite_) {
    removed_equality_scopes_.clear();
    removed_position_scopes_.clear();
    removed_data_partitions_.clear();
    for (const auto& [key, f] : removed_) {
      if (f.content == manifest::FileContent::kData) {
        removed_data_partitions_.insert(DeleteIndex::PartitionKey(f.spec_id, f.partition));
        continue;
      }
      auto seq = removed_delete_seq_.find(key);
      if (seq == removed_delete_seq_.end()) continue;
      if (f.content == manifest::FileContent::kEqualityDeletes) {
        const spec::PartitionSpec* spec = md.SpecById(f.spec_id);
        const std::string scope = spec && spec->IsUnpartitioned()
                                      ? std::string()
                                      : DeleteIndex::PartitionKey(f.spec_id, f.partition);
        int64_t& max = removed_equality_scopes_[scope];
        max = std::max(max, seq->second);
      } else if (f.file_format != manifest::FileFormat::kPuffin) {
        int64_t& max = removed_position_scopes_[DeleteIndex::PartitionKey(f.spec_id, f.partition)];
        max = std::max(max, seq->second);
      }
    }
  }
  for (const spec::Snapshot* s : since) {
    FLOE_ASSIGN_OR_RAISE(auto list, cache_.List(*s));
    for (const ManifestFile& mf : list->manifests) {
      if (mf.added_snapshot_id != s->snapshot_id) continue;
      FLOE_ASSIGN_OR_RAISE(auto m, cache_.Manifest(md, mf));
      for (const ManifestEntry& e : m->entries) {
        if (e.snapshot_id != s->snapshot_id) continue;
        const manifest::DataFile& f = e.data_file;
        if (e.status == EntryStatus::kDeleted && removed_.count(FileKey(f))) {
          return Status::CommitConflict("file ", f.file_path,
                                        " was removed by concurrent commit ", s->snapshot_id);
        }
        if (e.status == EntryStatus::kDeleted && f.content == manifest::FileContent::kData &&
            referenced_.count(f.file_path)) {
          return Status::CommitConflict("data file ", f.file_path, ", which this commit's deletes "
                                        "reference, was removed by concurrent commit ",
                                        s->snapshot_id);
        }
        if (e.status != EntryStatus::kAdded) continue;
        if (rewrite_) {
          FLOE_RETURN_NOT_OK(ValidateRewrite(*s, e));
          continue;
        }
        if (f.file_format == manifest::FileFormat::kPuffin && f.referenced_data_file &&
            (referenced_.count(*f.referenced_data_file) ||
             removed_data_paths_.count(*f.referenced_data_file))) {
          return Status::CommitConflict("concurrent commit ", s->snapshot_id,
                                        " added a deletion vector for ", *f.referenced_data_file,
                                        ", which this commit also changes");
        }
        if (f.content != manifest::FileContent::kData && !removed_.empty()) {
          return Status::CommitConflict("concurrent commit ", s->snapshot_id,
                                        " added delete files that may apply to rewritten data");
        }
        if (f.content == manifest::FileContent::kData && conflict_filter_ &&
            conflict_filter_(f, md)) {
          return Status::CommitConflict(
              "concurrent commit ", s->snapshot_id, " added ", f.file_path,
              ", which may hold rows matching this operation's filter (serializable isolation)");
        }
      }
    }
  }
  return Status::OK();
}

Result<std::vector<ManifestFile>> SnapshotUpdate::RegroupManifests(
    const spec::TableMetadata& md, const std::vector<ManifestFile>& manifests,
    CommitAttempt* attempt, std::vector<std::pair<std::string, std::string>>* summary) {
  // Entries by (spec, content), each group sorted by partition so that a
  // manifest covers a narrow range (its partition summary then prunes).
  struct Item {
    std::string partition_key;
    ManifestEntry entry;
  };
  std::map<std::pair<int32_t, ManifestContent>, std::vector<Item>> groups;
  std::map<std::pair<int32_t, ManifestContent>, int64_t> group_bytes;
  int64_t entries_processed = 0;
  for (const ManifestFile& mf : manifests) {
    FLOE_ASSIGN_OR_RAISE(auto m, cache_.Manifest(md, mf));
    auto key = std::make_pair(mf.partition_spec_id, mf.content);
    group_bytes[key] += mf.manifest_length;
    for (const ManifestEntry& e : m->entries) {
      if (e.status == EntryStatus::kDeleted) continue;
      ManifestEntry copy = e;
      copy.status = EntryStatus::kExisting;
      if (md.format_version == 1) {
        copy.sequence_number.reset();
        copy.file_sequence_number.reset();
      }
      groups[key].push_back(Item{DeleteIndex::PartitionKey(mf.partition_spec_id, e.data_file.partition),
                                 std::move(copy)});
      ++entries_processed;
    }
  }
  std::vector<ManifestFile> out;
  for (auto& [key, items] : groups) {
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.partition_key < b.partition_key; });
    // Entries per manifest from the bytes an entry takes in today's manifests.
    const double per_entry = std::max(1.0, static_cast<double>(group_bytes[key]) / items.size());
    const size_t chunk = std::max<size_t>(1, static_cast<size_t>(*rewrite_manifests_target_ / per_entry));
    for (size_t first = 0; first < items.size(); first += chunk) {
      std::vector<ManifestEntry> entries;
      for (size_t i = first; i < std::min(items.size(), first + chunk); ++i) {
        entries.push_back(std::move(items[i].entry));
      }
      FLOE_ASSIGN_OR_RAISE(ManifestFile nm, WriteManifest(md, key.first, key.second, entries, attempt,
                                                          /*per_attempt=*/true));
      out.push_back(std::move(nm));
    }
  }
  summary->emplace_back("manifests-created", std::to_string(out.size()));
  summary->emplace_back("manifests-replaced", std::to_string(manifests.size()));
  summary->emplace_back("manifests-kept", "0");
  summary->emplace_back("entries-processed", std::to_string(entries_processed));
  return out;
}

Result<std::vector<ManifestFile>> SnapshotUpdate::MergeManifests(const spec::TableMetadata& md,
                                                                 std::vector<ManifestFile> manifests,
                                                                 CommitAttempt* attempt) {
  if (util::AsciiLower(md.Property("commit.manifest-merge.enabled", "true")) != "true") {
    return manifests;
  }
  const int64_t min_count = std::max<int64_t>(2, md.PropertyAsInt("commit.manifest.min-count-to-merge", 100));
  const int64_t target = md.PropertyAsInt("commit.manifest.target-size-bytes", 8 << 20);
  // Only manifests carried unchanged from the parent merge: this commit's
  // own manifests are already written (and would be left unreferenced).
  std::set<std::string> own;
  if (added_manifests_) {
    for (const ManifestFile& m : *added_manifests_) own.insert(m.manifest_path);
  }
  for (const std::string& f : attempt->attempt_files) own.insert(f);
  std::map<std::pair<int32_t, ManifestContent>, std::vector<size_t>> groups;
  for (size_t i = 0; i < manifests.size(); ++i) {
    if (!own.count(manifests[i].manifest_path)) {
      groups[{manifests[i].partition_spec_id, manifests[i].content}].push_back(i);
    }
  }
  std::vector<bool> merged_away(manifests.size(), false);
  std::vector<ManifestFile> out;
  for (const auto& [key, indexes] : groups) {
    if (static_cast<int64_t>(indexes.size()) < min_count) continue;
    // Consecutive bins up to the target size, newest manifests first (the
    // list order); a bin of one manifest stays as it is.
    std::vector<std::vector<size_t>> bins(1);
    int64_t bin_size = 0;
    for (size_t i : indexes) {
      if (!bins.back().empty() && bin_size + manifests[i].manifest_length > target) {
        bins.emplace_back();
        bin_size = 0;
      }
      bins.back().push_back(i);
      bin_size += manifests[i].manifest_length;
    }
    for (const auto& bin : bins) {
      if (bin.size() < 2) continue;
      std::vector<ManifestEntry> entries;
      for (size_t i : bin) {
        FLOE_ASSIGN_OR_RAISE(auto m, cache_.Manifest(md, manifests[i]));
        for (const ManifestEntry& e : m->entries) {
          if (e.status == EntryStatus::kDeleted) continue;  // deleted by an earlier commit [Java]
          ManifestEntry copy = e;
          copy.status = EntryStatus::kExisting;
          if (md.format_version == 1) {
            copy.sequence_number.reset();
            copy.file_sequence_number.reset();
          }
          entries.push_back(std::move(copy));
        }
        merged_away[i] = true;
      }
      FLOE_ASSIGN_OR_RAISE(ManifestFile nm, WriteManifest(md, key.first, key.second, entries,
                                                          attempt, /*per_attempt=*/true));
      out.push_back(std::move(nm));
    }
  }
  if (out.empty()) return manifests;
  for (size_t i = 0; i < manifests.size(); ++i) {
    if (!merged_away[i]) out.push_back(std::move(manifests[i]));
  }
  return out;
}

// What a concurrent commit may have added while a rewrite ran (spec §Scan
// Planning's delete scopes): nothing that deletes rows of a removed data
// file but an equality delete (which still applies to the rewritten rows
// when they keep the starting sequence number), and no data file that a
// delete file this rewrite removes as dangling would apply to.
Status SnapshotUpdate::ValidateRewrite(const spec::Snapshot& s, const ManifestEntry& e) const {
  const manifest::DataFile& f = e.data_file;
  const std::string partition = DeleteIndex::PartitionKey(f.spec_id, f.partition);
  switch (f.content) {
    case manifest::FileContent::kEqualityDeletes:
      if (rewrite_sequence_number_) return Status::OK();
      if (!removed_data_paths_.empty()) {
        return Status::CommitConflict("concurrent commit ", s.snapshot_id,
                                      " added equality deletes that may apply to rewritten data");
      }
      return Status::OK();
    case manifest::FileContent::kPositionDeletes: {
      if (f.file_format == manifest::FileFormat::kPuffin && f.referenced_data_file &&
          referenced_.count(*f.referenced_data_file)) {
        return Status::CommitConflict("concurrent commit ", s.snapshot_id,
                                      " added a deletion vector for ", *f.referenced_data_file,
                                      ", which this commit also writes one for");
      }
      const bool hits = f.referenced_data_file
                            ? removed_data_paths_.count(*f.referenced_data_file) > 0
                            : removed_data_partitions_.count(partition) > 0;
      if (hits) {
        return Status::CommitConflict(
            "concurrent commit ", s.snapshot_id, " added ",
            f.file_format == manifest::FileFormat::kPuffin ? "a deletion vector" : "position deletes",
            " for ", f.referenced_data_file.value_or("data files of partition " + partition),
            ", which this rewrite replaces; run it again to include them");
      }
      return Status::OK();
    }
    case manifest::FileContent::kData: {
      const int64_t seq = e.sequence_number.value_or(s.sequence_number);
      auto below = [&](const std::map<std::string, int64_t>& scopes, const std::string& key,
                       bool inclusive) {
        auto it = scopes.find(key);
        return it != scopes.end() && (inclusive ? seq <= it->second : seq < it->second);
      };
      if (below(removed_equality_scopes_, partition, false) ||
          below(removed_equality_scopes_, "", false) ||
          below(removed_position_scopes_, partition, true)) {
        return Status::CommitConflict("concurrent commit ", s.snapshot_id, " added ", f.file_path,
                                      " with data sequence number ", seq,
                                      ", to which delete files this rewrite removes would apply");
      }
      return Status::OK();
    }
  }
  return Status::OK();
}

Status SnapshotUpdate::Apply(spec::TableMetadata* md, CommitAttempt* attempt) {
  const spec::Snapshot* head = md->SnapshotForRef(branch_);
  FLOE_RETURN_NOT_OK(Validate(*md, head));
  while (md->SnapshotById(snapshot_id_)) snapshot_id_ = util::RandomSnapshotId();

  SummaryBuilder summary;
  std::vector<ManifestFile> manifests;
  FLOE_ASSIGN_OR_RAISE(manifests, AddedManifests(*md, attempt));
  for (const manifest::DataFile& f : added_) {
    const spec::PartitionSpec* spec = md->SpecById(f.spec_id);
    auto ptype = spec->PartitionType(*md->CurrentSchema(), true);
    summary.AddedFile(f, std::to_string(f.spec_id) + "/" +
                             (ptype.ok() ? spec->PartitionPath(f.partition, **ptype) : ""));
  }

  // Carry the head's manifests: untouched ones as they are; those holding a
  // removed file are rewritten with it DELETED and the rest EXISTING.
  std::set<std::string> found;
  if (head) {
    FLOE_ASSIGN_OR_RAISE(auto list, cache_.List(*head));
    // A DV goes with the data file it references (spec §Deletion Vectors).
    auto is_removed = [&](const manifest::DataFile& f) {
      if (removed_.count(FileKey(f))) return true;
      return f.file_format == manifest::FileFormat::kPuffin && f.referenced_data_file &&
             removed_data_paths_.count(*f.referenced_data_file) > 0;
    };
    for (const ManifestFile& mf : list->manifests) {
      if (removed_.empty() ||
          (mf.content == ManifestContent::kDeletes && md->format_version < 3 &&
           removed_.size() == removed_data_paths_.size())) {
        manifests.push_back(mf);  // nothing in it can be removed
        continue;
      }
      FLOE_ASSIGN_OR_RAISE(auto m, cache_.Manifest(*md, mf));
      bool touched = false;
      for (const ManifestEntry& e : m->entries) {
        touched |= e.status != EntryStatus::kDeleted && is_removed(e.data_file);
      }
      if (!touched) {
        manifests.push_back(mf);
        continue;
      }
      std::vector<ManifestEntry> rewritten;
      for (const ManifestEntry& e : m->entries) {
        if (e.status == EntryStatus::kDeleted) continue;  // earlier deletes are dropped [Java]
        ManifestEntry copy = e;
        if (md->format_version == 1) {
          // The reader filled in the inherited sequence numbers (0 in v1);
          // v1 manifests have no such fields and the writer refuses them.
          copy.sequence_number.reset();
          copy.file_sequence_number.reset();
        }
        if (is_removed(e.data_file)) {
          found.insert(FileKey(e.data_file));
          copy.status = EntryStatus::kDeleted;
          copy.snapshot_id = snapshot_id_;
          const spec::PartitionSpec* spec = md->SpecById(mf.partition_spec_id);
          auto ptype = spec->PartitionType(*md->CurrentSchema(), true);
          summary.RemovedFile(e.data_file,
                              std::to_string(mf.partition_spec_id) + "/" +
                                  (ptype.ok() ? spec->PartitionPath(e.data_file.partition, **ptype)
                                              : ""));
        } else {
          copy.status = EntryStatus::kExisting;
        }
        rewritten.push_back(std::move(copy));
      }
      FLOE_ASSIGN_OR_RAISE(ManifestFile nm,
                           WriteManifest(*md, mf.partition_spec_id, mf.content, rewritten, attempt,
                                         /*per_attempt=*/true));
      manifests.push_back(std::move(nm));
    }
  }
  std::vector<std::pair<std::string, std::string>> regroup_summary;
  if (rewrite_manifests_target_) {
    FLOE_ASSIGN_OR_RAISE(manifests, RegroupManifests(*md, manifests, attempt, &regroup_summary));
  } else {
    FLOE_ASSIGN_OR_RAISE(manifests, MergeManifests(*md, std::move(manifests), attempt));
  }
  for (const auto& [key, entry] : removed_) {
    if (!found.count(key)) {
      return Status::CommitConflict("file ", entry.file_path, " is no longer in branch '", branch_,
                                    "' (removed by a concurrent commit)");
    }
  }

  spec::Snapshot snap;
  snap.snapshot_id = snapshot_id_;
  if (head) snap.parent_snapshot_id = head->snapshot_id;
  snap.sequence_number = md->format_version >= 2 ? md->last_sequence_number + 1 : 0;
  snap.timestamp_ms = std::max(util::NowMillis(), md->last_updated_ms);
  snap.operation = operation();
  for (const auto& kv : summary_extra_) summary.Set(kv.first, kv.second);
  for (const auto& kv : regroup_summary) summary.Set(kv.first, kv.second);
  summary.Set("engine-name", "floe");
  summary.Set("engine-version", FLOE_VERSION);
  // How many times other writers won the race first: `floe serve` turns it
  // into iceberg_table_commit_retries_total (readers ignore unknown keys).
  if (attempt->attempt > 1) summary.Set(kCommitRetriesProperty, std::to_string(attempt->attempt - 1));
  snap.summary = summary.Build(head);
  snap.schema_id = md->current_schema_id;

  manifest::ManifestListWriteOptions lo;
  lo.format_version = md->format_version;
  lo.snapshot_id = snapshot_id_;
  lo.parent_snapshot_id = snap.parent_snapshot_id;
  lo.sequence_number = snap.sequence_number;
  if (md->format_version >= 3) lo.first_row_id = md->next_row_id.value_or(0);
  lo.codec = ManifestCodec(*md);
  FLOE_ASSIGN_OR_RAISE(auto list, manifest::WriteManifestList(manifests, lo));
  std::string list_location = io::JoinLocation(
      catalog::MetadataFolder(*md), "snap-" + std::to_string(snapshot_id_) + "-" +
                                        std::to_string(attempt->attempt) + "-" +
                                        attempt->commit_uuid + ".avro");
  FLOE_RETURN_NOT_OK(io_->WriteNewFile(list_location, list.bytes));
  attempt->attempt_files.push_back(list_location);
  snap.manifest_list = list_location;
  if (md->format_version >= 3) {
    snap.first_row_id = lo.first_row_id;
    snap.added_rows = list.assigned_rows;
  }
  return AddSnapshot(md, std::move(snap), branch_);
}

}  // namespace floe::table
