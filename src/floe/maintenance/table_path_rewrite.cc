#include "floe/maintenance/table_path_rewrite.h"

#include <arrow/api.h>
#include <arrow/io/interfaces.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "floe/catalog/metadata_files.h"
#include "floe/spec/json.h"
#include "floe/data/delete_filter.h"
#include "floe/data/delete_writer.h"
#include "floe/data/parquet_reader.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/manifest/manifest_writer.h"
#include "floe/puffin/puffin_file.h"
#include "floe/util/parallel.h"

namespace floe::maintenance {

namespace {

using manifest::DataFile;
using manifest::FileContent;
using manifest::FileFormat;
using manifest::ManifestEntry;
using manifest::ManifestFile;

class Rewriter {
 public:
  Rewriter(const catalog::LoadedTable& source, std::shared_ptr<io::FileIO> in,
           std::shared_ptr<io::FileIO> out, const TablePathRewriteOptions& o)
      : source_(source), in_(std::move(in)), out_(std::move(out)), o_(o) {}

  Result<std::string> Map(const std::string& path) const {
    if (path.rfind(o_.from, 0) != 0) {
      return Status::Invalid(path, " does not start with --from ", o_.from,
                             "; every path of the table must, to move it by prefix");
    }
    return o_.to + path.substr(o_.from.size());
  }

  Result<TablePathRewriteReport> Run() {
    const auto start = std::chrono::steady_clock::now();
    const spec::TableMetadata& md = *source_.metadata;
    if (md.location.rfind(o_.from, 0) != 0) {
      return Status::Invalid("--from ", o_.from, " is not a prefix of the table location ", md.location);
    }
    FLOE_ASSIGN_OR_RAISE(std::string new_location, Map(md.location));
    if (!o_.target_location.empty() && o_.target_location != new_location) {
      return Status::Invalid("the rewritten table location would be ", new_location, ", not --target-location ",
                             o_.target_location, "; choose --to so that they agree");
    }
    const int threads = o_.threads > 0 ? o_.threads : util::DefaultParallelism();

    // Every metadata version: the current one and its log.
    std::vector<std::pair<std::string, std::shared_ptr<const spec::TableMetadata>>> versions;
    versions.emplace_back(source_.metadata_location, source_.metadata);
    for (const auto& e : md.metadata_log) {
      auto v = catalog::ReadMetadataFile(*in_, e.metadata_file);
      if (!v.ok()) {
        if (v.status().IsNotFound()) continue;  // cleaned up by write.metadata.* already
        return v.status();
      }
      versions.emplace_back(e.metadata_file, *v);
    }
    // Snapshots of all versions, by manifest list.
    std::map<std::string, spec::Snapshot> lists;
    for (const auto& [location, v] : versions) {
      for (const spec::Snapshot& s : v->snapshots) {
        if (!s.manifest_list.empty()) lists.emplace(s.manifest_list, s);
      }
    }
    // Manifests of all lists, rewritten once each.
    std::map<std::string, ManifestFile> manifests;
    std::map<std::string, std::vector<ManifestFile>> list_entries;
    for (const auto& [path, snapshot] : lists) {
      auto bytes = in_->ReadFile(path);
      if (!bytes.ok()) {
        if (bytes.status().IsNotFound()) continue;  // an expired snapshot's list in an old version
        return bytes.status();
      }
      FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(path, *bytes));
      for (const ManifestFile& mf : list.manifests) manifests.emplace(mf.manifest_path, mf);
      list_entries[path] = std::move(list.manifests);
    }
    std::vector<std::string> manifest_paths;
    for (const auto& [path, mf] : manifests) manifest_paths.push_back(path);
    std::map<std::string, ManifestFile> rewritten;
    std::mutex mu;
    FLOE_RETURN_NOT_OK(util::ParallelFor(manifest_paths.size(), threads, [&](size_t i) -> Status {
      FLOE_ASSIGN_OR_RAISE(ManifestFile nm, RewriteManifest(md, manifests.at(manifest_paths[i])));
      std::lock_guard<std::mutex> lock(mu);
      rewritten.emplace(manifest_paths[i], std::move(nm));
      ++report_.manifests;
      if (o_.progress) o_.progress("manifest " + std::to_string(report_.manifests) + "/" + std::to_string(manifest_paths.size()));
      return Status::OK();
    }));
    for (const auto& [path, entries] : list_entries) {
      const spec::Snapshot& s = lists.at(path);
      std::vector<ManifestFile> out;
      for (const ManifestFile& mf : entries) out.push_back(rewritten.at(mf.manifest_path));
      manifest::ManifestListWriteOptions lo;
      lo.format_version = md.format_version;
      lo.snapshot_id = s.snapshot_id;
      lo.parent_snapshot_id = s.parent_snapshot_id;
      lo.sequence_number = s.sequence_number;
      lo.first_row_id = s.first_row_id;
      FLOE_ASSIGN_OR_RAISE(auto written, manifest::WriteManifestList(out, lo));
      FLOE_ASSIGN_OR_RAISE(std::string target, Map(path));
      FLOE_RETURN_NOT_OK(Write(target, written.bytes));
      ++report_.manifest_lists;
    }
    // Statistics files are copied as they are (their blobs name no paths).
    std::set<std::string> statistics;
    for (const auto& [location, v] : versions) {
      for (const auto& f : v->statistics) statistics.insert(f.statistics_path);
      for (const auto& f : v->partition_statistics) statistics.insert(f.statistics_path);
    }
    for (const std::string& path : statistics) {
      FLOE_ASSIGN_OR_RAISE(std::string target, Map(path));
      if (!o_.dry_run) FLOE_RETURN_NOT_OK(Copy(path, target).status());
    }
    // Metadata versions last, so a copy that stops half way has no
    // metadata file naming missing files.
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
      FLOE_ASSIGN_OR_RAISE(spec::TableMetadata v, RewriteMetadata(*it->second));
      FLOE_ASSIGN_OR_RAISE(std::string target, Map(it->first));
      FLOE_RETURN_NOT_OK(Write(target, spec::TableMetadataToJson(v, /*pretty=*/true)));
      ++report_.metadata_files;
      if (it->first == source_.metadata_location) report_.metadata_location = target;
    }
    // Data files last of all.
    if (o_.copy_data && !o_.dry_run) {
      FLOE_RETURN_NOT_OK(util::ParallelFor(report_.copy_plan.size(), threads, [&](size_t i) -> Status {
        FLOE_ASSIGN_OR_RAISE(int64_t n, Copy(report_.copy_plan[i].first, report_.copy_plan[i].second));
        std::lock_guard<std::mutex> lock(mu);
        ++report_.files_copied;
        report_.bytes_copied += n;
        if (o_.progress) o_.progress("data file " + std::to_string(report_.files_copied) + "/" + std::to_string(report_.copy_plan.size()));
        return Status::OK();
      }));
    }
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }

