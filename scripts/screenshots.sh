#!/usr/bin/env bash
# Walk through every screen of the student app under Xvfb and save one PNG per screen in
# docs/screenshots/.
#
# The app drives itself (KEFU_SCRIPTED=<folder>, see src/app/scripted/): each step sends the
# same intents a student's clicks send, then writes <folder>/ready with the shot's name; this
# script takes the screenshot (ImageMagick `import`), deletes `ready`, and the app goes on.
# Shots whose name ends in "-scrolled" are scrolled with the mouse wheel first (xdotool), "-half"
# a little, "-bottom" to the end (further wheel turns add up).
#
# Shots ending in "-hover" point the mouse at the play screen's hint button first (its tooltip);
# "-focus" press Tab four times first (the keyboard focus ring).
#
# Needs (Debian/Ubuntu): xvfb mesa-vulkan-drivers libvulkan1 imagemagick xdotool x11-xserver-utils (xmodmap)
# The customer is drawn (src/app/theme/faces.rs: calm, pleased or annoyed as the talk goes);
# --portrait gives the sample's customer a picture file instead (a generated PNG), to show that
# path too.
#
# Usage: scripts/screenshots.sh [--debug] [--set critical|frame|lock|marking] [--size 1366x768] [--scale 1.35] [--suffix -1024]
#   (no --set)       every screen once: start, library, briefing, each activity and its feedback,
#                    results, review, the customer annoyed and pleased, the teacher lock,
#                    settings, the teacher view, authoring mode
#   --debug          debug build (release by default)
#   --set critical   issue 9's shots (hint preview, a critical error in the results, the audit)
#                    with the sample's `hang` option marked critical (KEFU_SCRIPTED_SET)
#   --set frame      issue 10's shots of the page frame: start, library (a notice, the sign-out
#                    question, an unfinished attempt), briefing, results, the review's top
#   --set say        issue 11's typed reply: the text box, a reply typed with xdotool (Chinese
#                    characters; KEFU_TYPE_TEXT to type another), its checklist; fails when the
#                    app did not receive exactly the text typed
#   --set table      issue 12's table activity (P3T1 ABC): the empty grid, cells typed with the
#                    keyboard (Tab, Return, Up, Right; fails when they land in other cells), the
#                    filled table with its chart, the marked grid, results and review
#   --set dial       the outgoing call: P4 T1's internal phone (the keypad and its list, keys
#                    typed, the ring-out, a wrong extension, the transcript) and a dial with no
#                    list (tests/data/dial.ron)
#   --set tamper     issue 13's teacher view of tampered records (a class key, an edited record,
#                    a forged one, a renamed copy): named and not counted
#   --set map        issue 14's map of every course scenario in authoring mode, a node's panel,
#                    a file with errors (tests/data/map-problems.ron)
#   --set lrs        issue 15's LRS card in the settings: an attempt filed while the LRS is away
#   --set group      issue 16's group play: three members typed on the start screen, P1 T2 by
#                    role (the turn bar, a pass), each member's part on the results
#   --set marking    issue 10's shots of marking and retries: the feedback cards with each row
#                    marked, "try again", the review's rows, focus, the empty-field and pause questions
#   --size WxH       screen size (default 1280x800); the app fits its window to it
#   --scale S        the UI scale (settings screen's text size), e.g. 1.35
#   --suffix S       appended to every file name (e.g. -1024 for the small-screen variants)
#   --out DIR        where to save them (default docs/screenshots)
#   --portrait       the sample's customer has a picture file (customer.png)
#   --gl             wgpu's OpenGL backend, with the Vulkan drivers hidden, as on a PC with
#                    OpenGL only (WGPU_BACKEND=gl, VK_ICD_FILENAMES=/nonexistent; needs libegl1
#                    libegl-mesa0 libgl1-mesa-dri); the log must name the Gl backend
#   --all-frames     the frame set at 1024x768 and 1366x768, scale 1.0 and 1.35 (four runs;
#                    suffixes -1024, -1366, -1024-x1.35, -1366-x1.35)
#   --all-screens    the same four runs of the default walk (every screen)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
profile=release
# Same targets as scripts/measure.sh: the example brings in dev-dependencies, which changes
# feature unification; building both together keeps one cached set of release dependencies.
build=(cargo build --release --bin kefu --example bare_egui)
set_name="" size=1280x800 suffix="" scale="" out="$root/docs/screenshots" portrait="" gl=""
args=("$@")
while (($#)); do
    case $1 in
        --debug) profile=debug; build=(cargo build --bin kefu) ;;
        --set) set_name=$2; shift ;;
        --size) size=$2; shift ;;
        --scale) scale=$2; shift ;;
        --suffix) suffix=$2; shift ;;
        --out) out=$(realpath -m "$2"); shift ;;
        --portrait) portrait=1 ;;
        --gl) gl=1 ;;
        --all-frames | --all-screens)
            rest=() set_arg=()
            [[ $1 == --all-frames ]] && set_arg=(--set frame)
            for a in "${args[@]}"; do [[ $a != --all-frames && $a != --all-screens ]] && rest+=("$a"); done
            for run in "1024x768 1.0 -1024" "1366x768 1.0 -1366" "1024x768 1.35 -1024-x1.35" "1366x768 1.35 -1366-x1.35"; do
                read -r sz sc sf <<<"$run"
                "$0" "${rest[@]}" "${set_arg[@]}" --size "$sz" --scale "$sc" --suffix "$sf"
            done
            exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
