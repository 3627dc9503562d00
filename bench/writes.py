"""
Create and update throughput of two servers side by side (this code against an older one on the
same database), wrk alternating which goes first each round.

    python bench/writes.py URL_A URL_B KEY_A KEY_B [ROUNDS=8] [SECS=4]

create: bench/wrk.lua's POSTs; update: bench/update.lua (a status move and a notes change to a
random candidate among the first 100,000). Prints median requests/s, p50 and the ratio A/B.
"""

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wrk(url: str, key: str, script: str, secs: int, post: bool) -> tuple[float, float, int]:
    env = dict(os.environ, TOKEN=key, IDS="100000", **({"POST": "1"} if post else {}))
    command = ["wrk", "-t2", "-c8", f"-d{secs}s", "-s", str(HERE / script), url]
    out = subprocess.run(command, env=env, capture_output=True, text=True).stdout
    found = re.search(r"RESULT rps=([\d.]+) p50_ms=([\d.]+) p99_ms=[\d.]+ non2xx=(\d+)", out)
    if not found:
        sys.exit(f"wrk gave no result for {url}:\n{out}")
    return float(found[1]), float(found[2]), int(found[3])


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    a, b, key_a, key_b = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    secs = int(sys.argv[6]) if len(sys.argv) > 6 else 4
    for name, script, path, post in [
        ("create", "wrk.lua", "/api/candidates", True),
        ("update", "update.lua", "/", False),
    ]:
        runs = {a: [], b: []}
        for number in range(rounds):
            for url, key in [(a, key_a), (b, key_b)][:: 1 if number % 2 == 0 else -1]:
                runs[url].append(wrk(url + path, key, script, secs, post))
        ratio = statistics.median(x[0] / y[0] for x, y in zip(runs[a], runs[b], strict=True))
        rps = {url: statistics.median(run[0] for run in runs[url]) for url in runs}
        p50 = {url: statistics.median(run[1] for run in runs[url]) for url in runs}
        bad = sum(run[2] for run in runs[a] + runs[b])
        print(
            f"{name:7} A {rps[a]:7.1f} rps p50 {p50[a]:5.2f} ms | B {rps[b]:7.1f} rps p50 {p50[b]:5.2f} ms "
            f"| A/B {ratio:.2f} | non-2xx {bad}"
        )


if __name__ == "__main__":
    main()
