"""Runs a command and prints its wall time (s) and peak RSS (MB) as JSON:
the whole process, as the user would run it.
Usage: python3 measure.py CMD ARGS..."""
import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({
    "seconds": round(seconds, 3),
    "peak_mb": round(peak_kb / 1024, 1),
    "ok": done.returncode == 0,
    "stderr": done.stderr.decode(errors="replace")[-400:] if done.returncode else "",
}))
