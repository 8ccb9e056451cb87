// Namespaces and table names as the catalogs use them.
//
// A namespace is a list of levels, e.g. {"analytics", "raw"}. The SQL catalog
// stores it as the levels joined by '.' ("analytics.raw"), as Java's
// JdbcCatalog and PyIceberg's SqlCatalog do, so a level may not itself hold a
// '.' (it would read back as two levels) and may not be empty.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "floe/status.h"

namespace floe::catalog {

using Namespace = std::vector<std::string>;

// Namespace or table properties, ordered by key.
using Properties = std::map<std::string, std::string>;

// "analytics.raw"; "" for the empty (root) namespace.
std::string NamespaceToString(const Namespace& ns);

// Splits a dotted string into levels: "analytics.raw" -> {"analytics", "raw"};
// "" -> {} (the root). Does not validate; see ValidateNamespace.
Namespace NamespaceFromString(std::string_view dotted);

// "analytics.raw.events", for messages.
std::string TableToString(const Namespace& ns, std::string_view name);

// Invalid unless `ns` has at least one level and every level is non-empty and
// free of '.'.
Status ValidateNamespace(const Namespace& ns);

}  // namespace floe::catalog
