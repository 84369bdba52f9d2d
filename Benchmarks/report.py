#!/usr/bin/env python3
"""Print the Markdown table of a Benchmarks/run.sh results file.

    python3 Benchmarks/report.py bench-out/results-<date>.jsonl

The file holds one JSON line per timed command, as written by
../shared/bench/peers/bench.py (name, cmd, runs, rc, wall_s, wall_median_s,
wall_min_s, cpu_s_median, peak_rss_mb, foreign_cpu_s, stdout_tail, ...).
Lines of one name and command are pooled (run.sh runs every command once a
round, one line per run); a line with the same name but another command starts
that row afresh.

Ratios (wall time; < 1 means assay is faster):
  assay stats / faster of (DuckDB, DataFusion) label histogram
  assay index / wc -l
each as the ratio of the medians, and, for rows pooled from run.sh's rounds, the
median of the ratios within each round (the faster peer of that round), which a
slow spell of the machine during some rounds moves least.
A ratio is only given when both rows exist and every run exited 0.
"""
import json
import os
import re
import shlex
import statistics
import sys

LABELS = {
    "wc_l": "wc -l",
    "hist_duckdb": "DuckDB label histogram",
    "hist_datafusion": "DataFusion label histogram",
    "assay_index": "assay stats --index-only",
    "assay_stats": "assay stats",
    "assay_stats_json": "assay stats --json > /dev/null",
}


def pool(a, b):
    """Rows a and b (same name and command) as one row over all their runs."""
    walls = a["wall_s"] + b["wall_s"]
    # A line's CPU is the median of its runs: per run when run.sh wrote it.
    cpus = a.get("_cpus", [a["cpu_s_median"]] * a["runs"]) + [b["cpu_s_median"]] * b["runs"]
    return dict(b, runs=a["runs"] + b["runs"], rc=a["rc"] + b["rc"], wall_s=walls,
                wall_median_s=statistics.median(walls), wall_min_s=min(walls),
                cpu_s_median=round(statistics.median(cpus), 2), _cpus=cpus,
                peak_rss_mb=max(a["peak_rss_mb"], b["peak_rss_mb"]),
                foreign_cpu_s=a.get("foreign_cpu_s", []) + b.get("foreign_cpu_s", []))


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                old = rows.pop(r["name"], None)  # keep file order of the last occurrence
                rows[r["name"]] = pool(old, r) if old and old["cmd"] == r["cmd"] else r
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


def round_ratios(rows, num, dens):
    """Per round (rows pooled from run.sh's rounds: run i of each row is round i), num's
    wall / the faster den's in that round; None unless every row has one run a round."""
    if num not in rows or "_cpus" not in rows[num]:
        return None
    cands = [rows[d] for d in dens if d in rows and output_ok(rows[d]).startswith("ok")]
    n = rows[num]["runs"]
    if not cands or any("_cpus" not in c or c["runs"] != n for c in cands):
        return None
    out = []
    for i in range(n):
        den = min(c["wall_s"][i] for c in cands)
        if den > 0:
            out.append(rows[num]["wall_s"][i] / den)
    return out or None


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

    print("\n| ratio | of the medians | per round: median (min–max) |")
    print("|---|---:|---:|")
    for label, num, dens in [
        ("assay stats / faster of (DuckDB, DataFusion)", "assay_stats",
         ["hist_duckdb", "hist_datafusion"]),
        ("assay index / wc -l", "assay_index", ["wc_l"]),
    ]:
        v, why = ratio(rows, num, dens)
        rr = round_ratios(rows, num, dens) if v is not None else None
        per_round = (f"{statistics.median(rr):.2f} ({min(rr):.2f}–{max(rr):.2f})" if rr else "n/a")
        if v is None:
            print(f"| {label} | n/a ({why}) | n/a |")
        else:
            print(f"| {label} | {v:.2f} (vs `{why}`) | {per_round} |")


if __name__ == "__main__":
    main()
