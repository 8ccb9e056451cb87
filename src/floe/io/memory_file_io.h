// An in-memory FileIO: objects live in a map owned by the instance, so
// fuzz targets, unit tests and benchmarks can write and read whole tables
// without touching a disk. Behaves like the local FileIO (exclusive
// creation, recursive listing by prefix, deleting a missing object is OK);
// an output stream's bytes appear when it is closed. Thread-safe.
#pragma once

#include <memory>

#include "floe/io/file_io.h"

namespace floe::io {

std::shared_ptr<FileIO> MakeMemoryFileIO();

}  // namespace floe::io
