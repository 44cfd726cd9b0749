#!/usr/bin/env python3
"""The module graph of the crate, and any import cycle in it.

Reads every .rs file under src/, takes the paths it names (`use crate::a::b`, `use super::x`,
grouped `use super::{a, b::c}`, and `crate::a::b` / `super::x` written in code), and draws
edges between modules at two levels:

  - the app (src/app/): one node per child of `app` (`app::student`, `app::intent`, …); the
    root `app` (mod.rs) and `app::scripted` compose everything and form the top layer;
  - the core: one node per top-level module (`scenario`, `session`, `scoring`, `records`, …).

It prints each node's dependencies, then checks:

  - no cycle among the app's modules, nor among the core's (strongly connected components);
  - the app's layers: a feature (student, teacher, authoring, setup) depends on shared modules
    only, never on another feature or on the root; a shared module on shared modules only.

Exit 1 when a check fails. Usage: scripts/imports.py [--quiet] [--app-only]
(--app-only: the core's cycles are printed but do not fail the run).
"""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
FEATURES = {"student", "teacher", "authoring", "setup"}
APP_TOP = {"app", "app::scripted"}
# Entry points that compose the core; not core modules themselves.
NOT_CORE = {"app", "cli", "main", "lib"}


def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    if rel in (["lib"], ["main"]):
        return []
    return rel


def expand(prefix, text):
    """`a::{b, c::{d, e}}` → [a::b, a::c::d, a::c::e] (`self` keeps the prefix)."""
    text = text.strip()
    m = re.match(r"^([\w:]*?)(?:::)?\{(.*)\}$", text, re.S)
    if not m:
        return [prefix + [p for p in text.split(" as ")[0].strip().split("::") if p]]
    head = [p for p in m.group(1).split("::") if p]
    out, depth, cur = [], 0, ""
    for ch in m.group(2) + ",":
        if ch == "," and depth == 0:
            if cur.strip():
                out += expand(prefix + head, cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    return [[x for x in p if x != "self"] or prefix + head for p in out]


def resolve(module, path):
    """An absolute module path for `path` as written in `module`, or None (an outside crate)."""
    if not path:
        return None
    if path[0] == "crate":
        return path[1:]
    if path[0] in ("super", "self"):
        base = list(module)
        while path and path[0] in ("super", "self"):
            if path[0] == "super":
                base = base[:-1]
            path = path[1:]
        return base + path
    return None


def inline_mods(text):
    """The spans of `mod name { … }` written inside a file."""
    spans = []
    for m in re.finditer(r"\bmod\s+\w+\s*\{", text):
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += text[i] == "{"
            depth -= text[i] == "}"
            if depth == 0:
                break
            i += 1
        spans.append((m.start(), i))
    return spans


def node(mod):
    mod = [m for m in mod if m != "<inline>"]
    # Items re-exported at the crate root (`crate::Lang`) name no module.
    if not mod or not mod[0][:1].islower():
        return None
    if mod[0] == "app":
        return "app" if len(mod) == 1 else "app::" + mod[1]
    return mod[0]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] if not line.lstrip().startswith("//") else "" for line in text.split("\n"))


def graph():
    edges = {}
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(dirpath, f)
            mod = module_of(path)
            here = node(mod)
            if here is None:
                continue
            # A file under app/x/ that is not x's mod.rs still belongs to node app::x.
            edges.setdefault(here, set())
            text = strip_comments(open(path, encoding="utf-8").read())
            inline = inline_mods(text)
            paths = []
            for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", text, re.S):
                first, _, rest = m.group(1).partition("::")
                paths += [(m.start(), x) for x in expand([first], rest)]
            for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", text):
                paths.append((m.start(), m.group(1).split("::")))
            for at, p in paths:
                # Inside `mod tests { … }`, `super` is the file's own module.
                depth = sum(1 for a, b in inline if a <= at < b)
                target = resolve(mod + ["<inline>"] * depth, p)
                if target is None:
                    continue
                # `use super::*` and the like name no module; so do paths into the crate root.
                to = node([t for t in target if t != "*"])
                if to is None or to == here:
                    continue
                # Only modules that exist: `crate::lrs::config` is `lrs`; an item named at the
                # crate root or in `app` itself stays with that root.
                if to not in ("app",) and not to.startswith("app::") and to not in CORE_MODULES:
                    continue
                if to.startswith("app::") and to[5:] not in APP_CHILDREN:
                    to = "app"
                edges.setdefault(here, set()).add(to)
                edges.setdefault(to, set())
    return edges


APP_CHILDREN = {
    e[:-3] if e.endswith(".rs") else e
    for e in os.listdir(os.path.join(ROOT, "app"))
    if e != "mod.rs"
}


CORE_MODULES = {
    e[:-3] if e.endswith(".rs") else e
    for e in os.listdir(ROOT)
    if e not in ("lib.rs", "main.rs")
}


def sccs(nodes, edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in nodes:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def layer(n):
    if n in APP_TOP:
        return "root"
    if n.split("::", 1)[1] in FEATURES:
        return "feature"
    return "shared"


def main():
    quiet = "--quiet" in sys.argv
    app_only = "--app-only" in sys.argv
    edges = graph()
    app = {n for n in edges if n == "app" or n.startswith("app::")}
    core = {n for n in edges if n not in app and n not in NOT_CORE}
    failed = False
    for title, nodes in (("app (src/app)", app), ("core", core)):
        if not quiet:
            print(f"# {title}")
            for n in sorted(nodes):
                deps = sorted(d for d in edges[n] if d in nodes)
                print(f"{n} -> {', '.join(deps) if deps else '(nothing)'}")
        cycles = sccs(nodes, edges)
        for c in cycles:
            print(f"CYCLE in {title}: {' <-> '.join(c)}")
            failed = failed or not (app_only and nodes is core)
        if not cycles:
            print(f"no cycle in {title}")
    for n in sorted(app):
        for d in sorted(edges[n]):
            if d not in app:
                continue
            a, b = layer(n), layer(d)
            bad = (a == "feature" and b in ("feature", "root")) or (a == "shared" and b in ("feature", "root"))
            if bad:
                print(f"LAYER: {a} {n} depends on {b} {d}")
                failed = True
    if not any(layer(n) != "root" and any(d in app and layer(d) in ("feature", "root") and not (layer(n) == "feature" and d == n) for d in edges[n]) for n in app):
        print("layers: features depend on shared modules only; shared modules on shared modules only")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
