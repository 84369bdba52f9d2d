#!/usr/bin/env bash
# Benchmarks/run.sh — time `assay stats` against wc -l, DuckDB and DataFusion
# on a generated JSONL corpus (1M records by default), all in one run, and
# print a Markdown table (Benchmarks/report.py).
#
#   usage (from anywhere; it cd's to the repo root):  Benchmarks/run.sh [RUNS]
#
# RUNS (default 5) timed runs per command, after 1 untimed warm-up run (warm
# page cache), in rounds: each round runs every command once, so that the
# machine's slow spells hit all commands alike. The runner is
# ../shared/bench/peers/bench.py (shared/ sits beside the repo checkout), one
# run per call; Benchmarks/report.py pools the calls: median wall, min wall,
# median CPU (user+sys), peak RSS from GNU time, and the CPU other processes
# used meanwhile.
#
# Environment (all optional):
#   BENCH_DATA       corpus directory            (default /work/bench-data)
#   BENCH_VENV       Python venv with the peers  (default /work/bench-venv)
#   BENCH_RECORDS    corpus size                 (default 1000000 -> c1m.jsonl;
#                                                 100000 -> c100k.jsonl)
#   BENCH_IDLE_WAIT  s to wait for an idle machine before each run
#                                                 (default here 20; bench.py's own is 180; 0 = off)
#   BENCH_RESULTS    results file   (default bench-out/results-<UTC date-time>.jsonl)
#   BENCH_SKIP_ASSAY=1  time only the peers (no swift build, no assay rows)
#   ASSAY_BIN        use this assay binary instead of building one
#
# Creates the venv (pip install duckdb datafusion visidata) and the corpus
# (../shared/bench/gen_corpus.py, ~1.5-4 min for 1M) when they are missing.
# Needs GNU time at /usr/bin/time (apt-get install -y time hyperfine tmux jq).
set -euo pipefail

RUNS=${1:-5}
case $RUNS in ''|*[!0-9]*|0) echo "usage: $0 [RUNS>=1]" >&2; exit 2 ;; esac

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

SHARED=../shared/bench            # relative to the repo root, as in CI
PEERS=$SHARED/peers
BENCH_PY=$PEERS/bench.py
BENCH_DATA=${BENCH_DATA:-/work/bench-data}
BENCH_VENV=${BENCH_VENV:-/work/bench-venv}
BENCH_RECORDS=${BENCH_RECORDS:-1000000}
export BENCH_IDLE_WAIT=${BENCH_IDLE_WAIT:-20}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

[ -f "$BENCH_PY" ] || die "$BENCH_PY not found (expected shared/ beside the repo: $(cd .. && pwd)/shared/bench)"
[ -f "$SHARED/gen_corpus.py" ] || die "$SHARED/gen_corpus.py not found"

# --- system tools -----------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing GNU time (apt-get)"
        apt-get update && apt-get install -y time hyperfine tmux jq
    else
        die "GNU time missing at /usr/bin/time: sudo apt-get install -y time hyperfine tmux jq"
    fi
fi
command -v python3 >/dev/null || die "python3 not found"

# --- peers venv -------------------------------------------------------------
if [ ! -x "$BENCH_VENV/bin/python3" ]; then
    log "creating venv $BENCH_VENV"
    python3 -m venv "$BENCH_VENV"
fi
if ! "$BENCH_VENV/bin/python3" -c 'import duckdb, datafusion, visidata' 2>/dev/null; then
    log "installing peers into $BENCH_VENV"
    "$BENCH_VENV/bin/pip" install duckdb datafusion visidata
fi
"$BENCH_VENV/bin/python3" -c 'import duckdb, datafusion, visidata' \
    || die "peers not importable from $BENCH_VENV"
export BENCH_VENV                 # bench.py puts $BENCH_VENV/bin first on PATH

# --- corpus -----------------------------------------------------------------
case $BENCH_RECORDS in
    1000000) CNAME=c1m ;;
    100000)  CNAME=c100k ;;
    *)       CNAME=c$BENCH_RECORDS ;;
esac
F=$BENCH_DATA/$CNAME.jsonl
# The sidecar is written last, so a corpus without it is an interrupted run.
if [ ! -s "$F" ] || [ ! -s "$F.truth.json" ]; then
    log "generating $F ($BENCH_RECORDS records)"
    mkdir -p "$BENCH_DATA"
    rm -f "$F" "$F.truth.json" "$F.part" "$F.part.truth.json"
    python3 "$SHARED/gen_corpus.py" --records "$BENCH_RECORDS" --out "$F.part"
    mv "$F.part.truth.json" "$F.truth.json"
    mv "$F.part" "$F"
fi
LINES=$(wc -l < "$F")
[ "$LINES" -eq "$BENCH_RECORDS" ] || die "$F has $LINES lines, expected $BENCH_RECORDS (delete it to regenerate)"

# --- assay (release) --------------------------------------------------------
ASSAY=
if [ "${BENCH_SKIP_ASSAY:-0}" != 1 ]; then
    if [ -n "${ASSAY_BIN:-}" ]; then
        ASSAY=$ASSAY_BIN
    else
        log "swift build -c release --product assay"
        swift build -c release --product assay
        ASSAY=$(swift build -c release --show-bin-path)/assay
    fi
    [ -x "$ASSAY" ] || die "assay binary not found: $ASSAY"
fi

# --- timings ----------------------------------------------------------------
export BENCH_RESULTS=${BENCH_RESULTS:-bench-out/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
mkdir -p "$(dirname "$BENCH_RESULTS")"
log "corpus $F ($LINES records, $(du -h "$F" | cut -f1)); $RUNS runs + 1 warm-up each; idle wait ${BENCH_IDLE_WAIT}s"
log "results -> $BENCH_RESULTS"

QF=$(printf %q "$F"); QP=$(printf %q "$PEERS")     # quoted for the bash -c command lines
NAMES=(wc_l hist_duckdb hist_datafusion)
CMDS=("wc -l $QF" "python3 $QP/hist_duckdb.py $QF" "python3 $QP/hist_datafusion.py $QF")
if [ -n "$ASSAY" ]; then
    QA=$(printf %q "$ASSAY")
    NAMES+=(assay_index assay_stats assay_stats_json)
    CMDS+=("$QA stats --index-only $QF" "$QA stats $QF" "$QA stats --json $QF > /dev/null")
fi
# Rounds: every command once a round (the first round after one untimed warm-up run each),
# so that a slow spell of this shared machine falls on all of them alike. bench.py writes a
# row per call; report.py pools the rows of one name and command.
for round in $(seq 1 "$RUNS"); do
    log "round $round of $RUNS"
    for k in "${!NAMES[@]}"; do
        python3 "$BENCH_PY" "${NAMES[$k]}" 1 $([ "$round" = 1 ] && echo 1 || echo 0) "${CMDS[$k]}" >/dev/null
    done
done

echo
python3 Benchmarks/report.py "$BENCH_RESULTS"
