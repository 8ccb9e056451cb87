// Fuzzes the manifest and manifest-list readers: any input must decode or
// give an error, never crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)floe::manifest::ReadManifest("fuzz.avro", bytes);
  (void)floe::manifest::ReadManifestList("fuzz.avro", bytes);
  return 0;
}
