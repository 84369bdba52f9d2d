#!/usr/bin/env python3
"""Benchmarks/labels_exact.py — how long until the Labels pane shows exact numbers,
next to DuckDB's label histogram and `assay stats`, all in one run. Not run by CI.

    usage: Benchmarks/labels_exact.py [FILE.jsonl] [RUNS]
           (defaults: /work/bench-data/c1m.jsonl, 5)

Each round, in this order:
  pane    launch `assay FILE` in a detached 200x50 tmux session (private socket), send
          `2` at once (the Labels pane), and poll `capture-pane -p` every 10 ms until
          its status line says `exact:`. Time from just before `tmux new-session`.
          The keys and the polls go through one tmux control-mode client (`tmux -C`)
          kept open for the round: starting a `tmux capture-pane` process every 10 ms
          took about 0.1 s of CPU from the scan being timed (2 cores).
  stats   `assay stats FILE > /dev/null`, wall time.
  duckdb  ../shared/bench/peers/hist_duckdb.py FILE (the label histogram alone), wall.
Prints the median of each and the ratios. The tmux floor (a shell printing a word,
seen the same way) is measured too, so the pane time can be read without it.

Environment: ASSAY_BIN (default .build/release/assay), BENCH_VENV (/work/bench-venv,
with duckdb), POLL (0.01 s), TIMEOUT (60 s), COMPARE_BIN (another build (or a script
running one) whose pane is timed in the same rounds, after ASSAY_BIN's).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILE = sys.argv[1] if len(sys.argv) > 1 else "/work/bench-data/c1m.jsonl"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
ASSAY = os.environ.get("ASSAY_BIN", os.path.join(REPO, ".build/release/assay"))
VENV = os.environ.get("BENCH_VENV", "/work/bench-venv")
POLL = float(os.environ.get("POLL", "0.01"))
TIMEOUT = float(os.environ.get("TIMEOUT", "60"))
COMPARE = os.environ.get("COMPARE_BIN")
DUCK = os.path.join(REPO, "..", "shared", "bench", "peers", "hist_duckdb.py")

tmpdir = tempfile.mkdtemp(prefix="assay-labels-bench-")
env = dict(os.environ, TMUX_TMPDIR=tmpdir, TERM="xterm-256color", LANG="C.UTF-8")
launches = 0
sock = ""


def new_server():
    """A fresh tmux server (socket) per launch: one still shutting down cannot get in the way."""
    global launches, sock
    launches += 1
    sock = f"assaylabels-{os.getpid()}-{launches}"


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", sock, *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=check, text=True).stdout


class Control:
    """A tmux control-mode client on session `b`: commands go over one connection, so
    polling does not start a process each time. `ignore-size`: the window keeps its size."""

    def __init__(self):
        self.p = subprocess.Popen(["tmux", "-L", sock, "-C", "attach-session", "-f", "ignore-size", "-t", "b"],
                                  env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, bufsize=1,
                                  errors="replace")  # %output lines may cut a character

    def command(self, line):
        """Run one tmux command; its output (the lines between %begin and %end)."""
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        out, inside = [], False
        while True:
            l = self.p.stdout.readline()
            if not l:
                sys.exit("the tmux control client ended")
            if l.startswith("%begin"):
                inside, out = True, []
            elif l.startswith("%end") or l.startswith("%error"):
                if inside:
                    return "".join(out)
            elif inside:
                out.append(l)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def until_screen_has(control, word):
    start = time.perf_counter()
    while time.perf_counter() - start < TIMEOUT:
        if word in control.command("capture-pane -p -t b"):
            return True
        time.sleep(POLL)
    return False


def timed_session(command, word, keys=None):
    """Seconds from just before `new-session` until the screen shows `word`."""
    new_server()
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", "b", "-x", "200", "-y", "50", command)
    control = Control()
    if keys:
        control.command(f"send-keys -t b {keys}")
    ok = until_screen_has(control, word)
    t = time.perf_counter() - t0
    control.close()
    tmux("kill-server", check=False)
    if not ok:
        sys.exit(f"the screen did not show {word!r} within the timeout")
    return t


def pane_once(binary=None):
    return timed_session(f"{binary or ASSAY} {FILE}", "exact:", keys="2")


def floor_once():
    return timed_session("echo floorword; sleep 5", "floorword")


def wall(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main():
    py = os.path.join(VENV, "bin", "python")
    rows = {"tmux floor": [], "assay: launch -> Labels pane exact": [], "assay stats": [], "DuckDB label histogram": []}
    if COMPARE:
        rows[f"pane, {COMPARE}"] = []
    wall([ASSAY, "stats", FILE])  # warm the page cache
    try:
        for _ in range(RUNS):
            rows["tmux floor"].append(floor_once())
            rows["assay: launch -> Labels pane exact"].append(pane_once())
            if COMPARE:
                rows[f"pane, {COMPARE}"].append(pane_once(COMPARE))
            rows["assay stats"].append(wall([ASSAY, "stats", FILE]))
            rows["DuckDB label histogram"].append(wall([py, DUCK, FILE]))
    finally:
        if sock:
            tmux("kill-server", check=False)
        shutil.rmtree(tmpdir, ignore_errors=True)
    duck = statistics.median(rows["DuckDB label histogram"])
    print(f"{FILE}, {RUNS} rounds, medians (s); ratio = time / DuckDB's")
    print("| measure | median s | min s | ratio |")
    print("|---|---:|---:|---:|")
    for k, v in rows.items():
        print(f"| {k} | {statistics.median(v):.3f} | {min(v):.3f} | {statistics.median(v) / duck:.2f} |")


main()
