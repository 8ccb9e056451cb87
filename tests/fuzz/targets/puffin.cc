// Fuzzes the Puffin footer reader and the deletion-vector decoder: any input
// must parse or give an error, never crash. Every blob the footer names is
// decoded as a deletion vector, and a decoded vector must re-encode to bytes
// that decode to the same positions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "floe/puffin/deletion_vector.h"
#include "floe/puffin/puffin_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto check = [](std::string_view blob) {
    auto dv = floe::puffin::DeletionVector::Deserialize(blob, "fuzz");
    if (!dv.ok() || dv->Cardinality() > 1000000) return;
    auto again = floe::puffin::DeletionVector::Deserialize(dv->Serialize(), "fuzz");
    if (!again.ok() || again->Positions() != dv->Positions()) std::abort();
  };
  check(bytes);
  auto footer = floe::puffin::ReadFooter(bytes, "fuzz");
  if (!footer.ok()) return 0;
  for (const auto& b : footer->blobs) {
    check(bytes.substr(static_cast<size_t>(b.offset), static_cast<size_t>(b.length)));
  }
  return 0;
}
