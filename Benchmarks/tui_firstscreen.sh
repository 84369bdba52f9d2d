#!/usr/bin/env bash
# Benchmarks/tui_firstscreen.sh — interactive latency of the assay TUI, side by
# side with VisiData, measured from outside through tmux. Not run by CI.
#
#   usage: Benchmarks/tui_firstscreen.sh [FILE.jsonl] [RECORDS]
#          (defaults: $BENCH_DATA/c1m.jsonl, RECORDS = its line count)
#
# For each program (assay, then VisiData) in a detached 200x50 tmux session:
#   first screen   launch (just before `tmux new-session`, so it includes the
#                  tmux server start, as vd_interactive.py does) until the pane
#                  shows "doc-0000001"; polled with `capture-pane -p` every
#                  $POLL s (5 ms). Median of $LAUNCHES launches.
#   settled        launch until the last screen change before the screen stayed
#                  unchanged for $SETTLE_MS ms. Median of the same launches. A
#                  loader that redraws its progress rarely (VisiData) "settles"
#                  long before it has finished; see the next one.
#   last id (G)    launch until G (sent again every 0.5 s until it works) shows
#                  the last record's id: all records loaded / indexed and
#                  reachable. Then the top key brings doc-0000001 back before
#                  the keystroke timings start. Median of the same launches.
#   j / G / g      keystroke-to-redraw: wait until the screen is settled, send the
#                  key, poll `capture-pane -p -e` (-e: with colours/attributes, so
#                  a moved highlight counts as a change) every $POLL s until the
#                  content differs. The cycle j (down), G (last record), g (first
#                  record) is repeated $REPS (20) times; medians reported. For G and
#                  g also the time until the last id (doc-<RECORDS, 7 digits>) or
#                  doc-0000001 is on screen. VisiData's "first row" key is gg.
#   peak RSS       VmHWM of the program at the end.
# A "tmux floor" row (a shell printing doc-0000001) shows the cost of the
# measuring itself. Then ../shared/bench/peers/vd_interactive.py FILE RECORDS
# runs as-is (VisiData: first rows, all rows loaded, Shift+F on label; it
# polls every 0.25 s).
#
# Environment:
#   ASSAY_BIN   assay binary (default: $(swift build -c release --show-bin-path)/assay;
#               build it first: swift build -c release --product assay)
#   BENCH_DATA  (/work/bench-data)   BENCH_VENV (/work/bench-venv, needs visidata)
#   REPS (20)  LAUNCHES (3)  POLL (0.005)  SETTLE_MS (150)
#   LAUNCH_TIMEOUT (600 s)  KEY_TIMEOUT (30 s)  SETTLE_TIMEOUT (600 s)
#   SKIP_VD=1               skip VisiData entirely
#   SKIP_VD_INTERACTIVE=1   skip only the vd_interactive.py run
# Raw samples: bench-out/tui-<UTC date-time>.jsonl (or $TUI_RESULTS).
# tmux runs on a private socket (-L assaybench-<pid>) in a private
# TMUX_TMPDIR (vd_interactive.py's default socket lands there too); the
# server(s) are killed and the directory removed on exit.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

BENCH_DATA=${BENCH_DATA:-/work/bench-data}
BENCH_VENV=${BENCH_VENV:-/work/bench-venv}
F=${1:-$BENCH_DATA/c1m.jsonl}
REPS=${REPS:-20}
LAUNCHES=${LAUNCHES:-3}
POLL=${POLL:-0.005}
SETTLE_MS=${SETTLE_MS:-150}
LAUNCH_TIMEOUT=${LAUNCH_TIMEOUT:-600}
KEY_TIMEOUT=${KEY_TIMEOUT:-30}
SETTLE_TIMEOUT=${SETTLE_TIMEOUT:-600}
VD_INTERACTIVE=../shared/bench/peers/vd_interactive.py

die() { printf 'tui_firstscreen.sh: %s\n' "$*" >&2; exit 1; }
log() { printf '== %s\n' "$*" >&2; }

