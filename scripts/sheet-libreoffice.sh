#!/usr/bin/env bash
# Does LibreOffice open what `kefu sheet export` writes? Every course scenario is exported to
# XLSX, converted to CSV by LibreOffice (every sheet, UTF-8), and the CSV is checked: the
# conversion ran without an error, the 场景 sheet holds the scenario's Chinese title and the
# 节点 sheet its first node's Chinese text, so the Chinese survived Excel's format both ways.
# Then LibreOffice saves each workbook again as XLSX (as a teacher using it would), kefu imports
# that, and `kefu analyze --json` of the result must equal the original's.
# Needs: libreoffice-calc (apt-get install -y libreoffice-calc), 7.2 or later (all sheets).
# Usage: scripts/sheet-libreoffice.sh [--no-build]
# The kefu binary comes from ${CARGO_TARGET_DIR:-target} (core build, no GUI).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-target}
if [[ "${1:-}" != "--no-build" ]]; then
    cargo build --quiet --no-default-features
fi
command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-calc" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the binary: a shared target folder may be rebuilt by someone else meanwhile.
cp "$target/debug/kefu" "$work/kefu"
# LibreOffice wants a writable profile; a fresh one each run, never the user's.
profile="file://$work/profile"
fail=0
n=0
for f in scenarios/*.ron; do
    b=$(basename "$f" .ron)
    n=$((n + 1))
    "$work/kefu" sheet export "$f" "$work/$b.xlsx" >/dev/null
    # 44 = comma, 34 = ", 76 = UTF-8; the last -1 = every sheet, one CSV each (name-Sheet.csv).
    if ! soffice -env:UserInstallation="$profile" --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$work/csv" "$work/$b.xlsx" >"$work/$b.log" 2>&1; then
        echo "FAIL $b: soffice failed"; cat "$work/$b.log"; fail=1; continue
    fi
    if grep -qiE "error|repair|corrupt" "$work/$b.log"; then
        echo "FAIL $b: soffice said:"; cat "$work/$b.log"; fail=1; continue
    fi
    title=$(grep -m1 -oP 'title: (\(zh: )?"\K[^"]+' "$f")
    scen="$work/csv/$b-场景.csv"
    nodes="$work/csv/$b-节点.csv"
    if [[ ! -f "$scen" || ! -f "$nodes" ]]; then
        echo "FAIL $b: no CSV for the 场景 or 节点 sheet"; ls "$work/csv"; fail=1; continue
    fi
    if ! grep -qF "$title" "$scen"; then
        echo "FAIL $b: the title “$title” is not in the 场景 sheet"; fail=1; continue
    fi
    # The first node's Chinese text, as the workbook holds it (read back by kefu's own import
    # would prove nothing about LibreOffice): the first CJK run on the 节点 sheet's second line.
    first=$(sed -n 2p "$nodes" | grep -oP '[\x{4e00}-\x{9fff}]{4,}' | head -1 || true)
    if [[ -z "$first" ]] || ! grep -qF "$first" "$f"; then
        echo "FAIL $b: the 节点 sheet's first node has no Chinese from the scenario (“$first”)"; fail=1; continue
    fi
    sheets=$(ls "$work/csv" | grep -c "^$b-")
    if ! soffice -env:UserInstallation="$profile" --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' \
        --outdir "$work/resaved" "$work/$b.xlsx" >>"$work/$b.log" 2>&1; then
        echo "FAIL $b: LibreOffice could not save it again"; cat "$work/$b.log"; fail=1; continue
    fi
    if ! "$work/kefu" sheet import "$work/resaved/$b.xlsx" "$work/$b.ron" >"$work/$b.import" 2>&1; then
        echo "FAIL $b: the workbook LibreOffice saved does not import:"; cat "$work/$b.import"; fail=1; continue
    fi
    if ! cmp -s <("$work/kefu" analyze --json "$f") <("$work/kefu" analyze --json "$work/$b.ron"); then
        echo "FAIL $b: after LibreOffice saved it, the scenario analyses differently"; fail=1; continue
    fi
    echo "ok   $b: $sheets sheets, title “$title”, first node “$first”; saved again by LibreOffice, imports and analyses the same"
done
if [[ $fail -ne 0 ]]; then
    echo "LibreOffice check FAILED"
    exit 1
fi
echo "LibreOffice opened all $n workbooks; Chinese intact; re-saved by LibreOffice, each imports and analyses as the original"
