#!/usr/bin/env python3
"""Check the relative links of the project's Markdown files.

    python3 scripts/check-doc-links.py [FILE.md ...]

Without arguments it checks README.md, CONTRIBUTING.md and every docs/**/*.md. For each link `[text](target)` that
is not a web address (http:, https:, mailto:) it checks that the file exists (relative to the file
holding the link) and, when the link has a `#fragment` into a Markdown file, that the fragment is
one of that file's headings as GitHub spells heading anchors: lower case, punctuation dropped
(Chinese punctuation too), spaces turned into hyphens, and `-1`, `-2`… added to repeated headings.
Links inside fenced code blocks and `inline code` are ignored.

Prints one line per broken link (`file:line: target: why`) and exits with 1 if there is any.
"""

import glob
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+\1")


def slug(text):
    """GitHub's anchor for a heading's text (github-slugger, close enough for these docs)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    out = []
    for c in text.strip().lower():
        if c in "-_ " or unicodedata.category(c)[0] in "LNM":
            out.append(c)
    return "".join(out).replace(" ", "-")


def lines_outside_code(lines):
    """(line number, line) for the lines that are not inside a fenced code block."""
    fence = None
    for n, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):].strip():
                fence = None
            continue
        if fence is None:
            yield n, line


_anchor_cache = {}


def anchors(path):
    if path not in _anchor_cache:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        seen, found = {}, set()
        for _, line in lines_outside_code(lines):
            m = HEADING.match(line)
            if not m:
                continue
            s = slug(m.group(2))
            k = seen.get(s, 0)
            seen[s] = k + 1
            found.add(s if k == 0 else f"{s}-{k}")
        # explicit HTML anchors: <a id="x"> / <a name="x">
        for line in lines:
            for m in re.finditer(r"<a\s+(?:id|name)=\"([^\"]+)\"", line):
                found.add(m.group(1))
        _anchor_cache[path] = found
    return _anchor_cache[path]


def check(path):
    problems, count = [], 0
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in lines_outside_code(lines):
        for m in LINK.finditer(INLINE_CODE.sub("", line)):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                continue  # http:, https:, mailto:
            count += 1
            file_part, _, frag = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            rel = os.path.relpath(path, ROOT)
            if not os.path.exists(dest):
                problems.append(f"{rel}:{n}: {target}: no such file")
                continue
            if frag and dest.endswith(".md"):
                if frag not in anchors(dest):
                    problems.append(f"{rel}:{n}: {target}: no heading with this anchor in {os.path.relpath(dest, ROOT)}")
    return problems, count


def main(argv):
    files = argv or [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "CONTRIBUTING.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True)
    )
    problems, links = [], 0
    for path in files:
        p, c = check(os.path.abspath(path))
        problems += p
        links += c
    for p in problems:
        print(p)
    print(f"{len(files)} files, {links} relative links, {len(problems)} broken", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
