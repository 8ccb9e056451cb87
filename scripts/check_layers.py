#!/usr/bin/env python3
"""Checks that Floe's layers include only what they declare.

Each folder of src/floe/ is a layer: a static library whose CMakeLists.txt
names the layers it depends on (floe_library(NAME ... DEPS floe_x ...)). A
source file of layer L may include headers of L, of the layers L depends on
(transitively), and the root headers (floe/status.h, floe/result.h). Unit
tests beside the code (*_test.cc, *_test_util.h) may also use the layers
their test target links. Cycles between layers are errors too. Every layer
must appear in docs/ARCHITECTURE.md, which draws them.

Run by ctest (floe_layers) in every build with tests; exits 1 listing each
violation as file:line: what it includes and what it may include."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "floe"
ROOT_HEADERS = {"status.h", "result.h"}


def declared_deps():
    deps = {}
    for cmake in sorted(SRC.glob("*/CMakeLists.txt")):
        text = cmake.read_text()
        for m in re.finditer(r"floe_library\(\s*(\w+)(.*?)\)", text, re.S):
            name, body = m.group(1), m.group(2)
            after = body.split("DEPS", 1)[1] if "DEPS" in body else ""
            deps[name] = {d[len("floe_"):] for d in after.split() if d.startswith("floe_")}
    for name in deps:  # floe_roaring and the like are libraries, not layers
        deps[name] &= set(deps)
    return deps


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
    deps = declared_deps()
    allowed = closure(deps)
    tests = test_deps()
    problems = []
    for layer in sorted(deps):
        folder = SRC / layer
        for path in sorted(folder.glob("*.[ch]*")):
            is_test = path.stem.endswith("_test") or path.stem.endswith("_test_util")
            ok = {layer} | allowed[layer]
            if is_test:
                for t in tests.get(layer, ()):
                    ok |= {t} | allowed.get(t, set())
            for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
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
    # The drawing: "  layer/  -> dep dep ..." lines must say what CMake says.
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    drawn = {}
    for line in doc.splitlines():
        m = re.match(r"^\s{2}(\w+)/\s*(?:->\s*((?:\w+\s?)+?))?(?:\s{2,}.*)?$", line)
        if m and m.group(1) in deps:
            drawn[m.group(1)] = set((m.group(2) or "").split())
    for layer in sorted(deps):
        declared = deps[layer] & set(deps)
        if layer not in drawn:
            problems.append(f"docs/ARCHITECTURE.md: the layer drawing has no line for {layer}/")
        elif drawn[layer] != declared:
            problems.append(f"docs/ARCHITECTURE.md draws {layer}/ -> {' '.join(sorted(drawn[layer]))}"
                            f", but CMake declares {' '.join(sorted(declared)) or 'nothing'}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"layers ok: {len(deps)} layers, includes follow the declared dependencies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
