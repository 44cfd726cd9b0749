#!/usr/bin/env bash
# Measure the release app against examples/bare_egui.rs in the same run, under Xvfb:
# time to first frame (3rd frame presented, the first with the UI fonts), idle CPU % over 30 s,
# CPU % while the phone rings (20 fps animation), RSS; then memory over a long scripted play:
# kefu plays attempts one after another (KEFU_SCRIPTED_SET=soak, see src/app/scripted/) while
# bare_egui runs beside it, and both are sampled every minute.
# Needs: xvfb mesa-vulkan-drivers libvulkan1 bc; for --backends gl: libegl1 libegl-mesa0 libgl1-mesa-dri.
# The idle windows are measured with the window focused, as a student's is (xdotool, when
# installed): an unfocused window is woken less often, which hid the old 5 s tick (issue 10).
# Usage: scripts/measure.sh [--runs N] [--idle SECONDS] [--soak MINUTES] [--debug] [--no-build] [--also BIN]
#   --runs N        first-frame runs per program (default 5)
#   --idle S        idle window (default 30 s)
#   --soak M        minutes of scripted play (default 30; 0 leaves it out)
#   --debug         the debug build (for trying the script; measure the release build)
#   --no-build      use the binaries as they are
#   --also BIN      measure another kefu binary's idle too (e.g. an older build, to compare)
#   --backends LIST the wgpu backends to measure, one after another in the same run (default
#                   "auto": whatever wgpu picks). "vulkan" sets WGPU_BACKEND=vulkan; "gl" sets
#                   WGPU_BACKEND=gl and hides the Vulkan drivers (VK_ICD_FILENAMES and
#                   VK_DRIVER_FILES=/nonexistent), as on a PC with OpenGL only; e.g.
#                   --backends "vulkan gl" --soak 0. The soak runs on the last one.
# Binaries come from ${CARGO_TARGET_DIR:-target}.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=5 idle_s=30 soak_min=30 profile=release build=1 also="" backends=auto
while (($#)); do
    case $1 in
        --also) also=$(realpath "$2"); shift ;;
        --runs) runs=$2; shift ;;
        --backends) backends=$2; shift ;;
        --idle) idle_s=$2; shift ;;
        --soak) soak_min=$2; shift ;;
        --debug) profile=debug ;;
        --no-build) build=0 ;;
        [0-9]*) runs=$1 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if ((build)); then
    if [[ $profile == release ]]; then
        cargo build --release --bin kefu --example bare_egui >/dev/null 2>&1
    else
        cargo build --bin kefu --example bare_egui >/dev/null 2>&1
    fi
