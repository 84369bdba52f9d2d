#!/usr/bin/env bash
# Benchmarks/interleave.sh — median and min wall time of several commands, run in turns
# (round 1: A B C, round 2: A B C, ...), so that a noisy machine's drift hits them alike.
# No warm-up or idle wait (bench.py has those); use it to compare two builds of assay.
#
#   usage: Benchmarks/interleave.sh ROUNDS 'command A' 'command B' ...
#   e.g.:  Benchmarks/interleave.sh 11 "/tmp/assay-base stats c1m.jsonl" "/tmp/assay-head stats c1m.jsonl"
set -euo pipefail
ROUNDS=${1:?usage: $0 ROUNDS 'command' ...}; shift
[ $# -ge 1 ] || { echo "usage: $0 ROUNDS 'command' ..." >&2; exit 2; }
declare -a T
for _ in $(seq 1 "$ROUNDS"); do
    k=0
    for c in "$@"; do
        s=$(date +%s.%N); bash -c "$c" >/dev/null 2>&1; e=$(date +%s.%N)
        T[$k]+="$(echo "$e - $s" | bc) "
        k=$((k + 1))
    done
done
k=0
for c in "$@"; do
    echo "${T[$k]}" | tr ' ' '\n' | grep . | sort -n |
        awk -v c="$c" '{a[NR] = $1} END {printf "median %.3f  min %.3f  %s\n", a[int((NR + 1) / 2)], a[1], c}'
    k=$((k + 1))
done
