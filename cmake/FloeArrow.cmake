# Arrow C++ and Parquet.
#
# A system install (find_package) wins. Otherwise the headers and shared
# libraries bundled in the pyarrow wheel of the project's .venv are used: the
# wheel is a manylinux_2_28 build (GCC 14, new C++11 string ABI), which is
# ABI-compatible with Debian 12's GCC 12 and libstdc++, so no special flags are
# needed. The wheel's library folder goes into the RPATH so build/floe runs
# without LD_LIBRARY_PATH.

find_package(Arrow CONFIG QUIET)
find_package(Parquet CONFIG QUIET)

if(Arrow_FOUND AND Parquet_FOUND)
  message(STATUS "Arrow: system install ${Arrow_VERSION}")
  add_library(Floe::arrow INTERFACE IMPORTED)
  target_link_libraries(Floe::arrow INTERFACE Arrow::arrow_shared)
  add_library(Floe::parquet INTERFACE IMPORTED)
  target_link_libraries(Floe::parquet INTERFACE Parquet::parquet_shared)
  add_library(Floe::arrow_compute INTERFACE IMPORTED)
  if(TARGET ArrowCompute::arrow_compute_shared)
    target_link_libraries(Floe::arrow_compute INTERFACE ArrowCompute::arrow_compute_shared)
  endif()
  add_library(Floe::arrow_s3 INTERFACE IMPORTED)
  set(FLOE_ARROW_SOURCE "system")
  return()
endif()

set(FLOE_VENV_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
    "Python whose pyarrow wheel provides Arrow C++ when no system Arrow is found")
if(NOT EXISTS "${FLOE_VENV_PYTHON}")
  message(FATAL_ERROR "Arrow C++ not found: no system install and no ${FLOE_VENV_PYTHON}. "
                      "Run scripts/setup.sh first (it creates .venv with pyarrow).")
endif()
execute_process(
  COMMAND "${FLOE_VENV_PYTHON}" -c
    "import pyarrow as pa; print(pa.get_include()); print(pa.get_library_dirs()[0]); print(pa.__version__); print(pa.cpp_build_info.so_version); print(pa.cpp_build_info.compiler_id, pa.cpp_build_info.compiler_version, pa.cpp_build_info.package_kind)"
  OUTPUT_VARIABLE _pa_out RESULT_VARIABLE _pa_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _pa_rc EQUAL 0)
  message(FATAL_ERROR "Could not import pyarrow with ${FLOE_VENV_PYTHON}; run scripts/setup.sh")
endif()
string(REPLACE "\n" ";" _pa_lines "${_pa_out}")
list(GET _pa_lines 0 FLOE_ARROW_INCLUDE_DIR)
list(GET _pa_lines 1 FLOE_ARROW_LIB_DIR)
list(GET _pa_lines 2 FLOE_ARROW_VERSION)
list(GET _pa_lines 3 _pa_so)
list(GET _pa_lines 4 _pa_compiler)
message(STATUS "Arrow: pyarrow wheel ${FLOE_ARROW_VERSION} (${_pa_compiler}) in ${FLOE_ARROW_LIB_DIR}")

function(floe_wheel_lib target name)
  set(_path "${FLOE_ARROW_LIB_DIR}/lib${name}.so.${_pa_so}")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "pyarrow wheel lacks ${_path}")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${_path}"
                        INTERFACE_INCLUDE_DIRECTORIES "${FLOE_ARROW_INCLUDE_DIR}")
endfunction()
floe_wheel_lib(Floe::arrow arrow)
floe_wheel_lib(Floe::parquet parquet)
floe_wheel_lib(Floe::arrow_compute arrow_compute)
floe_wheel_lib(Floe::arrow_s3 arrow_s3)
# Arrow headers are third-party: do not warn about them.
set_target_properties(Floe::arrow PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${FLOE_ARROW_INCLUDE_DIR}")
set(CMAKE_BUILD_RPATH "${FLOE_ARROW_LIB_DIR}")
set(CMAKE_INSTALL_RPATH "${FLOE_ARROW_LIB_DIR}")
set(FLOE_ARROW_SOURCE "pyarrow-wheel")
