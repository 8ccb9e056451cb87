// Table identifiers: a namespace (one or more levels) and a table name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "floe/catalog/identifier.h"
#include "floe/result.h"

namespace floe::catalog {

// Splits a dotted namespace typed by a user; empty levels are an error.
Result<Namespace> ParseNamespace(std::string_view text);

struct TableIdentifier {
  Namespace ns;
  std::string name;

  // "analytics.events"
  std::string ToString() const;
  // The last '.'-separated part is the table, the rest the namespace:
  // "analytics.events", "a.b.t". A name without a namespace is an error.
  static Result<TableIdentifier> Parse(std::string_view text);
  bool operator==(const TableIdentifier&) const = default;
};

}  // namespace floe::catalog
