"""
The benchmark, in one command: a deterministic data set in PostgreSQL, this project served
by gunicorn as in production, and the same endpoints served by a bare WSGI floor
(bench/floor.py); wrk drives each over loopback, endpoint by endpoint, A B A B.

    .venv/bin/python bench/run.py                      # 100,000 candidates, 2 interviews each
    .venv/bin/python bench/run.py --candidates 1000000 --secs 5 --rounds 3

Prints requests/s, p50 and p99 per endpoint for both and the ratio project/floor; then,
with one client, p50/p95 per endpoint for the project, and each worker's resident memory.
Needs wrk (apt-get install wrk) and ../shared/peer/gen.py for the data. Bounded: every
wrk run lasts --secs; the whole run a few minutes at 100,000 candidates.
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
GEN = PROJECT.parent / "shared" / "peer" / "gen.py"
PYTHON = sys.executable
ENDPOINTS = [
    ("list50", "/api/candidates?limit=50"),
    ("list_phase_status", "/api/candidates?phase=2&status=Offer+Extended&limit=20"),
    ("search", "/api/candidates?search=sarah&limit=20"),
    ("detail", "/api/candidates/4242"),
    ("interviews_by_date", "/api/interviews?date={today}&limit=50"),
    ("interviews_by_cand", "/api/interviews?candidateId=4242"),
    ("stats", "/api/dashboard/stats"),
    ("create", "/api/candidates"),
]


def sh(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, env=env, text=True, capture_output=True, **kwargs).stdout


def prepare(args, env) -> str:
    data = Path(args.data or f"/tmp/recruitos-bench-{args.candidates}")
    if not (data / "candidates.csv").exists():
        print(sh(PYTHON, str(GEN), str(data), str(args.candidates)).strip())
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {args.database}")
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {args.database}")
    sh(PYTHON, "manage.py", "migrate", "--no-input", "-v0", env=env, cwd=PROJECT)
    print(sh(PYTHON, str(HERE / "load.py"), str(data), env=env, cwd=PROJECT).strip())
    out = sh(PYTHON, "manage.py", "create_demo_user", "--username", "bench", env=env, cwd=PROJECT)
    return re.search(r"API key: (\S+)", out).group(1)


def serve(app, port, env):
    server_env = {**env, "BIND": f"127.0.0.1:{port}"}
    process = subprocess.Popen([PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", app], cwd=PROJECT, env=server_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process


def wrk(url, key, post, secs, conns):
    env = {**os.environ, "TOKEN": key, **({"POST": "1"} if post else {})}
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{secs}s", "-s", str(HERE / "wrk.lua"), url],
                         env=env, capture_output=True, text=True, timeout=secs + 30).stdout  # fmt: skip
    found = re.search(r"RESULT rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) non2xx=(\d+)", out)
    return tuple(float(value) for value in found.groups())


def throughput(args, key, servers):
    today = datetime.date.today().isoformat()
    print(
        f"\n{'endpoint':20} {'ours rps':>9} {'p50':>7} {'p99':>7} {'floor rps':>10} {'p50':>7} {'p99':>7} {'ratio':>6}"
    )
    ratios = []
    for name, path in ENDPOINTS:
        results = {label: [] for label in servers}
        for _ in range(args.rounds):
            for label, port in servers.items():
                results[label].append(wrk(f"http://127.0.0.1:{port}{path.format(today=today)}", key,
                                          name == "create", args.secs, args.conns))  # fmt: skip
        ours, floor = ([statistics.median(run[i] for run in results[label]) for i in range(4)] for label in servers)
        ratios.append(ours[0] / floor[0])
        print(
            f"{name:20} {ours[0]:9.1f} {ours[1]:7.2f} {ours[2]:7.2f} {floor[0]:10.1f} {floor[1]:7.2f} {floor[2]:7.2f} "
            f"{ratios[-1]:6.2f}{'  (errors)' if ours[3] or floor[3] else ''}"
        )
    print(f"geometric mean ours/floor: {statistics.geometric_mean(ratios):.2f}")


def latency(args, key, port):
    today = datetime.date.today().isoformat()
    print(f"\none client, {args.samples} requests each: {'endpoint':20} {'p50 ms':>7} {'p95 ms':>7}")
    for name, path in ENDPOINTS[:-1]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path.format(today=today)}",
                                         headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        times = []
        for _ in range(args.samples):
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            times.append((time.perf_counter() - started) * 1000)
        cuts = statistics.quantiles(times, n=20)
        print(f"{'':36}{name:20} {statistics.median(times):7.2f} {cuts[18]:7.2f}")


def worker_memory(process):
    children = sh("pgrep", "-P", str(process.pid)).split()
    sizes = [int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) // 1024 for pid in children]
    print(f"\nworker resident memory after the run: {', '.join(f'{size} MB' for size in sizes)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--data", help="a gen.py data directory to reuse")
    parser.add_argument("--database", default="recruitos_bench")
    parser.add_argument("--secs", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--conns", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-load", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}", "DEBUG": "0",
           "SECRET_KEY": "bench-" + "k" * 50, "HTTPS": "0", "API_THROTTLE_RATE": "none", "LOG_LEVEL": "WARNING",
           "WEB_CONCURRENCY": str(args.workers)}  # fmt: skip
    key = prepare(args, env) if not args.skip_load else args_key(env)
    ours, floor = serve("recruitos.wsgi", 8300, env), serve("bench.floor:application", 8301, env)
    try:
        throughput(args, key, {"ours": 8300, "floor": 8301})
        latency(args, key, 8300)
        worker_memory(ours)
    finally:
        for process in (ours, floor):
            process.terminate()
            process.wait(timeout=30)


def args_key(env):
    out = sh(PYTHON, "manage.py", "create_demo_user", "--username", "bench", env=env, cwd=PROJECT)
    return re.search(r"API key: (\S+)", out).group(1)


if __name__ == "__main__":
    main()
