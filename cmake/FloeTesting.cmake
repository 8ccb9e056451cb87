# floe_library(NAME SOURCES... [DEPS dep...]): the static library of one
# concern (src/floe/NAME), linked into libfloe. DEPS are other concerns or
# imported targets it uses.
function(floe_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  add_library(floe_${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  target_include_directories(floe_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(floe_${name} PUBLIC FLOE_VERSION="${PROJECT_VERSION}")
  # Each layer links exactly the external libraries it names (the layer
  # check holds the names to the includes); Floe::deps is for tests and tools.
  target_link_libraries(floe_${name} PUBLIC ${ARG_DEPS})
  target_link_libraries(floe INTERFACE floe_${name})
endfunction()

# floe_test(NAME SOURCES... [DEPS dep...]): a GoogleTest binary registered
# with ctest. One binary per concern keeps link time down on small machines.
if(FLOE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

# `floe_unit_tests` builds every unit test binary and nothing else (the
# sanitizer stage of scripts/test.sh uses it).
if(FLOE_BUILD_TESTS AND NOT TARGET floe_unit_tests)
  add_custom_target(floe_unit_tests)
endif()

function(floe_test name)
  if(NOT FLOE_BUILD_TESTS)
    return()
  endif()
  # SHARDS n: run the binary as n ctest entries (GoogleTest sharding), so
  # that a long binary does not leave the other cores idle.
  cmake_parse_arguments(ARG "" "SHARDS" "DEPS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} floe_test_support GTest::gtest GTest::gtest_main
                        Floe::deps)
  add_dependencies(floe_unit_tests ${name})
  set(env "FLOE_SOURCE_DIR=${PROJECT_SOURCE_DIR};FLOE_PEER_TABLES=${PROJECT_SOURCE_DIR}/../shared/testdata/peer-tables")
  if(NOT ARG_SHARDS)
    add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 600)
    return()
  endif()
  math(EXPR last "${ARG_SHARDS} - 1")
  foreach(i RANGE ${last})
    add_test(NAME ${name}_${i} COMMAND ${name} --gtest_brief=1)
    set_tests_properties(${name}_${i} PROPERTIES
      ENVIRONMENT "${env};GTEST_TOTAL_SHARDS=${ARG_SHARDS};GTEST_SHARD_INDEX=${i}" TIMEOUT 600)
  endforeach()
endfunction()
