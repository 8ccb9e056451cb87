// Random identifiers: UUIDs for tables and file names, snapshot ids.
#pragma once

#include <cstdint>
#include <string>

namespace floe::util {

// A random version-4 UUID in its 8-4-4-4-12 lower-case form. Thread-safe.
std::string RandomUuid();

// A random positive 63-bit snapshot id, made as Java does (App. F): the two
// halves of a random UUID XORed, sign bit cleared; never 0.
int64_t RandomSnapshotId();

// Milliseconds since the epoch (the clock of metadata timestamps).
int64_t NowMillis();

}  // namespace floe::util
