#!/usr/bin/env python3
"""Write a scenario's expert path (seed 0) as an answers file, the list `kefu play --answers` reads.

    kefu analyze scenarios/FILE.ron --json | python3 scripts/expert-answers.py > tests/plans/answers/FILE-expert.ron

A starting point for a golden plan (CONTRIBUTING.md, "adding a scenario with its golden plan"):
the expert answers as `kefu analyze` finds them, one per line. Edit the times and answers into
the path the plan is about; the plan's expected report is written and checked by hand.
"""

import json
import sys


def s(x):
    return json.dumps(x, ensure_ascii=False)


def pairs(xs):
    return "[" + ", ".join(f"({s(a)}, {s(b)})" for a, b in xs) + "]"


def strings(xs):
    return "[" + ", ".join(s(x) for x in xs) + "]"


def action(a):
    if isinstance(a, str):
        return a  # Continue, Pickup, Timeout, Hint
    ((kind, arg),) = a.items()
    if kind in ("Match", "Form"):
        return f"{kind}({pairs(arg)})"
    if kind in ("Order", "Compose"):
        return f"{kind}({strings(arg)})"
    if kind == "Table":
        return f"Table([{', '.join(strings(row) for row in arg)}])"
    if kind == "Retry":
        return f"Retry({action(arg)})"
    return f"{kind}({s(arg)})"  # Choose, Say, Dial


def main():
    analysis = json.load(sys.stdin)
    print(f"// {analysis['id']}: the expert path, seed 0 (from `kefu analyze --json`).")
    print("[")
    for e in analysis["expert_answers"]:
        print(f"    (node: {s(e['node'])}, elapsed_ms: {e.get('elapsed_ms', 0)}, action: {action(e['action'])}),")
    print("]")


if __name__ == "__main__":
    main()
