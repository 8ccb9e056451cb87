// Fuzzes the table metadata JSON parser: any input must give a value or an
// error, never a crash; a parsed value must survive a write/parse round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "floe/spec/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto md = floe::spec::TableMetadataFromJson(text);
  if (md.ok()) {
    auto again = floe::spec::TableMetadataFromJson(floe::spec::TableMetadataToJson(*md));
    if (!again.ok() || !(*again == *md)) std::abort();
  }
  (void)floe::spec::SchemaFromJson(text);
  (void)floe::spec::PartitionSpecFromJson(text, 0);
  return 0;
}
