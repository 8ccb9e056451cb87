# floe_test(NAME SOURCES...): a GoogleTest binary registered with ctest.
# One binary per concern keeps link time down on small machines.
if(FLOE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

function(floe_test name)
  if(NOT FLOE_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE floe floe_test_support GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "FLOE_SOURCE_DIR=${PROJECT_SOURCE_DIR};FLOE_PEER_TABLES=${PROJECT_SOURCE_DIR}/../shared/testdata/peer-tables"
    TIMEOUT 600)
endfunction()