[ -s "$F" ] || die "corpus $F missing (Benchmarks/run.sh generates it, or ../shared/bench/gen_corpus.py)"
F=$(realpath "$F")
N=${2:-$(wc -l < "$F")}
FIRST_ID=doc-0000001
LAST_ID=$(printf 'doc-%07d' "$N")
command -v tmux >/dev/null || die "tmux missing (apt-get install -y tmux)"
[ -n "${BASH_VERSINFO:-}" ] && [ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash >= 5 (EPOCHREALTIME)"

if [ -n "${ASSAY_BIN:-}" ]; then
    ASSAY=$ASSAY_BIN
else
    ASSAY=$(swift build -c release --show-bin-path)/assay
fi
[ -x "$ASSAY" ] || die "assay binary not found: $ASSAY (swift build -c release --product assay, or set ASSAY_BIN)"
ASSAY=$(realpath "$ASSAY")

SKIP_VD=${SKIP_VD:-0}
if [ "$SKIP_VD" != 1 ] && [ ! -x "$BENCH_VENV/bin/vd" ]; then
    die "$BENCH_VENV/bin/vd missing (Benchmarks/run.sh creates the venv) — or SKIP_VD=1"
fi

# --- private tmux -------------------------------------------------------------
unset TMUX TMUX_PANE              # never talk to the caller's tmux server
TMUX_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/assaybench.XXXXXX")
export TMUX_TMPDIR
SOCK=assaybench-$$
T() { tmux -L "$SOCK" "$@"; }
cleanup() {
    T kill-server 2>/dev/null || true
    tmux kill-server 2>/dev/null || true   # default socket, inside our TMUX_TMPDIR
    rm -rf "$TMUX_TMPDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- clock and sleep without forking ------------------------------------------
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" || true; }
now() { NOW=${EPOCHREALTIME/[.,]/}; }          # microseconds
ms() { awk -v u="$1" 'BEGIN { if (u < 0) print "n/a"; else printf "%.1f", u / 1000 }'; }
median_ms() {  # microsecond samples (-1 = timed out) -> "median ms" or "n/a"
    printf '%s\n' "$@" | awk 'NF && $1 >= 0' | sort -n | awk '
        { a[NR] = $1 }
        END { if (NR == 0) { print "n/a"; exit }
              m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%.1f", m / 1000 }'
}
misses() { local c=0 x; for x in "$@"; do [ "$x" -lt 0 ] && c=$((c + 1)); done; [ $c -gt 0 ] && printf ' (%d timed out)' $c; return 0; }
json_list() { local IFS=,; printf '[%s]' "$*"; }

screen() { T capture-pane -p -e -t "$1" 2>/dev/null; }

# launch SESSION CMD  -> FIRST_US (launch to FIRST_ID on screen), T0
launch() {
    local s=$1 cmd=$2 scr
    now; T0=$NOW
    T new-session -d -s "$s" -x 200 -y 50 "$cmd"
    while :; do
        if ! scr=$(T capture-pane -p -t "$s" 2>/dev/null); then
            die "$s: program exited before its first screen; stderr: $(cat "$TMUX_TMPDIR/$s.err" 2>/dev/null)"
        fi
        [[ $scr == *"$FIRST_ID"* ]] && break
        now; (( NOW - T0 > LAUNCH_TIMEOUT * 1000000 )) && die "$s: no $FIRST_ID on screen after ${LAUNCH_TIMEOUT}s"
        nap "$POLL"
    done
    now; FIRST_US=$((NOW - T0))
}

# settle SESSION -> SCREEN (settled content), LAST_CHANGE (us timestamp), SETTLED (1/0)
settle() {
    local s=$1 cur deadline
    SCREEN=$(screen "$s") || die "$s: program exited"
    now; LAST_CHANGE=$NOW; deadline=$((NOW + SETTLE_TIMEOUT * 1000000))
    while :; do
        nap 0.02                 # slower than POLL: polling costs the program CPU too
        cur=$(screen "$s") || die "$s: program exited"
        now
        if [[ $cur != "$SCREEN" ]]; then SCREEN=$cur; LAST_CHANGE=$NOW; fi
        (( NOW - LAST_CHANGE >= SETTLE_MS * 1000 )) && { SETTLED=1; return; }
        (( NOW > deadline )) && { SETTLED=0; return; }
    done
}

# reach_end SESSION TOPKEY -> END_US (launch to the last id on screen after G;
# G is sent again every 0.5 s, since a loader that is still reading stops at the
# rows it has), then back to the top with TOPKEY until FIRST_ID shows again.
reach_end() {
    local s=$1 topkey=$2 scr t_sent
    now; t_sent=$NOW
    T send-keys -t "$s" -l G
    while :; do
        scr=$(T capture-pane -p -t "$s" 2>/dev/null) || die "$s: program exited"
        now
        [[ $scr == *"$LAST_ID"* ]] && break
        (( NOW - T0 > LAUNCH_TIMEOUT * 1000000 )) && die "$s: no $LAST_ID on screen after ${LAUNCH_TIMEOUT}s of G"
        if (( NOW - t_sent > 500000 )); then T send-keys -t "$s" -l G; t_sent=$NOW; fi
        nap "$POLL"
    done
    END_US=$((NOW - T0))
    T send-keys -t "$s" -l "$topkey"
    while :; do
        scr=$(T capture-pane -p -t "$s" 2>/dev/null) || die "$s: program exited"
        [[ $scr == *"$FIRST_ID"* ]] && return
        now; (( NOW - T0 > LAUNCH_TIMEOUT * 1000000 )) && die "$s: no $FIRST_ID after $topkey"
        nap 0.02
    done
}

# key SESSION KEYS [EXPECT] -> CHANGE_US (first redraw), TARGET_US (EXPECT on screen); -1 = timeout
key() {
    local s=$1 keys=$2 expect=${3:-} before cur t0 changed=0
    settle "$s"
    [ "$SETTLED" = 1 ] || log "$s: screen never settled for ${SETTLE_MS} ms; timing anyway"
    before=$SCREEN
    CHANGE_US=-1; TARGET_US=-1
    now; t0=$NOW
    T send-keys -t "$s" -l "$keys"
    while :; do
        cur=$(screen "$s") || die "$s: program exited after key $keys"
        now
        if [ $changed = 0 ] && [[ $cur != "$before" ]]; then
            CHANGE_US=$((NOW - t0)); changed=1
            [ -z "$expect" ] && return
        fi
        if [ $changed = 1 ] && [ -n "$expect" ] && [[ $cur == *"$expect"* ]]; then
            TARGET_US=$((NOW - t0)); return
        fi
        (( NOW - t0 > KEY_TIMEOUT * 1000000 )) && { log "$s: key '$keys': no ${expect:-change} after ${KEY_TIMEOUT}s"; return; }
        nap "$POLL"
    done
}

TUI_RESULTS=${TUI_RESULTS:-bench-out/tui-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
mkdir -p "$(dirname "$TUI_RESULTS")"
ROWS=()

# measure NAME CMD TOP_KEY [keys=yes|no]
measure() {
    local name=$1 cmd=$2 topkey=$3 dokeys=${4:-yes} i s pid hwm=-1
    local firsts=() settleds=() unsettled=0 ends=() j=() G=() Gt=() g=() gt=()
    log "$name: $LAUNCHES launch(es)$( [ "$dokeys" = yes ] && printf ', %s x (j G %s)' "$REPS" "$topkey")"
    for ((i = 1; i <= LAUNCHES; i++)); do
        s=$name-$i
        launch "$s" "$cmd 2>$(printf %q "$TMUX_TMPDIR/$s.err")"
        firsts+=("$FIRST_US")
        settle "$s"
        [ "$SETTLED" = 1 ] || unsettled=$((unsettled + 1))
        settleds+=("$((LAST_CHANGE - T0))")
        if [ "$dokeys" = yes ]; then reach_end "$s" "$topkey"; ends+=("$END_US"); fi
        [ $i -lt $LAUNCHES ] && T kill-session -t "$s"
    done
    if [ "$dokeys" = yes ]; then
        for ((i = 1; i <= REPS; i++)); do
            key "$s" j;                  j+=("$CHANGE_US")
            key "$s" G "$LAST_ID";       G+=("$CHANGE_US"); Gt+=("$TARGET_US")
            key "$s" "$topkey" "$FIRST_ID"; g+=("$CHANGE_US"); gt+=("$TARGET_US")
        done
    fi
    pid=$(T display -p -t "$s" '#{pane_pid}')
    hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo n/a)
    T send-keys -t "$s" q 2>/dev/null || true
    T kill-session -t "$s" 2>/dev/null || true
    local qcmd=${cmd//\\/\\\\}; qcmd=${qcmd//\"/\\\"}
    printf '{"name":"%s","cmd":"%s","file":"%s","records":%s,"first_screen_us":%s,"settled_us":%s,"unsettled_launches":%s,"last_id_after_G_us":%s,"j_us":%s,"G_us":%s,"G_last_id_us":%s,"g_us":%s,"g_first_id_us":%s,"vmhwm_mb":"%s","poll_s":%s,"settle_ms":%s}\n' \
        "$name" "$qcmd" "$F" "$N" "$(json_list "${firsts[@]}")" "$(json_list "${settleds[@]}")" "$unsettled" "$(json_list "${ends[@]}")" \
        "$(json_list "${j[@]}")" "$(json_list "${G[@]}")" "$(json_list "${Gt[@]}")" \
        "$(json_list "${g[@]}")" "$(json_list "${gt[@]}")" "$hwm" "$POLL" "$SETTLE_MS" >> "$TUI_RESULTS"
    if [ "$dokeys" = yes ]; then
        ROWS+=("| $name | $(median_ms "${firsts[@]}") | $(median_ms "${settleds[@]}")$( [ $unsettled -gt 0 ] && printf ' (%d never settled)' $unsettled) | $(median_ms "${ends[@]}") | $(median_ms "${j[@]}")$(misses "${j[@]}") | $(median_ms "${G[@]}")$(misses "${G[@]}") / $(median_ms "${Gt[@]}")$(misses "${Gt[@]}") | $(median_ms "${g[@]}")$(misses "${g[@]}") / $(median_ms "${gt[@]}")$(misses "${gt[@]}") | $hwm |")
    else
        ROWS+=("| $name | $(median_ms "${firsts[@]}") | $(median_ms "${settleds[@]}") | – | – | – | – | $hwm |")
    fi
}

QF=$(printf %q "$F")
log "file $F ($N records); REPS=$REPS LAUNCHES=$LAUNCHES POLL=${POLL}s SETTLE_MS=$SETTLE_MS; samples -> $TUI_RESULTS"
measure tmux-floor "printf '%s\\n' $FIRST_ID; exec sleep 100000" g no
measure assay "exec $(printf %q "$ASSAY") $QF" g
if [ "$SKIP_VD" != 1 ]; then
    measure visidata "exec $(printf %q "$BENCH_VENV/bin/vd") $QF" gg
fi

echo
echo "TUI latency, $(basename "$F") ($N records), tmux 200x50, poll ${POLL}s; medians in ms"
echo
echo "| program | launch → first screen | launch → settled | launch → last id (G) | j → redraw | G → redraw / last id shown | g → redraw / first id shown | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "raw samples: $TUI_RESULTS"

if [ "$SKIP_VD" != 1 ] && [ "${SKIP_VD_INTERACTIVE:-0}" != 1 ]; then
    echo
    log "VisiData via $VD_INTERACTIVE (first rows / all rows loaded / Shift+F label)"
    PATH=$BENCH_VENV/bin:$PATH python3 "$VD_INTERACTIVE" "$F" "$N"
fi
