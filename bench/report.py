"""
Latency of the pipeline report as one client sees it: `--samples` requests, one after another.

    python bench/report.py URL KEY [--samples 20] [--days 365] [--position P] [--source S]

Asks for the last `--days` days (today included), as JSON, and prints p50, p95 and the slowest.
"""

import argparse
import datetime
import statistics
import time
import urllib.parse
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("key")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--position")
    parser.add_argument("--source")
    args = parser.parse_args()
    today = datetime.date.today()
    asked = {"from": today - datetime.timedelta(days=args.days - 1), "to": today, "position": args.position,
             "source": args.source}  # fmt: skip
    query = urllib.parse.urlencode({name: value for name, value in asked.items() if value is not None})
    request = urllib.request.Request(
        f"{args.url}/api/reports/pipeline?{query}", headers={"Authorization": f"Bearer {args.key}"}
    )
    urllib.request.urlopen(request).read()  # warm: connections, caches
    times = []
    for _ in range(args.samples):
        started = time.perf_counter()
        body = urllib.request.urlopen(request).read()
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"report {query}: {len(body)} bytes; p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms over {len(times)} requests"
    )


if __name__ == "__main__":
    main()
