"""
gunicorn settings for production: `gunicorn -c gunicorn.conf.py recruitos.wsgi`.

Every value can be set from the environment; the defaults suit a small machine.
"""

import multiprocessing
import os

# A web request's SQL statement may run this long (PostgreSQL), so a stuck query ends with a
# 503 instead of holding a worker; commands and migrations run without this limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "15000")

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Processes: WEB_CONCURRENCY, else one per CPU. Each runs a few threads, as requests spend
# much of their time waiting for the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is cut off and its worker replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so slow leaks cannot build up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Proxies whose X-Forwarded-* headers are trusted (the load balancer's address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs go to standard output. The application writes one structured line per request
# (method, path, status, duration; never headers); gunicorn's own access log would repeat
# it, so it is off unless GUNICORN_ACCESS_LOG is set ("-" for standard output).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