 private:
  Status Write(const std::string& location, std::string_view bytes) {
    if (o_.dry_run) return Status::OK();
    Status st = out_->WriteNewFile(location, bytes);
    if (st.IsAlreadyExists()) {
      return Status::AlreadyExists(location, " already exists; rewrite into an empty target location");
    }
    return st;
  }

  // Streams `from` to `to` in 8 MiB pieces; returns the bytes copied.
  Result<int64_t> Copy(const std::string& from, const std::string& to) {
    if (*out_->Exists(to)) return Status::AlreadyExists(to, " already exists; copy into an empty target location");
    FLOE_ASSIGN_OR_RAISE(auto input, in_->OpenInput(from));
    FLOE_ASSIGN_OR_RAISE(auto output, out_->OpenOutput(to));
    auto size = input->GetSize();
    if (!size.ok()) return Status::IOError(from, ": ", size.status().message());
    constexpr int64_t kChunk = 8 << 20;
    for (int64_t offset = 0; offset < *size; offset += kChunk) {
      auto buffer = input->ReadAt(offset, std::min(kChunk, *size - offset));
      if (!buffer.ok()) return Status::IOError(from, ": ", buffer.status().message());
      auto st = output->Write(*buffer);
      if (!st.ok()) return Status::IOError(to, ": ", st.message());
    }
    auto st = output->Close();
    if (!st.ok()) return Status::IOError(to, ": ", st.message());
    return *size;
  }

