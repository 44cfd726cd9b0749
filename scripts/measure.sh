#!/usr/bin/env bash
# Measure the release app against examples/bare_egui.rs in the same run, under Xvfb:
# time to first frame (3rd frame presented, the first with the UI fonts), idle CPU % over 10 s,
# CPU % while the phone rings (30 fps animation), and RSS.
# Needs: xvfb mesa-vulkan-drivers libvulkan1. Usage: scripts/measure.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-5}
cargo build --release --bin kefu --example bare_egui >/dev/null 2>&1
app="${CARGO_TARGET_DIR:-$root/target}/release/kefu"
bare="${CARGO_TARGET_DIR:-$root/target}/release/examples/bare_egui"
work=$(mktemp -d)
mkdir -p "$work/scenarios" "$work/xdg" "$work/script"
chmod 700 "$work/xdg"
cp tests/data/sample.ron "$work/scenarios/"
display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=$display XDG_RUNTIME_DIR=$work/xdg
tck=$(getconf CLK_TCK)

first_frame() { # binary → ms
    local t0 t1
    rm -rf "$work/home"; mkdir -p "$work/home"
    t0=$(date +%s%N)
    t1=$(cd "$work" && HOME=$work/home KEFU_FIRST_FRAME=1 "$1" 2>/dev/null | awk '/first-frame-ns/ {print $2}')
    echo $(((t1 - t0) / 1000000))
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

idle() { # label, env..., binary → "cpu% rss"
    local label=$1; shift
    rm -rf "$work/home" "$work/script"; mkdir -p "$work/home" "$work/script"
    (cd "$work" && exec env HOME="$work/home" "$@") >/dev/null 2>&1 &
    pid=$!
    sleep 8
    if [[ $label == ringing ]]; then
        # The scripted walk-through stops at the ringing phone until its shot is taken.
        for _ in $(seq 50); do [[ $(cat "$work/script/ready" 2>/dev/null) == 04-play-phone-ringing ]] && break; rm -f "$work/script/ready"; sleep 0.3; done
        sleep 2
    fi
    local a b
    a=$(cpu_ticks $pid); sleep 10; b=$(cpu_ticks $pid)
    printf "%-28s CPU %5.1f %%   RSS %4s MB\n" "$label" "$(echo "scale=1; ($b - $a) * 100 / ($tck * 10)" | bc)" "$(rss_mb $pid)"
    kill $pid; wait $pid 2>/dev/null || true; pid=""
}

echo "time to first frame (ms, $runs runs each):"
for b in "$app" "$bare"; do
    ms=()
    for _ in $(seq "$runs"); do ms+=("$(first_frame "$b")"); done
    printf "  %-12s %s\n" "$(basename "$b")" "${ms[*]}"
done
echo "idle 10 s after 8 s of settling:"
idle "kefu (start screen)" "$app"
idle "bare_egui" "$bare"
idle "bare_egui without idle fix" BARE_EGUI_NO_FIX=1 "$bare"
idle ringing KEFU_SCRIPTED="$work/script" "$app"
