#!/usr/bin/env bash
# Walk through every screen of the student app under Xvfb and save one PNG per screen in
# docs/screenshots/.
#
# The app drives itself (KEFU_SCRIPTED=<folder>, see src/app/scripted.rs): each step sends the
# same intents a student's clicks send, then writes <folder>/ready with the shot's name; this
# script takes the screenshot (ImageMagick `import`), deletes `ready`, and the app goes on.
# Shots whose name ends in "-scrolled" are scrolled with the mouse wheel first (xdotool).
#
# Needs (Debian/Ubuntu): xvfb mesa-vulkan-drivers libvulkan1 imagemagick xdotool
# Usage: scripts/screenshots.sh [--debug]     (release build by default)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
profile=release
# Same targets as scripts/measure.sh: the example brings in dev-dependencies, which changes
# feature unification; building both together keeps one cached set of release dependencies.
build=(cargo build --release --bin kefu --example bare_egui)
if [[ ${1:-} == --debug ]]; then
    profile=debug
    build=(cargo build --bin kefu)
fi
for tool in Xvfb import xdotool; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb imagemagick xdotool mesa-vulkan-drivers libvulkan1" >&2; exit 2; }
done
"${build[@]}"
bin="${CARGO_TARGET_DIR:-$root/target}/$profile/kefu"

work=$(mktemp -d)
out="$root/docs/screenshots"
mkdir -p "$work/scenarios" "$work/home" "$work/xdg" "$work/script" "$out"
chmod 700 "$work/xdg"
# The sample with a portrait for the customer (a generated PNG), to show portraits.
sed 's/(id: "customer", name: "{customer}")/(id: "customer", name: "{customer}", portrait: "customer.png")/' tests/data/sample.ron >"$work/scenarios/sample.ron"
mkdir -p "$work/assets/portraits"
convert -size 256x256 radial-gradient:'#fde68a'-'#b45309' -fill '#7c2d12' -draw 'circle 128,100 128,60' -draw 'ellipse 128,230 80,70 180,360' "$work/assets/portraits/customer.png"
cp scenarios/*.ron "$work/scenarios/" 2>/dev/null || true
# A broken file, to show how the library reports one.
printf 'Scenario(\n    id: "draft",\n    title: "写了一半的场景",\n    course: (project: 2, task: 1),\n    nodes: [\n        Line(id: "a", text: "您好" next: "b"),\n' > "$work/scenarios/draft.ron"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
    [[ -n $app ]] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
sleep 1

(
    cd "$work"
    exec env -u KEFU_RECORDS HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
        XDG_RUNTIME_DIR="$work/xdg" DISPLAY="$display" KEFU_SCRIPTED="$work/script" "$bin"
) >"$work/app.log" 2>&1 &
app=$!

deadline=$((SECONDS + 300))
shots=0
while [[ ! -e $work/script/done ]]; do
    if ! kill -0 "$app" 2>/dev/null; then
        echo "the app stopped early:" >&2
        tail -20 "$work/app.log" >&2
        exit 1
    fi
    if ((SECONDS > deadline)); then
        echo "timed out waiting for the app" >&2
        exit 1
    fi
    if [[ -e $work/script/ready ]]; then
        name=$(cat "$work/script/ready")
        if [[ $name == *-scrolled ]]; then
            DISPLAY=$display xdotool mousemove 420 600
            for _ in $(seq 12); do DISPLAY=$display xdotool click 5; sleep 0.05; done
            sleep 0.8
        fi
        DISPLAY=$display import -window root "$out/$name.png"
        echo "$out/$name.png"
        shots=$((shots + 1))
        rm -f "$work/script/ready"
    fi
    sleep 0.2
done
wait "$app" || true
app=""
echo "$shots screenshots in $out"