  Result<spec::TableMetadata> RewriteMetadata(const spec::TableMetadata& v) {
    spec::TableMetadata out = v;
    FLOE_ASSIGN_OR_RAISE(out.location, Map(v.location));
    for (auto& e : out.metadata_log) {
      FLOE_ASSIGN_OR_RAISE(e.metadata_file, Map(e.metadata_file));
    }
    for (auto& s : out.snapshots) {
      if (!s.manifest_list.empty()) {
        FLOE_ASSIGN_OR_RAISE(s.manifest_list, Map(s.manifest_list));
      }
      for (auto& m : s.manifests) {
        FLOE_ASSIGN_OR_RAISE(m, Map(m));
      }
    }
    for (auto& f : out.statistics) {
      FLOE_ASSIGN_OR_RAISE(f.statistics_path, Map(f.statistics_path));
    }
    for (auto& f : out.partition_statistics) {
      FLOE_ASSIGN_OR_RAISE(f.statistics_path, Map(f.statistics_path));
    }
    for (const char* key : {"write.data.path", "write.metadata.path", "write.object-storage.path",
                            "write.folder-storage.path"}) {
      auto it = out.properties.find(key);
      if (it != out.properties.end() && it->second.rfind(o_.from, 0) == 0) {
        FLOE_ASSIGN_OR_RAISE(it->second, Map(it->second));
      }
    }
    return out;
  }

  Result<ManifestFile> RewriteManifest(const spec::TableMetadata& md, const ManifestFile& mf) {
    FLOE_ASSIGN_OR_RAISE(std::string bytes, in_->ReadFile(mf.manifest_path));
    const spec::PartitionSpec* spec = md.SpecById(mf.partition_spec_id);
    if (!spec) return Status::Invalid("manifest ", mf.manifest_path, " uses unknown spec ", mf.partition_spec_id);
    FLOE_ASSIGN_OR_RAISE(auto m, manifest::ReadManifest(mf.manifest_path, bytes, {spec, md.CurrentSchema(), &mf}));
    manifest::ManifestWriteOptions wo;
    wo.format_version = md.format_version;
    wo.spec = *spec;
    wo.schema = *md.CurrentSchema();
    wo.content = mf.content;
    wo.snapshot_id = mf.added_snapshot_id.value_or(0);
    FLOE_ASSIGN_OR_RAISE(auto writer, manifest::ManifestWriter::Make(wo));
    for (ManifestEntry e : m.entries) {
      DataFile& f = e.data_file;
      const std::string old_path = f.file_path;
      FLOE_ASSIGN_OR_RAISE(f.file_path, Map(old_path));
      if (f.referenced_data_file) {
        FLOE_ASSIGN_OR_RAISE(*f.referenced_data_file, Map(*f.referenced_data_file));
      }
      if (md.format_version == 1) {
        e.sequence_number.reset();
        e.file_sequence_number.reset();
      }
      if (f.content == FileContent::kPositionDeletes && f.file_format == FileFormat::kPuffin) {
        FLOE_RETURN_NOT_OK(RewritePuffin(old_path, f));
      } else if (f.content == FileContent::kPositionDeletes) {
        FLOE_RETURN_NOT_OK(RewritePositionDeletes(old_path, md, &f));
      } else {
        std::lock_guard<std::mutex> lock(mu_);
        if (copied_.insert(old_path).second) report_.copy_plan.emplace_back(old_path, f.file_path);
      }
      FLOE_RETURN_NOT_OK(writer.Add(e));
    }
    FLOE_ASSIGN_OR_RAISE(std::string target, Map(mf.manifest_path));
    FLOE_ASSIGN_OR_RAISE(auto written, writer.Finish(target));
    FLOE_RETURN_NOT_OK(Write(target, written.bytes));
    ManifestFile out = mf;  // counts, sequence numbers, row ids and summaries stay
    out.manifest_path = target;
    out.manifest_length = static_cast<int64_t>(written.bytes.size());
    return out;
  }

