"""
A short soak: mixed reads and writes through gunicorn against PostgreSQL, then a check that
nothing was lost. Loopback only; bounded by --minutes; stops by itself.

    .venv/bin/python bench/soak.py                 # 3 minutes, 8 clients, on recruitos_soak

Each client loops: create a candidate, read lists and details, update a field, schedule an
interview, delete some of what it created. Every acknowledged (2xx) create and delete is
remembered. Afterwards: every acknowledged create is stored unless acknowledged deleted,
every acknowledged delete is gone, the dashboard's counts equal the tables' counts, no
response was a 5xx, and the workers' memory, read after each of three equal phases, does
not keep growing.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8310


def call(method, path, body=None, key=None):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None)  # fmt: skip
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Client(threading.Thread):
    def __init__(self, number, key, until, ledger):
        super().__init__(daemon=True)
        self.number, self.key, self.until, self.ledger = number, key, until, ledger
        self.random = random.Random(number)

    def run(self):
        mine, n = [], 0
        while time.monotonic() < self.until:
            n += 1
            body = {"firstName": "Soak", "lastName": f"C{self.number}", "email": f"soak-{self.number}-{n}@example.com",
                    "position": "Developer", "status": self.random.choice(["New", "Screened", "Hired"])}  # fmt: skip
            status, content = self.record(call("POST", "/api/candidates", body, self.key))
            if status == 201:
                mine.append(json.loads(content)["id"])
                self.ledger["created"].add(mine[-1])
            self.record(call("GET", "/api/candidates?limit=20&phase=1", key=self.key))
            if mine:
                pick = self.random.choice(mine)
                self.record(call("GET", f"/api/candidates/{pick}", key=self.key))
                self.record(call("PATCH", f"/api/candidates/{pick}", {"notes": f"round {n}"}, self.key))
                self.record(call("POST", "/api/interviews", {"candidateId": pick, "interviewer": "Soak",
                                                             "scheduledDate": "2031-03-04T10:00:00Z"}, self.key))  # fmt: skip
            if len(mine) > 5 and self.random.random() < 0.3:
                gone = mine.pop(self.random.randrange(len(mine)))
                if self.record(call("DELETE", f"/api/candidates/{gone}", key=self.key))[0] == 204:
                    self.ledger["deleted"].add(gone)
            self.record(call("GET", "/api/dashboard/stats", key=self.key))

    def record(self, result):
        self.ledger["requests"] += 1
        if result[0] >= 500:
            self.ledger["errors"].append(result)
        return result


def worker_memory(server):
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    return sorted(int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) // 1024
                  for pid in children)  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database", default="recruitos_soak")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}", "DEBUG": "0",
           "SECRET_KEY": "soak-" + "k" * 50, "HTTPS": "0", "API_THROTTLE_RATE": "none", "LOG_LEVEL": "WARNING",
           "WEB_CONCURRENCY": "2", "BIND": f"127.0.0.1:{PORT}", "GUNICORN_MAX_REQUESTS": "0"}  # fmt: skip
    for sql in (f"DROP DATABASE IF EXISTS {args.database}", f"CREATE DATABASE {args.database}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "seed_demo_data", "--candidates", "5000"], cwd=PROJECT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    out = subprocess.run([PYTHON, "manage.py", "create_demo_user", "--username", "soak"], cwd=PROJECT, env=env,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    key = re.search(r"API key: (\S+)", out).group(1)
    # Workers are not recycled (max_requests 0), so memory growth would show.
    server = subprocess.Popen([PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recruitos.wsgi"], cwd=PROJECT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    ledger = {"created": set(), "deleted": set(), "requests": 0, "errors": []}
    try:
        time.sleep(3)
        phase = args.minutes * 60 / 3
        for number in range(3):
            started = time.monotonic()
            clients = [Client(number * 100 + i, key, started + phase, ledger) for i in range(args.clients)]
            for client in clients:
                client.start()
            for client in clients:
                client.join(timeout=phase + 60)
            print(f"phase {number + 1}: {ledger['requests']} requests so far, worker memory {worker_memory(server)} MB")
        stats = json.loads(call("GET", "/api/dashboard/stats", key=key)[1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    check(env, ledger, stats)


def check(env, ledger, stats):
    script = (
        "import json; from candidates.models import Candidate; "
        f"ids = set(Candidate.objects.filter(pk__in={sorted(ledger['created'])!r}).values_list('pk', flat=True)); "
        "print(json.dumps({'present': sorted(ids), 'total': Candidate.objects.count(), "
        "'phase1': Candidate.objects.filter(phase=1).count(), 'hired': Candidate.objects.filter(status='Hired').count()}))"
    )
    found = json.loads(subprocess.run([PYTHON, "manage.py", "shell", "-v0", "-c", script], cwd=PROJECT, env=env,
                                      check=True, capture_output=True, text=True).stdout)  # fmt: skip
    present = set(found["present"])
    lost = ledger["created"] - ledger["deleted"] - present
    resurrected = ledger["deleted"] & present
    print(f"requests: {ledger['requests']}, 5xx: {len(ledger['errors'])}, acknowledged creates: "
          f"{len(ledger['created'])}, acknowledged deletes: {len(ledger['deleted'])}")  # fmt: skip
    print(f"lost creates: {len(lost)}, deleted but present: {len(resurrected)}")
    tables = (found["total"], found["phase1"], found["hired"])
    dashboard = (stats["totalCandidates"], stats["phase1Count"], stats["hiredCount"])
    print(f"dashboard (total, phase 1, hired) {dashboard} vs tables {tables}")
    ok = not lost and not resurrected and not ledger["errors"] and dashboard == tables
    print("CONSISTENT" if ok else "INCONSISTENT")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