width=${size%x*} height=${size#*x}
# Where the hint button is, from the window's right edge (Chinese labels, default text size).
HINT_FROM_RIGHT=${HINT_FROM_RIGHT:-350}
for tool in Xvfb import xdotool; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb imagemagick xdotool mesa-vulkan-drivers libvulkan1" >&2; exit 2; }
done
"${build[@]}"
bin="${CARGO_TARGET_DIR:-$root/target}/$profile/kefu"

work=$(mktemp -d)
mkdir -p "$work/scenarios" "$work/home" "$work/xdg" "$work/script" "$out"
chmod 700 "$work/xdg"
cp tests/data/sample.ron "$work/scenarios/sample.ron"
if [[ -n $portrait ]]; then
    # A picture for the customer (a generated PNG) instead of the drawn face.
    sed -i 's/(id: "customer", name: "{customer}")/(id: "customer", name: "{customer}", portrait: "customer.png")/' "$work/scenarios/sample.ron"
    grep -q 'portrait: "customer.png"' "$work/scenarios/sample.ron" || { echo "could not give the sample's customer a portrait" >&2; exit 1; }
fi
if [[ $set_name == critical ]]; then
    # Hanging up first is a critical error here (as tests/app.rs marks it).
    sed -i 's/effects: (sincerity: -2), next: "done",/effects: (sincerity: -2), critical: (name: (zh: "抢先挂断客户电话", en: "Hung up on the customer"), principle: sincerity), next: "done",/' "$work/scenarios/sample.ron"
    grep -q 'critical: (name: (zh: "抢先挂断' "$work/scenarios/sample.ron" || { echo "could not mark the sample's hang option critical" >&2; exit 1; }
fi
if [[ $set_name == map ]]; then
    # A file with errors that still reads: its map shows them on their nodes.
    cp tests/data/map-problems.ron "$work/scenarios/map-problems.ron"
fi
if [[ $set_name == lrs ]]; then
    # The school's LRS is away (nothing listens on port 9): the attempt waits in the outbox.
    printf '[lrs]\nendpoint = "http://127.0.0.1:9/xAPI/"\nkey = "kefu-lab"\nsecret = "secret"\nhome_page = "https://www.myschool.edu.cn"\nclass = "物流2301"\ntimeout_seconds = 2\n' > "$work/kefu.toml"
fi
if [[ $set_name == dial ]]; then
    # The driver's call: a dial with no number list.
    cp tests/data/dial.ron "$work/scenarios/dial.ron"
fi
mkdir -p "$work/assets/portraits"
convert -size 256x256 radial-gradient:'#fde68a'-'#b45309' -fill '#7c2d12' -draw 'circle 128,100 128,60' -draw 'ellipse 128,230 80,70 180,360' "$work/assets/portraits/customer.png"
cp scenarios/*.ron "$work/scenarios/" 2>/dev/null || true
# A broken file, to show how the library reports one.
printf 'Scenario(\n    id: "draft",\n    title: "写了一半的场景",\n    course: (project: 2, task: 1),\n    nodes: [\n        Line(id: "a", text: "您好" next: "b"),\n' > "$work/scenarios/draft.ron"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 "${width}x${height}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
    [[ -n $app ]] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
sleep 1

backend_env=()
# The app logs the adapter it picked (src/app/render.rs): the log shows the backend.
[[ -n $gl ]] && backend_env=(WGPU_BACKEND=gl VK_ICD_FILENAMES=/nonexistent VK_DRIVER_FILES=/nonexistent)
(
    cd "$work"
    exec env -u KEFU_RECORDS "${backend_env[@]}" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
        XDG_RUNTIME_DIR="$work/xdg" DISPLAY="$display" KEFU_SCRIPTED="$work/script" KEFU_SCRIPTED_SET="$set_name" KEFU_SCRIPTED_SCALE="$scale" "$bin"
) >"$work/app.log" 2>&1 &
app=$!
# The app asks to be maximised and takes the whole of a screen smaller than 1280x800 by itself
# (that is what the small-screen shots check); without a window manager nothing maximises it,
# so on a larger screen make it fill the screen as a maximised window would.
win=""
for _ in $(seq 300); do
    win=$(DISPLAY=$display xdotool search --onlyvisible --name 'Kefu' 2>/dev/null | head -1 || true)
    [[ -n $win ]] && break
    sleep 0.2
done
[[ -n $win ]] || { echo "the app's window did not appear" >&2; exit 1; }
if ((width > 1280 && height > 800)); then
    # Let the app fit itself to the screen first (its first frames), then widen it.
    sleep 3
    DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "$width" "$height"
    sleep 1.5
fi
# The pointer out of the way, once the window is there to see it move (it sat in the middle
# of the screen, over a button, showing its hover colour or tooltip).
sleep 1
DISPLAY=$display xdotool mousemove "$((width / 2))" "$((height / 2))" mousemove "$((width - 3))" "$((height - 3))" 2>/dev/null || true

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
        if [[ $name == *-scrolled || $name == *-half || $name == *-bottom ]]; then
            # Over the central panel (authoring mode has its file list on the left); "-half"
            # scrolls a little, "-bottom" to the end.
            x=420 clicks=12
            [[ $name == authoring* ]] && x=$((width - 300)) clicks=4
            [[ $name == *-half ]] && clicks=5
            [[ $name == *-bottom ]] && clicks=80
            DISPLAY=$display xdotool mousemove "$x" $((height * 3 / 4))
            for _ in $(seq $clicks); do DISPLAY=$display xdotool click 5; sleep 0.05; done
            sleep 0.8
        fi
        if [[ $name == *-focus ]]; then
            # Move the keyboard focus (Tab ×4) to show the focus ring ("play-focus" presses its
            # Tabs in the app itself, KEFU_SCRIPTED_SET=marking).
            tabs=4
            [[ $name == play-* ]] && tabs=0
            for _ in $(seq $tabs); do DISPLAY=$display xdotool key Tab; sleep 0.3; done
            sleep 0.5
        fi
        if [[ $name == *-type ]]; then
            # Type a reply as a student would (Chinese characters through X11's text input; the
            # app writes what arrived to $work/script/typed after the next step).
            # No window manager gives the window the keyboard focus: give it first.
            DISPLAY=$display xdotool windowfocus --sync "$win" 2>/dev/null || true
            sleep 0.3
            # xdotool types a character that is on no key by remapping a spare key for a moment,
            # which races with the app reading the keymap (characters came out doubled or lost).
            # So put every character of the text on a key of its own first (xmodmap), let the app
            # see the new keymap, then type: xdotool finds the keys and remaps nothing.
            text=${KEFU_TYPE_TEXT:-喂，長海物流，我的工號是026}
            # Keys with no symbol, then keys of rarely used symbols; none of them a modifier
            # (203, 205-207 are Mode_switch, Meta, Super and Hyper: typed, they type nothing).
            codes=(93 97 103 120 132 149 154 168 178 183 184 197 202 217 219 222 230 $(seq 231 255))
            n=0
            declare -A mapped=()
            for ((i = 0; i < ${#text}; i++)); do
                ch=${text:i:1}
                [[ $ch =~ [[:alnum:][:space:]] && $(printf '%d' "'$ch") -lt 128 ]] && continue
                [[ -n ${mapped[$ch]:-} ]] && continue
                ((n < ${#codes[@]})) || { echo "more than ${#codes[@]} different characters to type" >&2; break; }
                mapped[$ch]=${codes[n]}
                DISPLAY=$display xmodmap -e "keycode ${codes[n]} = $(printf 'U%04X' "'$ch")"
                n=$((n + 1))
            done
            sleep 1.5
            DISPLAY=$display xdotool type --delay "${KEFU_TYPE_DELAY:-150}" "$text"
            sleep 1.0
        fi
        if [[ $name == *-keys ]]; then
            # Fill table cells from the keyboard: words are typed, key:X presses a key (Tab to
            # the right, Return down, Up, Right past the end of a cell). The app writes what
            # arrived to $work/script/table-typed, checked at the end.
            DISPLAY=$display xdotool windowfocus --sync "$win" 2>/dev/null || true
            sleep 0.3
            for tok in ${KEFU_KEYS:-4 key:Tab 37.0 key:Tab 740 key:Tab 37.0 key:Tab A key:Tab 1 key:Return 2 key:Up key:Right 29.5}; do
                if [[ $tok == key:* ]]; then
                    DISPLAY=$display xdotool key "${tok#key:}"
                else
                    DISPLAY=$display xdotool type --delay 120 "$tok"
                fi
                sleep 0.35
            done
            sleep 1.0
        fi
        if [[ $name == *-hover ]]; then
            # The hint button sits left of "暂停，回题库" at the right end of the play bar.
            DISPLAY=$display xdotool mousemove $((width - HINT_FROM_RIGHT)) 32
            sleep 1.5
        fi
        DISPLAY=$display import -window root "$out/$name$suffix.png"
        # 256 colours: the text stays sharp and the file is about half the size (they are committed).
        convert "$out/$name$suffix.png" -colors 256 "PNG8:$out/$name$suffix.png"
        echo "$out/$name$suffix.png"
        [[ $name == *-hover ]] && DISPLAY=$display xdotool mousemove $((width / 2)) $((height - 4))
        shots=$((shots + 1))
        rm -f "$work/script/ready"
    fi
    sleep 0.2
done
wait "$app" || true
app=""
if [[ -n $gl ]]; then
    grep -q 'renderer: Gl on' "$work/app.log" || { echo "the app did not run on the GL backend:" >&2; grep 'renderer:' "$work/app.log" >&2; exit 1; }
    grep -o 'renderer: .*' "$work/app.log"
fi
# egui's font atlas refilled or a texture update lost: glyphs may be missing from a shot.
grep -E "atlas overflowed|missing texture|Failed to write into texture" "$work/app.log" >&2 || true
if [[ -e $work/script/typed ]]; then
    # The text the app received must be the text typed, character for character (issue 11:
    # Chinese through X11's text input).
    echo "typed into the app: $(cat "$work/script/typed")"
    if [[ $(cat "$work/script/typed") != "${KEFU_TYPE_TEXT:-喂，長海物流，我的工號是026}" ]]; then
        echo "the app did not receive the text typed" >&2
        exit 1
    fi
fi
if [[ -e $work/script/table-typed ]]; then
    # The cells the keys filled (Tab, Return, Up and Right moving between them).
    echo "typed into the table: $(cat "$work/script/table-typed")"
    if [[ -z ${KEFU_KEYS:-} && $(cat "$work/script/table-typed") != "4,,37.0,740,37.0,A|1,,29.5,,,|2,,,,," ]]; then
        echo "the table did not receive the keys as expected" >&2
        exit 1
    fi
fi
echo "$shots screenshots in $out"
