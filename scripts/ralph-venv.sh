#!/usr/bin/env bash
# Install Ralph, the learning record store the LRS tests run against (PyPI `ralph-malph`, MIT),
# into a Python virtual environment: `scripts/ralph-venv.sh [DIR]` (default target/ralph-venv).
# Does nothing when DIR/bin/ralph is already there. Needs python3 with venv and pip, and PyPI.
set -euo pipefail
dir=${1:-target/ralph-venv}
if [ -x "$dir/bin/ralph" ]; then
    exit 0
fi
command -v python3 >/dev/null || { echo "python3 is not installed: the LRS tests will skip" >&2; exit 1; }
python3 -m venv "$dir"
"$dir/bin/pip" install --quiet --disable-pip-version-check "ralph-malph[lrs,cli]==5.1.0" requests
"$dir/bin/ralph" --help >/dev/null
echo "Ralph installed in $dir"
