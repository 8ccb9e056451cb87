#include <CLI/CLI.hpp>
#include <arrow/util/config.h>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"floe: Apache Iceberg tables from the command line"};
  bool version = false;
  app.add_flag("--version", version, "Print the version and exit");
  CLI11_PARSE(app, argc, argv);
  if (version) {
    std::cout << "floe " << FLOE_VERSION << " (Arrow " << ARROW_VERSION_STRING << ")\n";
    return 0;
  }
  std::cout << app.help();
  return 0;
}