fi
target="${CARGO_TARGET_DIR:-$root/target}/$profile"
app="$target/kefu"
bare="$target/examples/bare_egui"
work=$(mktemp -d)
mkdir -p "$work/scenarios" "$work/xdg" "$work/script"
chmod 700 "$work/xdg"
cp tests/data/sample.ron "$work/scenarios/"
cp scenarios/*.ron "$work/scenarios/" 2>/dev/null || true
rm -f "$work/scenarios/_"*.ron
display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
sleep 1
export DISPLAY=$display XDG_RUNTIME_DIR=$work/xdg
tck=$(getconf CLK_TCK)

first_frame() { # env..., binary → ms
    local t0 t1
    rm -rf "$work/home"; mkdir -p "$work/home"
    t0=$(date +%s%N)
    t1=$(cd "$work" && env HOME="$work/home" KEFU_FIRST_FRAME=1 "$@" 2>/dev/null | awk '/first-frame-ns/ {print $2}')
    echo $(((t1 - t0) / 1000000))
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }

start() { # home, env..., binary → pid (in $started)
    local home=$1; shift
    rm -rf "$home"; mkdir -p "$home"
    (cd "$work" && exec env HOME="$home" "$@") >"$home.log" 2>&1 &
    started=$!
    pids+=("$started")
}

stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

idle() { # label, env..., binary → "cpu% rss"
    local label=$1; shift
    rm -rf "$work/script"; mkdir -p "$work/script"
    start "$work/home" "$@"
    local pid=$started
    sleep 8
    if command -v xdotool >/dev/null; then
        local w
        w=$(xdotool search --onlyvisible --name 'Kefu|bare' 2>/dev/null | head -1 || true)
        [[ -n $w ]] && xdotool windowfocus "$w" 2>/dev/null || true
        sleep 1
    fi
    if [[ $label == ringing ]]; then
        # The scripted walk-through stops at the ringing phone until its shot is taken.
        for _ in $(seq 50); do [[ $(cat "$work/script/ready" 2>/dev/null) == 04-play-phone-ringing ]] && break; rm -f "$work/script/ready"; sleep 0.3; done
        sleep 2
    fi
    local a b
    a=$(cpu_ticks "$pid"); sleep "$idle_s"; b=$(cpu_ticks "$pid")
    printf "  %-30s CPU %5.1f %%   RSS %4s MB\n" "$label" "$(echo "scale=1; ($b - $a) * 100 / ($tck * $idle_s)" | bc)" "$(rss_mb "$pid")"
    stop "$pid"
}

backend_env() { # backend → the env words that select it (in $benv)
    case $1 in
        auto) benv=() ;;
        vulkan) benv=(WGPU_BACKEND=vulkan) ;;
        gl) benv=(WGPU_BACKEND=gl VK_ICD_FILENAMES=/nonexistent VK_DRIVER_FILES=/nonexistent) ;;
        *) echo "unknown backend $1 (auto, vulkan, gl)" >&2; exit 2 ;;
    esac
}

adapter() { # env..., binary → the backend and adapter wgpu chose (src/app/render.rs logs it)
    rm -rf "$work/home"; mkdir -p "$work/home"
    (cd "$work" && env HOME="$work/home" KEFU_FIRST_FRAME=1 "$@" 2>&1 >/dev/null) |
        sed -n 's/.*renderer: //p' | head -1
}

echo "$profile build, $(nproc) CPUs, Xvfb 1366x768, Mesa (software rendering)"
for backend in $backends; do
    backend_env "$backend"
    echo "== backend $backend${benv:+ (${benv[*]})}: kefu on $(adapter "${benv[@]}" "$app"), bare_egui on $(adapter "${benv[@]}" "$bare")"
    echo "time to first frame (ms, $runs runs each):"
    for b in "$app" "$bare"; do
        ms=()
        for _ in $(seq "$runs"); do ms+=("$(first_frame "${benv[@]}" "$b")"); done
        printf "  %-12s %s\n" "$(basename "$b")" "${ms[*]}"
    done
    echo "idle ${idle_s} s after 8 s of settling (window focused):"
    idle "kefu (start screen)" "${benv[@]}" "$app"
    [[ -n $also ]] && idle "$(basename "$(dirname "$also")")/$(basename "$also") (start screen)" "${benv[@]}" "$also"
    idle "bare_egui" "${benv[@]}" "$bare"
    idle "bare_egui without idle fix" "${benv[@]}" BARE_EGUI_NO_FIX=1 "$bare"
    idle "ringing" "${benv[@]}" KEFU_SCRIPTED="$work/script" "$app"
done

((soak_min > 0)) || exit 0
echo "memory over ${soak_min} minutes: kefu playing attempts (scripted), bare_egui beside it:"
rm -rf "$work/script"; mkdir -p "$work/script"
start "$work/soak-home" "${benv[@]}" KEFU_SCRIPTED="$work/script" KEFU_SCRIPTED_SET=soak KEFU_SOAK_MINUTES="$soak_min" "$app"
kefu_pid=$started
start "$work/bare-home" "${benv[@]}" "$bare"
bare_pid=$started
t0=$SECONDS
printf "  %6s %10s %12s %10s\n" minute "kefu MB" "bare_egui MB" attempts
minute=0
while kill -0 "$kefu_pid" 2>/dev/null; do
    progress=$(awk '{print $2}' "$work/script/progress" 2>/dev/null || echo 0)
    printf "  %6d %10s %12s %10s\n" "$minute" "$(rss_mb "$kefu_pid")" "$(rss_mb "$bare_pid")" "${progress:-0}"
    minute=$((minute + 1))
    while ((SECONDS < t0 + minute * 60)); do
        kill -0 "$kefu_pid" 2>/dev/null || break
        sleep 1
    done
done
wait "$kefu_pid" 2>/dev/null || true
echo "  kefu finished after $(((SECONDS - t0) / 60)) min: $(cat "$work/script/progress" 2>/dev/null || echo "no progress file")"
[[ -e $work/script/done ]] || { echo "  (the scripted play did not finish: see the log)"; tail -5 "$work/soak-home.log"; }
stop "$bare_pid"
