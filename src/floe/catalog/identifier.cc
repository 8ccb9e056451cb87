#include "floe/catalog/identifier.h"

#include "floe/util/strings.h"

namespace floe::catalog {

std::string NamespaceToString(const Namespace& ns) { return util::Join(ns, "."); }

Namespace NamespaceFromString(std::string_view dotted) {
  Namespace ns;
  if (dotted.empty()) return ns;
  for (std::string_view level : util::Split(dotted, '.')) ns.emplace_back(level);
  return ns;
}

std::string TableToString(const Namespace& ns, std::string_view name) {
  std::string out = NamespaceToString(ns);
  if (!out.empty()) out += '.';
  out += name;
  return out;
}

Status ValidateNamespace(const Namespace& ns) {
  if (ns.empty()) return Status::Invalid("a namespace needs at least one level");
  for (const std::string& level : ns) {
    if (level.empty()) {
      return Status::Invalid("namespace ", util::Quote(NamespaceToString(ns)),
                             " has an empty level");
    }
    if (level.find('.') != std::string::npos) {
      // Stored joined by '.', such a level would read back as two levels.
      return Status::Invalid("namespace level ", util::Quote(level),
                             " contains '.', which the SQL catalog uses to join levels");
    }
  }
  return Status::OK();
}

}  // namespace floe::catalog
