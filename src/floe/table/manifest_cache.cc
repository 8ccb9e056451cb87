#include "floe/table/manifest_cache.h"

namespace floe::table {

Result<std::shared_ptr<const manifest::Manifest>> ManifestCache::Get(
    io::FileIO& io, const manifest::ManifestFile& mf, const manifest::ManifestReadOptions& options) {
  const std::string key = mf.manifest_path + '\n' + std::to_string(mf.partition_spec_id) + '\n' +
                          (options.schema ? std::to_string(options.schema->schema_id()) : "-");
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
  const int64_t size = kBytesPerFileByte * static_cast<int64_t>(bytes.size());
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
