#include "floe/table/manifest_cache.h"

namespace floe::table {

int64_t ManifestCache::EstimateBytes(const manifest::Manifest& m) {
  // The structs plus what their strings and vectors hold; compressed
  // manifests decode to many times their file size, so the file length is
  // no guide.
  int64_t bytes = static_cast<int64_t>(sizeof(manifest::Manifest));
  for (const manifest::ManifestEntry& e : m.entries) {
    const manifest::DataFile& f = e.data_file;
    bytes += static_cast<int64_t>(sizeof(manifest::ManifestEntry)) +
             static_cast<int64_t>(f.file_path.capacity()) +
             static_cast<int64_t>(f.partition.size() * sizeof(spec::Literal));
    for (const auto* bounds : {&f.lower_bounds, &f.upper_bounds}) {
      if (!*bounds) continue;
      for (const auto& [id, v] : **bounds) bytes += static_cast<int64_t>(sizeof(id) + sizeof(v) + v.capacity());
    }
    for (const auto* counts : {&f.column_sizes, &f.value_counts, &f.null_value_counts,
                               &f.nan_value_counts}) {
      if (*counts) bytes += static_cast<int64_t>((*counts)->size() * 16);
    }
  }
  return bytes;
}

Result<std::shared_ptr<const manifest::Manifest>> ManifestCache::Get(
    io::FileIO& io, const manifest::ManifestFile& mf, const manifest::ManifestReadOptions& options) {
  // Everything decoding takes from outside the file: the spec and schema
  // (partition types) and the list entry's inherited values (sequence
  // number, snapshot id, first row id — a v2 manifest carried into a v3
  // snapshot gains a first row id).
  auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; };
  const std::string key = mf.manifest_path + '\n' + std::to_string(mf.partition_spec_id) + '/' +
                          (options.schema ? std::to_string(options.schema->schema_id()) : "-") +
                          '/' + std::to_string(mf.sequence_number) + '/' +
                          opt(mf.added_snapshot_id) + '/' + opt(mf.first_row_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = slots_.find(key); it != slots_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      ++stats_.hits;
      return it->second.manifest;
    }
    ++stats_.misses;
  }
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io.ReadFile(mf.manifest_path));
  FLOE_ASSIGN_OR_RAISE(manifest::Manifest m, manifest::ReadManifest(mf.manifest_path, bytes, options));
  auto shared = std::make_shared<const manifest::Manifest>(std::move(m));
  const int64_t size = EstimateBytes(*shared);
  std::lock_guard<std::mutex> lock(mu_);
  if (size > capacity_ || slots_.count(key)) return shared;  // too big to keep, or kept meanwhile
  lru_.push_front(key);
  slots_.emplace(key, Slot{shared, size, lru_.begin()});
  stats_.bytes += size;
  while (stats_.bytes > capacity_ && !lru_.empty()) {
    auto victim = slots_.find(lru_.back());
    stats_.bytes -= victim->second.bytes;
    slots_.erase(victim);
    lru_.pop_back();
  }
  stats_.entries = static_cast<int64_t>(slots_.size());
  return shared;
}

ManifestCache::Stats ManifestCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.entries = static_cast<int64_t>(slots_.size());
  return s;
}

}  // namespace floe::table
