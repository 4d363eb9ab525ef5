"""Runs a command and prints its wall time (s) and peak RSS (MB) as JSON:
the whole process, as the user would run it. With REPEAT=k in the
environment it runs k times and reports the median time.
Usage: python3 measure.py CMD ARGS..."""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

times = []
ok = True
stderr = ""
for _ in range(int(os.environ.get("REPEAT", "1"))):
    start = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    times.append(time.perf_counter() - start)
    if done.returncode:
        ok = False
        stderr = done.stderr.decode(errors="replace")[-400:]
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({
    "seconds": round(statistics.median(times), 3),
    "runs": len(times),
    "peak_mb": round(peak_kb / 1024, 1),
    "ok": ok,
    "stderr": stderr,
}))
