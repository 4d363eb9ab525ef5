"""Runs commands and prints each one's wall time (s) and peak RSS (MB) as
JSON, one line per command in the order given: the whole process, as the
user would run it. With REPEAT=k in the environment each command runs k
times and the median time is reported. Several commands, separated by `::`,
run in alternating rounds (a b c, a b c, …), so that a slow spell of the
machine falls on all of them alike rather than on whichever ran then.

Peak memory is the child's own high-water mark, read from GNU time's %M
(`/usr/bin/time` waits for the command itself). It is not this script's
`RUSAGE_CHILDREN`, which also counts the Python process a child starts as
before it execs the command (about 14 MB that no benchmarked program uses).
Usage: python3 measure.py CMD ARGS... [:: CMD ARGS...]..."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def split(args, separator="::"):
    """The commands in `args`, cut at each separator."""
    commands = [[]]
    for arg in args:
        if arg == separator:
            commands.append([])
        else:
            commands[-1].append(arg)
    return [c for c in commands if c]


def run_once(command):
    """(seconds, peak KB or None, stderr tail when it failed)."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seconds = time.perf_counter() - start
        lines = [line for line in report.read().splitlines() if line.strip()]
    if done.returncode or not lines:
        return seconds, None, done.stderr.decode(errors="replace")[-400:]
    # GNU time writes "Command exited with non-zero status" before %M on
    # failure; on success the last line is the figure.
    return seconds, int(lines[-1]), ""


commands = split(sys.argv[1:])
if not commands:
    sys.exit(__doc__)
runs = [{"times": [], "peaks_kb": [], "ok": True, "stderr": ""} for _ in commands]
for _ in range(int(os.environ.get("REPEAT", "1"))):
    for command, run in zip(commands, runs):
        seconds, peak_kb, stderr = run_once(command)
        run["times"].append(seconds)
        if peak_kb is None:
            run["ok"] = False
            run["stderr"] = stderr
        else:
            run["peaks_kb"].append(peak_kb)
for run in runs:
    print(json.dumps({
        "seconds": round(statistics.median(run["times"]), 4),
        "runs": len(run["times"]),
        "peak_mb": round(max(run["peaks_kb"], default=0) / 1024, 1),
        "ok": run["ok"],
        "stderr": run["stderr"],
    }))
