#include "floe/catalog/table_identifier.h"

#include "floe/util/strings.h"

namespace floe::catalog {

Result<Namespace> ParseNamespace(std::string_view text) {
  Namespace ns;
  for (std::string_view part : util::Split(text, '.')) {
    if (part.empty()) {
      return Status::Invalid("namespace ", util::Quote(text),
                             " has an empty level; write levels like 'analytics' or 'prod.analytics'");
    }
    ns.emplace_back(part);
  }
  return ns;
}

std::string TableIdentifier::ToString() const {
  return ns.empty() ? name : NamespaceToString(ns) + "." + name;
}

Result<TableIdentifier> TableIdentifier::Parse(std::string_view text) {
  size_t dot = text.rfind('.');
  if (dot == std::string_view::npos) {
    return Status::Invalid("table name ", util::Quote(text),
                           " has no namespace; write it as NAMESPACE.TABLE, e.g. analytics.events");
  }
  TableIdentifier id;
  FLOE_ASSIGN_OR_RAISE(id.ns, ParseNamespace(text.substr(0, dot)));
  id.name = std::string(text.substr(dot + 1));
  if (id.name.empty()) {
    return Status::Invalid("table name ", util::Quote(text), " ends with '.'");
  }
  return id;
}

}  // namespace floe::catalog
