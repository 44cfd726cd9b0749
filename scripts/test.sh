#!/usr/bin/env bash
# Every check the project promises, in the order CI runs them (README: "测试 Tests"):
#   1. the core alone, without Bevy (`--no-default-features`), as the architecture promises;
#   2. the whole crate, the app's headless tests included;
#   3. clippy with warnings denied, for both feature sets (`[lints]` in Cargo.toml assumes it);
#   4. the module graph: no import cycle in the core or the app (scripts/imports.py).
# Stops at the first failure. The LRS tests need Ralph: `scripts/ralph-venv.sh` (CI runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
    echo "+ $*" >&2
    "$@"
}
run cargo test --no-default-features
run cargo test
run cargo clippy --all-targets -- -D warnings
run cargo clippy --no-default-features --all-targets -- -D warnings
run python3 scripts/imports.py
