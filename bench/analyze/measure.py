"""Runs a command and prints its wall time (s) and peak RSS (MB) as JSON:
the whole process, as the user would run it. With REPEAT=k in the
environment it runs k times and reports the median time.

Peak memory is the child's own high-water mark, read from GNU time's %M
(`/usr/bin/time` waits for the command itself). It is not this script's
`RUSAGE_CHILDREN`, which also counts the Python process a child starts as
before it execs the command (about 14 MB that no benchmarked program uses).
Usage: python3 measure.py CMD ARGS..."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

times = []
peaks_kb = []
ok = True
stderr = ""
for _ in range(int(os.environ.get("REPEAT", "1"))):
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *sys.argv[1:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        times.append(time.perf_counter() - start)
        lines = [line for line in report.read().splitlines() if line.strip()]
    if done.returncode or not lines:
        ok = False
        stderr = done.stderr.decode(errors="replace")[-400:]
    else:
        peaks_kb.append(int(lines[-1]))
print(json.dumps({
    "seconds": round(statistics.median(times), 3),
    "runs": len(times),
    "peak_mb": round(max(peaks_kb, default=0) / 1024, 1),
    "ok": ok,
    "stderr": stderr,
}))
