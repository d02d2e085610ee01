#!/usr/bin/env python3
"""Checks every include and every CMake link against the module map in ARCHITECTURE.md.

    tools/check_layers.py [REPO_ROOT]

A module may include (and link) only itself and the modules in its "may use" column, and only
through their public headers (include/oracle/<module>/, feeds/); tests and benchmarks include
only public headers and their own helpers. Prints every violation as FILE:LINE: why, exits 1
if there is any.
"""
import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
LINK_RE = re.compile(r"target_link_libraries\s*\(([^)]*)\)", re.S)
TARGET_MODULE = {
    "oracle_feeds": "feeds",
    "oracle_feeds_live": "feeds",
    "oracle_capture_replay": "feeds",
}


def read_module_map(root):
    text = open(os.path.join(root, "ARCHITECTURE.md"), encoding="utf-8").read()
    start = text.index("<!-- module-map")
    end = text.index("<!-- end module-map -->")
    allowed = {}
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("module", "") or cells[0].startswith("-"):
            continue
        uses = [] if cells[2] == "-" else [u.strip() for u in cells[2].split(",")]
        allowed[cells[0]] = set(uses)
    for module, uses in allowed.items():
        for u in uses:
            if u not in allowed:
                sys.exit(f"ARCHITECTURE.md: module {module} may use unknown module {u}")
    return allowed


def module_dirs(root, module):
    if module == "feeds":
        return [os.path.join(root, "feeds")]
    if module == "proto":
        return []
    return [os.path.join(root, "src", module), os.path.join(root, "include", "oracle", module)]


def included_module(path):
    """The module a quoted include belongs to, or None for a module-local/third-party header."""
    parts = path.split("/")
    if parts[0] == "oracle" and len(parts) > 2:
        return "proto" if parts[1] == "v1" else parts[1]
    if parts[0] == "feeds":
        return "feeds"
    return None


def source_files(directory):
    for base, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d != "node_modules"]  # npm's packages of the Node tests
        for f in sorted(files):
            if f.endswith((".h", ".cc")):
                yield os.path.join(base, f)


def check_includes(root, module, uses, problems):
    for d in module_dirs(root, module):
        for path in source_files(d):
            for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                rel = os.path.relpath(path, root)
                if ".." in inc.split("/") or inc.startswith("src/"):
                    problems.append(f"{rel}:{n}: includes {inc}: not through a public header")
                    continue
                target = included_module(inc)
                if target is None or target == module:
                    continue
                if target not in uses:
                    problems.append(f"{rel}:{n}: {module} includes {inc} ({target}), "
                                    f"not in its row of ARCHITECTURE.md ({', '.join(sorted(uses)) or '-'})")


def check_links(root, module, uses, problems):
    for d in module_dirs(root, module):
        cmake = os.path.join(d, "CMakeLists.txt")
        if not os.path.exists(cmake):
            continue
        text = open(cmake, encoding="utf-8").read()
        for m in LINK_RE.finditer(text):
            tokens = m.group(1).split()
            for tok in tokens[1:]:
                if not tok.startswith("oracle_"):
                    continue
                target = TARGET_MODULE.get(tok, tok[len("oracle_"):])
                if target == module or tok == tokens[0]:
                    continue
                if target not in uses:
                    line = text[: m.start()].count("\n") + 1
                    problems.append(f"{os.path.relpath(cmake, root)}:{line}: {tokens[0]} links {tok} "
                                    f"({target}), not in {module}'s row of ARCHITECTURE.md")


def check_tests_use_public_headers(root, problems):
    for top in ("tests", "bench"):
        for path in source_files(os.path.join(root, top)):
            for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                private = os.path.exists(os.path.join(root, "src", inc))
                if ".." in inc.split("/") or inc.startswith("src/") or private:
                    problems.append(f"{os.path.relpath(path, root)}:{n}: includes {inc}: "
                                    "a module's private header (tests use public headers)")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    allowed = read_module_map(root)
    problems = []
    for module in sorted(allowed):
        check_includes(root, module, allowed[module], problems)
        check_links(root, module, allowed[module], problems)
    # Every module folder is in the map.
    for d in sorted(os.listdir(os.path.join(root, "src"))):
        if os.path.isdir(os.path.join(root, "src", d)) and d not in allowed:
            problems.append(f"src/{d}: a module folder without a row in ARCHITECTURE.md")
    check_tests_use_public_headers(root, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layer violation(s); the map is in ARCHITECTURE.md")
        return 1
    print(f"{len(allowed)} modules, includes and links match ARCHITECTURE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
