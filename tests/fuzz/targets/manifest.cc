// Fuzzes the manifest and manifest-list readers: any input must decode or
// give an error, never crash, hang or allocate without bound.
#include <string_view>

#include "fuzz_target.h"

#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"

FLOE_FUZZ_TARGET(manifest) {
  std::string_view bytes = input;
  (void)floe::manifest::ReadManifest("fuzz.avro", bytes);
  (void)floe::manifest::ReadManifestList("fuzz.avro", bytes);
}
