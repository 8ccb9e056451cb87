// floe_sql_catalog: one SqlCatalog operation per run, for tests in other
// languages (tests/interop/test_sql_catalog_pyiceberg.py).
//
//   floe_sql_catalog URI CATALOG COMMAND [ARGS...]
//
// Namespaces are dotted ("a.b"). Commands and what they print:
//   schema-version                       v0 or v1
//   list-namespaces [PARENT]             one namespace per line
//   create-namespace NS [KEY=VALUE...]
//   namespace-properties NS              KEY=VALUE lines
//   drop-namespace NS
//   list-tables NS                       one name per line
//   load NS TABLE                        current location, then previous (or empty)
//   create NS TABLE LOCATION
//   register NS TABLE LOCATION
//   commit NS TABLE EXPECTED NEW
//   rename NS TABLE TO_NS TO_TABLE
//   drop NS TABLE                        the location the table pointed at
// Exit code 0 on success; 1 with "<Code>: <message>" on stderr on failure
// (e.g. "CommitConflict: ..."); 2 on bad usage.
#include <iostream>
#include <string>
#include <vector>

#include "floe/catalog/sql_catalog.h"

namespace {

using floe::Status;
using floe::catalog::Namespace;
using floe::catalog::NamespaceFromString;
using floe::catalog::NamespaceToString;
using floe::catalog::SqlCatalog;

int Usage() {
  std::cerr << "usage: floe_sql_catalog URI CATALOG COMMAND [ARGS...] (see the source)\n";
  return 2;
}

int Fail(const Status& st) {
  std::cerr << st.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Usage();
  std::vector<std::string> args(argv + 4, argv + argc);
  const std::string command = argv[3];
  auto need = [&](size_t n) { return args.size() == n; };
  auto opened = SqlCatalog::Open(argv[1], argv[2]);
  if (!opened.ok()) return Fail(opened.status());
  SqlCatalog& catalog = **opened;

  if (command == "schema-version" && need(0)) {
    std::cout << (catalog.schema_version() == floe::catalog::SqlSchemaVersion::kV1 ? "v1" : "v0")
              << "\n";
    return 0;
  }
  if (command == "list-namespaces" && args.size() <= 1) {
    auto namespaces = catalog.ListNamespaces(args.empty() ? Namespace{}
                                                          : NamespaceFromString(args[0]));
    if (!namespaces.ok()) return Fail(namespaces.status());
    for (const Namespace& ns : *namespaces) std::cout << NamespaceToString(ns) << "\n";
    return 0;
  }
  if (command == "create-namespace" && !args.empty()) {
    floe::catalog::Properties properties;
    for (size_t i = 1; i < args.size(); ++i) {
      size_t eq = args[i].find('=');
      if (eq == std::string::npos) return Usage();
      properties[args[i].substr(0, eq)] = args[i].substr(eq + 1);
    }
    Status st = catalog.CreateNamespace(NamespaceFromString(args[0]), properties);
    return st.ok() ? 0 : Fail(st);
  }
  if (command == "namespace-properties" && need(1)) {
    auto properties = catalog.LoadNamespaceProperties(NamespaceFromString(args[0]));
    if (!properties.ok()) return Fail(properties.status());
    for (const auto& [key, value] : *properties) std::cout << key << "=" << value << "\n";
    return 0;
  }
  if (command == "drop-namespace" && need(1)) {
    Status st = catalog.DropNamespace(NamespaceFromString(args[0]));
    return st.ok() ? 0 : Fail(st);
  }
  if (command == "list-tables" && need(1)) {
    auto tables = catalog.ListTables(NamespaceFromString(args[0]));
    if (!tables.ok()) return Fail(tables.status());
    for (const std::string& name : *tables) std::cout << name << "\n";
    return 0;
  }
  if (command == "load" && need(2)) {
    auto entry = catalog.LoadTable(NamespaceFromString(args[0]), args[1]);
    if (!entry.ok()) return Fail(entry.status());
    std::cout << entry->metadata_location << "\n"
              << entry->previous_metadata_location.value_or("") << "\n";
    return 0;
  }
  if ((command == "create" || command == "register") && need(3)) {
    Namespace ns = NamespaceFromString(args[0]);
    Status st = command == "create" ? catalog.CreateTable(ns, args[1], args[2])
                                    : catalog.RegisterTable(ns, args[1], args[2]);
    return st.ok() ? 0 : Fail(st);
  }
  if (command == "commit" && need(4)) {
    Status st = catalog.CommitTable(NamespaceFromString(args[0]), args[1], args[2], args[3]);
    return st.ok() ? 0 : Fail(st);
  }
  if (command == "rename" && need(4)) {
    Status st = catalog.RenameTable(NamespaceFromString(args[0]), args[1],
                                    NamespaceFromString(args[2]), args[3]);
    return st.ok() ? 0 : Fail(st);
  }
  if (command == "drop" && need(2)) {
    auto entry = catalog.DropTable(NamespaceFromString(args[0]), args[1]);
    if (!entry.ok()) return Fail(entry.status());
    std::cout << entry->metadata_location << "\n";
    return 0;
  }
  return Usage();
}
