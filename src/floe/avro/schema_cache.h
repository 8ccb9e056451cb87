// ParseSchemaCached: Schema::Parse behind a small process-wide cache keyed
// by the schema's JSON text.
//
// Every manifest of a table carries the same Avro schema in its header, and
// parsing it cost ~60% of planning a table of 1,000 small manifests; a scan
// parses it once. Bounded: at most kSchemaCacheEntries schemas (oldest out
// first), each a few KiB. Errors are not cached.
//
// Thread-safe. The returned schema is immutable and shared; Node pointers
// into it stay valid as long as the caller holds it.
#pragma once

#include <memory>
#include <string_view>

#include "floe/avro/schema.h"
#include "floe/result.h"

namespace floe::avro {

inline constexpr size_t kSchemaCacheEntries = 64;

Result<std::shared_ptr<const Schema>> ParseSchemaCached(std::string_view json);

}  // namespace floe::avro
