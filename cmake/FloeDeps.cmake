# Debian -dev packages. C libraries and header-only C++ libraries are preferred
# so that no C++ ABI has to agree with the Arrow build.
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(SNAPPY REQUIRED IMPORTED_TARGET snappy)
# CRoaring ships no pkg-config file in Debian 12.
find_path(ROARING_INCLUDE_DIR roaring/roaring.h REQUIRED)
find_library(ROARING_LIBRARY roaring REQUIRED)
add_library(floe_roaring INTERFACE)
target_include_directories(floe_roaring INTERFACE ${ROARING_INCLUDE_DIR})
target_link_libraries(floe_roaring INTERFACE ${ROARING_LIBRARY})

add_library(floe_deps INTERFACE)
target_link_libraries(floe_deps INTERFACE
  ZLIB::ZLIB PkgConfig::ZSTD PkgConfig::SNAPPY floe_roaring
  SQLite::SQLite3 PostgreSQL::PostgreSQL CURL::libcurl
  nlohmann_json::nlohmann_json fmt::fmt Threads::Threads)
add_library(Floe::deps ALIAS floe_deps)
