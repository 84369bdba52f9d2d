#!/usr/bin/env python3
"""Print the Markdown table of a Benchmarks/run.sh results file.

    python3 Benchmarks/report.py bench-out/results-<date>.jsonl

The file holds one JSON line per timed command, as written by
../shared/bench/peers/bench.py (name, cmd, runs, rc, wall_s, wall_median_s,
wall_min_s, cpu_s_median, peak_rss_mb, foreign_cpu_s, stdout_tail, ...).
If a name occurs more than once, the last line wins.

Ratios (median wall time; < 1 means assay is faster):
  assay stats / faster of (DuckDB, DataFusion) label histogram
  assay index / wc -l
A ratio is only given when both rows exist and every run exited 0.
"""
import json
import os
import re
import shlex
import sys

LABELS = {
    "wc_l": "wc -l",
    "hist_duckdb": "DuckDB label histogram",
    "hist_datafusion": "DataFusion label histogram",
    "assay_index": "assay stats --index-only",
    "assay_stats": "assay stats",
    "assay_stats_json": "assay stats --json > /dev/null",
}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                rows.pop(r["name"], None)  # keep file order of the last occurrence
                rows[r["name"]] = r
    return rows


def truth_for(cmd):
    """The gen_corpus.py sidecar (FILE.truth.json) of the corpus a command ran on, or None."""
    try:
        words = shlex.split(cmd)
    except ValueError:
        return None
    for w in reversed(words):
        if w.endswith(".jsonl") and os.path.exists(w + ".truth.json"):
            with open(w + ".truth.json") as f:
                return json.load(f)
    return None


def output_ok(r):
    """'ok', or why the row should not be trusted (a peer that fails fast looks fast).

    Every row: all runs exited 0. wc -l: the count equals the corpus' physical
    lines; the peers' label histograms: every label count of the corpus'
    sidecar appears in the output (checked when the sidecar is found)."""
    if any(c != 0 for c in r["rc"]):
        return f"FAIL rc={r['rc']}"
    out = r.get("stdout_tail", "")
    truth = truth_for(r["cmd"])
    if r["name"] == "wc_l":
        first = out.split()[:1]
        if not first or not first[0].isdigit():
            return "FAIL: no line count in output"
        if truth and int(first[0]) != truth["counts"]["physical_lines"]:
            return f"FAIL: {first[0]} lines, corpus has {truth['counts']['physical_lines']}"
    if r["name"] in ("hist_duckdb", "hist_datafusion"):
        if truth:
            nums = set(re.findall(r"\d+", out))
            want = {k: v for k, v in truth["label_counts"].items() if not k.startswith("<")}
            missing = [k for k, v in want.items() if str(v) not in nums]
            if missing:
                return "FAIL: wrong/missing counts for " + ", ".join(missing)
            return "ok (counts = truth)"
        if "sports" not in out:
            return "FAIL: no histogram in output"
    return "ok"


def ratio(rows, num, dens):
    """num's median wall / the fastest healthy row among dens, with that row's name."""
    if num not in rows or not output_ok(rows[num]).startswith("ok"):
        return None, f"no healthy `{num}` row"
    cands = [rows[d] for d in dens if d in rows and output_ok(rows[d]).startswith("ok")]
    if not cands:
        return None, "no healthy " + " / ".join(f"`{d}`" for d in dens) + " row"
    best = min(cands, key=lambda r: r["wall_median_s"])
    if best["wall_median_s"] <= 0:
        return None, f"`{best['name']}` median is 0 s"
    return rows[num]["wall_median_s"] / best["wall_median_s"], best["name"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    rows = load(path)
    if not rows:
        sys.exit(f"{path}: no results")

    print(f"Results: `{path}`\n")
    print("| name | command | runs | median wall s | min wall s | CPU s (median) "
          "| peak RSS MB | other procs' CPU s (max) | check |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for name, r in rows.items():
        foreign = max(r.get("foreign_cpu_s") or [0])
        print(f"| {LABELS.get(name, name)} | `{r['cmd']}` | {r['runs']} "
              f"| {r['wall_median_s']:.2f} | {r['wall_min_s']:.2f} | {r['cpu_s_median']:.2f} "
              f"| {r['peak_rss_mb']:.1f} | {foreign:.1f} | {output_ok(r)} |")

    print("\n| ratio (median wall) | value |")
    print("|---|---:|")
    for label, num, dens in [
        ("assay stats / faster of (DuckDB, DataFusion)", "assay_stats",
         ["hist_duckdb", "hist_datafusion"]),
        ("assay index / wc -l", "assay_index", ["wc_l"]),
    ]:
        v, why = ratio(rows, num, dens)
        if v is None:
            print(f"| {label} | n/a ({why}) |")
        else:
            print(f"| {label} | {v:.2f} (vs `{why}`) |")


if __name__ == "__main__":
    main()
