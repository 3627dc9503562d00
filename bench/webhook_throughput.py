"""
Webhook throughput: how many deliveries per second one worker sends to a local receiver.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_webhooks REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/webhook_throughput.py [--events 20000] [--runs 3]

Migrates the database named by DATABASE_URL (emptying its deliveries), starts a receiver on
loopback (asyncio, keep-alive, answers 204 at once) and, per run, writes `--events` deliveries of
a candidate body as the outbox does, queues them in jobs of 100, and runs one `manage.py worker
--burst`. The rate is the deliveries over the time from the first attempt to the last (the
worker's start-up left out); prints each run and the median.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")
os.environ.setdefault("SECRET_KEY", "bench-webhooks-secret-key")
os.environ["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = "1"


def receiver(port_ready: list, counter: list) -> None:
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                await reader.readexactly(length)
                counter[0] += 1
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_ready.append(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max, Min

    from candidates.models import Candidate
    from recruitos.changes import Action, Change
    from webhooks.models import Attempt, Delivery, EventType, Subscription
    from webhooks.outbox import Outbox
    from webhooks.tasks import send_soon

    call_command("migrate", verbosity=0)
    port, counter = [], [0]
    threading.Thread(target=receiver, args=(port, counter), daemon=True).start()
    while not port:
        pass
    Delivery.objects.all().delete()
    Subscription.objects.all().delete()
    Subscription.objects.create(url=f"http://127.0.0.1:{port[0]}/hooks", events=[EventType.CANDIDATE_UPDATED])
    candidate = Candidate.objects.first() or Candidate.objects.create(
        first_name="Ada", last_name="Lovelace", email="bench-webhooks@example.com", position="Engineer"
    )
    rates = []
    for run in range(args.runs):
        notes = [Change(candidate, Action.UPDATED, {"notes": (None, f"note {n}")}) for n in range(args.events)]
        rows = [row for row, _ in Outbox().rows(notes)]
        Delivery.objects.bulk_create(rows, batch_size=2000)
        send_soon([str(row.pk) for row in rows])
        subprocess.run([sys.executable, "manage.py", "worker", "--burst", "--verbosity", "0"], cwd=ROOT, check=True)
        attempts = Attempt.objects.filter(delivery__in=[row.pk for row in rows])
        span = attempts.aggregate(first=Min("at"), last=Max("at"))
        delivered = Delivery.objects.filter(pk__in=[row.pk for row in rows], status="delivered").count()
        seconds = (span["last"] - span["first"]).total_seconds()
        rates.append(delivered / seconds)
        print(f"run {run + 1}: {delivered} of {len(rows)} delivered in {seconds:.1f} s: {rates[-1]:.0f} deliveries/s")
    print(f"median: {statistics.median(rates):.0f} deliveries/s (one worker; receiver got {counter[0]})")


if __name__ == "__main__":
    main()
