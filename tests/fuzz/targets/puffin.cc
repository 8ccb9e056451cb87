// Fuzzes the Puffin footer reader and the deletion-vector decoder: any input
// must parse or give an error, never crash. Every blob the footer names is
// decoded as a deletion vector, and a decoded vector must re-encode to bytes
// that decode to the same positions.
#include <string_view>

#include "floe/puffin/deletion_vector.h"
#include "floe/puffin/puffin_file.h"
#include "fuzz_target.h"

FLOE_FUZZ_TARGET(puffin) {
  std::string_view bytes = input;
  auto check = [](std::string_view blob) {
    auto dv = floe::puffin::DeletionVector::Deserialize(blob, "fuzz");
    if (!dv.ok() || dv->Cardinality() > 1000000) return;
    auto again = floe::puffin::DeletionVector::Deserialize(dv->Serialize(), "fuzz");
    FLOE_FUZZ_CHECK(again.ok(), "a deletion vector does not decode after re-encoding: " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(again->Positions() == dv->Positions(),
                    "a deletion vector changed in a round trip");
  };
  check(bytes);
  auto footer = floe::puffin::ReadFooter(bytes, "fuzz");
  if (!footer.ok()) return;
  for (const auto& b : footer->blobs) {
    check(bytes.substr(static_cast<size_t>(b.offset), static_cast<size_t>(b.length)));
  }
}