  // A position delete file's file_path column names data files: rewritten
  // into a new file at the new path (once, whatever manifests share it).
  Status RewritePositionDeletes(const std::string& old_path, const spec::TableMetadata& md, DataFile* f) {
    std::unique_lock<std::mutex> lock(mu_);
    if (auto it = rewritten_deletes_.find(old_path); it != rewritten_deletes_.end()) {
      f->file_size_in_bytes = it->second.file_size_in_bytes;
      f->lower_bounds = it->second.lower_bounds;
      f->upper_bounds = it->second.upper_bounds;
      f->column_sizes = it->second.column_sizes;
      return Status::OK();
    }
    lock.unlock();
    FLOE_ASSIGN_OR_RAISE(auto table, data::ReadParquetTable(in_, old_path, data::PositionDeleteSchema()));
    std::map<std::string, std::vector<int64_t>> by_file;
    arrow::TableBatchReader reader(*table);
    std::shared_ptr<arrow::RecordBatch> batch;
    while (reader.ReadNext(&batch).ok() && batch) {
      const auto& paths = static_cast<const arrow::StringArray&>(*batch->column(0));
      const auto& pos = static_cast<const arrow::Int64Array&>(*batch->column(1));
      for (int64_t i = 0; i < batch->num_rows(); ++i) {
        FLOE_ASSIGN_OR_RAISE(std::string p, Map(std::string(paths.GetView(i))));
        by_file[p].push_back(pos.Value(i));
      }
    }
    std::vector<data::FilePositions> files;
    for (auto& [p, list] : by_file) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      files.push_back({p, std::move(list)});
    }
    DataFile written;
    if (o_.dry_run) {
      written = *f;
    } else {
      FLOE_ASSIGN_OR_RAISE(written, data::WritePositionDeleteFile(out_, f->file_path, md.properties, std::move(files)));
    }
    lock.lock();
    rewritten_deletes_[old_path] = written;
    ++report_.delete_files_rewritten;
    f->file_size_in_bytes = written.file_size_in_bytes;
    f->lower_bounds = written.lower_bounds;
    f->upper_bounds = written.upper_bounds;
    f->column_sizes = written.column_sizes;
    return Status::OK();
  }

  // A Puffin file's blobs name their data files in the footer: rewritten
  // with the same blobs in the same order (offsets may move).
  Status RewritePuffin(const std::string& old_path, DataFile& f) {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = puffins_.find(old_path);
    if (it == puffins_.end()) {
      lock.unlock();
      FLOE_ASSIGN_OR_RAISE(std::string bytes, in_->ReadFile(old_path));
      FLOE_ASSIGN_OR_RAISE(auto footer, puffin::ReadFooter(bytes, old_path));
      puffin::Writer w;
      Puffin p;
      for (puffin::BlobMetadata b : footer.blobs) {
        const int64_t old_offset = b.offset;
        std::string_view blob(bytes.data() + b.offset, static_cast<size_t>(b.length));
        auto ref = b.properties.find("referenced-data-file");
        if (ref != b.properties.end()) {
          FLOE_ASSIGN_OR_RAISE(ref->second, Map(ref->second));
        }
        FLOE_RETURN_NOT_OK(w.Add(blob, b));
        p.offsets[old_offset] = {w.blobs().back().offset, w.blobs().back().length};
      }
      std::string created_by = "floe rewrite-table-path";
      if (auto c = footer.properties.find("created-by"); c != footer.properties.end()) created_by = c->second;
      const std::string out = w.Finish(created_by);
      p.size = static_cast<int64_t>(out.size());
      FLOE_ASSIGN_OR_RAISE(std::string target, Map(old_path));
      FLOE_RETURN_NOT_OK(Write(target, out));
      lock.lock();
      it = puffins_.emplace(old_path, std::move(p)).first;
      ++report_.delete_files_rewritten;
    }
    const auto found = it->second.offsets.find(f.content_offset.value_or(-1));
    if (found == it->second.offsets.end()) {
      return Status::Corruption("deletion vector at offset ", f.content_offset.value_or(-1), " of ", old_path,
                                " is not a blob of its footer");
    }
    f.content_offset = found->second.first;
    f.content_size_in_bytes = found->second.second;
    f.file_size_in_bytes = it->second.size;
    return Status::OK();
  }

  struct Puffin {
    std::map<int64_t, std::pair<int64_t, int64_t>> offsets;  // old offset -> new offset, length
    int64_t size = 0;
  };

  const catalog::LoadedTable& source_;
  std::shared_ptr<io::FileIO> in_, out_;
  const TablePathRewriteOptions& o_;
  std::mutex mu_;
  TablePathRewriteReport report_;
  std::set<std::string> copied_;
  std::map<std::string, DataFile> rewritten_deletes_;
  std::map<std::string, Puffin> puffins_;
};

}  // namespace

Result<TablePathRewriteReport> RewriteTablePath(const catalog::LoadedTable& source,
                                                std::shared_ptr<io::FileIO> source_io,
                                                std::shared_ptr<io::FileIO> target_io,
                                                const TablePathRewriteOptions& options) {
  if (options.from.empty() || options.to.empty()) {
    return Status::Invalid("--from and --to are both needed (the prefix to replace and its replacement)");
  }
  Rewriter r(source, std::move(source_io), std::move(target_io), options);
  return r.Run();
}

}  // namespace floe::maintenance
