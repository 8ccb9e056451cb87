// ManifestCache: decoded manifests kept by path, bounded in bytes, shared by
// every scan of a process that hands it to them (ScanOptions::manifest_cache)
// — a long-running `floe serve` or the Python package, where the same
// manifests are planned again and again. One-shot CLI commands do not use
// one: a process that plans once would only pay for the copies.
//
// Manifests are immutable once committed, so a path names one content;
// entries are keyed by path, partition spec id and schema id (the partition
// tuple's types come from both) and the list entry's inherited values.
// Sizes are estimated from the decoded entries (EstimateBytes). Least
// recently used entries go first.
//
// Thread-safe: scans on many threads may share one. Two threads missing the
// same manifest at once both read it (the second insert is dropped).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "floe/io/file_io.h"
#include "floe/manifest/manifest_reader.h"

namespace floe::table {

class ManifestCache {
 public:
  // Bytes a decoded manifest holds, roughly (structs, paths, bounds).
  static int64_t EstimateBytes(const manifest::Manifest& m);

  explicit ManifestCache(int64_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The manifest `mf` names, decoded with `options` (spec, schema, and `mf`
  // for inheritance), from the cache or read through `io` and kept. Errors
  // are the reader's and are not kept.
  Result<std::shared_ptr<const manifest::Manifest>> Get(io::FileIO& io,
                                                        const manifest::ManifestFile& mf,
                                                        const manifest::ManifestReadOptions& options);

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t bytes = 0;    // estimated, of the kept manifests
    int64_t entries = 0;  // manifests kept
  };
  Stats stats() const;

 private:
  struct Slot {
    std::shared_ptr<const manifest::Manifest> manifest;
    int64_t bytes = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  const int64_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> slots_;
  std::list<std::string> lru_;  // most recent first
  Stats stats_;
};

}  // namespace floe::table
