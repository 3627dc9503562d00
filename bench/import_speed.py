"""
Import speed through the API: a file posted to `POST /api/imports`, run by one worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_imports REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/import_speed.py FILE.csv

Migrates the database named by DATABASE_URL (PostgreSQL, its name starting with "bench") and empties it (`flush`), makes a user and an API
key, serves the app with gunicorn (`gunicorn.conf.py`, DEBUG off) on a free loopback port, posts
FILE as a multipart upload (curl) and starts one `manage.py worker`. Prints the upload's time,
the job's own (its startedAt to its finishedAt), rows per second, and the whole from the first
byte posted to the job's end. A file is made by `python3 ../shared/peer/gen.py DIR N`.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")
os.environ.setdefault("SECRET_KEY", "bench-imports-secret-key-long-enough-0123456789")
os.environ.update(DEBUG="0", HTTPS="0", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, key: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must name a Redis database: the job runs in a worker")
    database = os.environ.get("DATABASE_URL", "")
    if not (database.startswith("postgres") and database.rsplit("/", 1)[-1].startswith("bench")):
        sys.exit("DATABASE_URL must name a PostgreSQL database whose name starts with bench: it is emptied")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    User.objects.create_superuser("bench", "bench@example.com", "bench-password-not-used")
    key = subprocess.run(
        [sys.executable, "manage.py", "create_api_key", "bench", "--name", "bench"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    port = free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recruitos.wsgi"], cwd=ROOT, env=env
    )
    worker = None
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/health")
                break
            except OSError:
                time.sleep(0.1)
        started = time.monotonic()
        posted = subprocess.run(
            ["curl", "-sS", "--fail-with-body", "-H", f"Authorization: Bearer {key}", "-F", f"file=@{args.file}",
             f"{base}/api/imports"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        uploaded = time.monotonic() - started
        job_id = json.loads(posted.stdout)["id"]
        worker = subprocess.Popen([sys.executable, "manage.py", "worker", "--verbosity", "0"], cwd=ROOT, env=env)
        while (job := get(f"{base}/api/imports/{job_id}", key))["status"] in ("queued", "running"):
            time.sleep(0.5)
        ended = time.monotonic() - started
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
        for process in (worker, server):
            if process is not None:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
    from django.utils.dateparse import parse_datetime

    took = (parse_datetime(job["finishedAt"]) - parse_datetime(job["startedAt"])).total_seconds()
    print(
        f"{args.file} ({args.file.stat().st_size / 1e6:.0f} MB): {job['status']}, {job['processed']} rows "
        f"({job['created']} created, {job['updated']} updated, {job['unchanged']} unchanged, {job['failed']} failed)"
    )
    print(f"upload {uploaded:.1f} s; job {took:.1f} s ({job['processed'] / took:,.0f} rows/s); all {ended:.1f} s")


if __name__ == "__main__":
    main()
