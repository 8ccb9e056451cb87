# floe_library(NAME SOURCES... [DEPS dep...]): the static library of one
# concern (src/floe/NAME), linked into libfloe. DEPS are other concerns or
# imported targets it uses.
function(floe_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  add_library(floe_${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  target_include_directories(floe_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(floe_${name} PUBLIC FLOE_VERSION="${PROJECT_VERSION}")
  target_link_libraries(floe_${name} PUBLIC ${ARG_DEPS} PRIVATE Floe::deps)
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
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} floe_test_support GTest::gtest GTest::gtest_main
                        Floe::deps)
  add_dependencies(floe_unit_tests ${name})
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "FLOE_SOURCE_DIR=${PROJECT_SOURCE_DIR};FLOE_PEER_TABLES=${PROJECT_SOURCE_DIR}/../shared/testdata/peer-tables"
    TIMEOUT 600)
endfunction()
