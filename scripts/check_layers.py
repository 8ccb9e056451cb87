#!/usr/bin/env python3
"""Checks that Floe's layers include only what they declare.

Each folder of src/floe/ is a layer: a static library whose CMakeLists.txt
names the layers it depends on (floe_library(NAME ... DEPS floe_x ...)). A
source file of layer L may include headers of L, of the layers L depends on
(transitively), and the root headers (floe/status.h, floe/result.h). Unit
tests beside the code (*_test.cc, *_test_util.h) may also use the layers
their test target links. Cycles between layers are errors too. Every layer
must appear in docs/ARCHITECTURE.md, which draws them.

External libraries the same way, in both directions: a layer's sources
(tests aside) include a library's headers only if its CMakeLists.txt links
that library itself (not through another layer), and it links only the
libraries its sources include; docs/ARCHITECTURE.md lists them per layer.

Run by ctest (floe_layers) in every build with tests; exits 1 listing each
violation as file:line: what it includes and what it may include."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "floe"
ROOT_HEADERS = {"status.h", "result.h"}

# Header prefix -> library, first match wins; and the CMake targets that
# link each library. Threads::Threads is the C++ runtime's: not checked.
EXTERNAL_HEADERS = [
    ("arrow/compute/", "arrow_compute"), ("arrow/filesystem/s3", "arrow_s3"), ("arrow/", "arrow"),
    ("parquet/", "parquet"), ("curl/", "curl"), ("sqlite3.h", "sqlite3"), ("libpq-fe.h", "libpq"),
    ("zlib.h", "zlib"), ("zstd.h", "zstd"), ("snappy", "snappy"), ("roaring/", "roaring"),
    ("nlohmann/", "nlohmann_json"), ("fmt/", "fmt"), ("prometheus/", "prometheus"),
    ("httplib.h", "httplib"), ("openssl/", "openssl"),
]
EXTERNAL_TARGETS = {
    "Floe::arrow": "arrow", "Floe::arrow_compute": "arrow_compute", "Floe::arrow_s3": "arrow_s3",
    "Floe::parquet": "parquet", "CURL::libcurl": "curl", "SQLite::SQLite3": "sqlite3",
    "PostgreSQL::PostgreSQL": "libpq", "ZLIB::ZLIB": "zlib", "PkgConfig::ZSTD": "zstd",
    "PkgConfig::SNAPPY": "snappy", "floe_roaring": "roaring",
    "nlohmann_json::nlohmann_json": "nlohmann_json", "fmt::fmt": "fmt",
    "prometheus-cpp::core": "prometheus", "PkgConfig::HTTPLIB": "httplib",
    "OpenSSL::Crypto": "openssl", "OpenSSL::SSL": "openssl", "Threads::Threads": None,
}


def floe_libraries():
    """{layer: (its CMakeLists.txt, the DEPS of its floe_library(...))}."""
    out = {}
    for cmake in sorted(SRC.glob("*/CMakeLists.txt")):
        for m in re.finditer(r"floe_library\(\s*(\w+)(.*?)\)", cmake.read_text(), re.S):
            name, body = m.group(1), m.group(2)
            out[name] = (cmake, (body.split("DEPS", 1)[1] if "DEPS" in body else "").split())
    return out


def declared_deps(libraries):
    deps = {name: {d[len("floe_"):] for d in names if d.startswith("floe_")}
            for name, (_, names) in libraries.items()}
    for name in deps:  # floe_roaring and the like are libraries, not layers
        deps[name] &= set(deps)
    return deps


def declared_externals(libraries, problems):
    """External libraries each layer links itself (floe_library DEPS)."""
    out = {}
    for name, (cmake, names) in libraries.items():
        libs = set()
        for d in names:
            if d.startswith("floe_") and d != "floe_roaring":
                continue
            if d not in EXTERNAL_TARGETS:
                problems.append(f"{cmake.relative_to(ROOT)}: {name} links {d}, which "
                                f"scripts/check_layers.py does not know: add it to "
                                f"EXTERNAL_TARGETS with the headers it provides")
            elif EXTERNAL_TARGETS[d]:
                libs.add(EXTERNAL_TARGETS[d])
        out[name] = libs
    return out


def external_of(header):
    for prefix, lib in EXTERNAL_HEADERS:
        if header.startswith(prefix):
            return lib
    return None


def test_deps():
    """Layers each test binary of a folder links (floe_test(... DEPS ...))."""
    out = {}
    for cmake in sorted(SRC.glob("*/CMakeLists.txt")):
        text = cmake.read_text()
        layer = cmake.parent.name
        for m in re.finditer(r"floe_test\(\s*\w+(.*?)\)", text, re.S):
            after = m.group(1).split("DEPS", 1)[1] if "DEPS" in m.group(1) else ""
            out.setdefault(layer, set()).update(
                d[len("floe_"):] for d in after.split() if d.startswith("floe_"))
    return out


def closure(deps):
    full = {}

    def visit(layer, stack):
        if layer in full:
            return full[layer]
        if layer in stack:
            raise SystemExit(f"layer cycle: {' -> '.join(stack + [layer])}")
        reach = set()
        for d in deps.get(layer, ()):
            reach |= {d} | visit(d, stack + [layer])
        full[layer] = reach
        return reach

    for layer in deps:
        visit(layer, [])
    return full


def main():
    libraries = floe_libraries()
    deps = declared_deps(libraries)
    allowed = closure(deps)
    tests = test_deps()
    problems = []
    linked = declared_externals(libraries, problems)
    used = {layer: set() for layer in deps}
    for layer in sorted(deps):
        folder = SRC / layer
        for path in sorted(folder.glob("*.[ch]*")):
            is_test = path.stem.endswith("_test") or path.stem.endswith("_test_util")
            ok = {layer} | allowed[layer]
            if is_test:
                for t in tests.get(layer, ()):
                    ok |= {t} | allowed.get(t, set())
            for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                ext = re.match(r"\s*#\s*include\s+<([^>]+)>", line)
                lib = external_of(ext.group(1)) if ext and not is_test else None
                if lib:
                    used[layer].add(lib)
                    if lib not in linked.get(layer, set()):
                        problems.append(
                            f"{path.relative_to(ROOT)}:{n}: layer {layer} includes <{ext.group(1)}> "
                            f"({lib}) but does not link it: add its target to floe_library({layer} "
                            f"... DEPS) in src/floe/{layer}/CMakeLists.txt, or keep {lib} in the "
                            f"layer that links it")
                m = re.match(r'\s*#\s*include\s+"floe/([^"]+)"', line)
                if not m:
                    continue
                target = m.group(1)
                if "/" not in target:
                    if target not in ROOT_HEADERS:
                        problems.append(f"{path.relative_to(ROOT)}:{n}: includes floe/{target}, "
                                        f"which is no root header")
                    continue
                other = target.split("/", 1)[0]
                if other not in ok:
                    problems.append(
                        f"{path.relative_to(ROOT)}:{n}: layer {layer} includes floe/{target} "
                        f"but may only include {', '.join(sorted(ok))} (declare the dependency "
                        f"in src/floe/{layer}/CMakeLists.txt if it is right, and draw it in "
                        f"docs/ARCHITECTURE.md)")
    for layer in sorted(deps):
        for lib in sorted(linked.get(layer, set()) - used[layer]):
            problems.append(f"src/floe/{layer}/CMakeLists.txt: {layer} links {lib} but none of "
                            f"its sources includes it: drop it from DEPS")
    # The drawing: "  layer/  -> dep dep ..." lines must say what CMake says.
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    drawn = {}
    for line in doc.splitlines():
        m = re.match(r"^\s{2}(\w+)/\s*(?:->\s*((?:\w+\s?)+?))?(?:\s{2,}.*)?$", line)
        if m and m.group(1) in deps and "links:" not in line:
            drawn[m.group(1)] = set((m.group(2) or "").split())
    for layer in sorted(deps):
        declared = deps[layer] & set(deps)
        if layer not in drawn:
            problems.append(f"docs/ARCHITECTURE.md: the layer drawing has no line for {layer}/")
        elif drawn[layer] != declared:
            problems.append(f"docs/ARCHITECTURE.md draws {layer}/ -> {' '.join(sorted(drawn[layer]))}"
                            f", but CMake declares {' '.join(sorted(declared)) or 'nothing'}")
    # The library list: "  layer/  links: lib lib ..." lines.
    listed = {}
    for line in doc.splitlines():
        m = re.match(r"^\s{2}(\w+)/\s+links:\s*(.*?)\s*$", line)
        if m and m.group(1) in deps:
            listed[m.group(1)] = set(m.group(2).split())
    for layer in sorted(deps):
        if listed.get(layer, set()) != linked.get(layer, set()):
            problems.append(f"docs/ARCHITECTURE.md lists {layer}/ links: "
                            f"{' '.join(sorted(listed.get(layer, set()))) or '(no line)'}, but "
                            f"CMake links {' '.join(sorted(linked.get(layer, set()))) or 'nothing'}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"layers ok: {len(deps)} layers, includes follow the declared dependencies and "
          f"external libraries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
