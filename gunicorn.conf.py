"""
gunicorn settings for production: `gunicorn -c gunicorn.conf.py recruitos.wsgi`.

Every value can be set from the environment; the defaults suit a small machine.
"""

import logging
import multiprocessing
import os
import socket

# A web request's SQL statement may run this long (PostgreSQL), so a stuck query ends with a
# 503 instead of holding a worker; commands and migrations run without this limit.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "15000")

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Processes: WEB_CONCURRENCY, else one per CPU. Each runs 2 threads: a request waiting on the
# database or a slow upload leaves the other free, and more threads only contend for the GIL
# (bench/README.md: with 4 threads, list and create requests/s fell 10-25% under load).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A worker whose main loop has been silent this long is replaced. With threads (gthread) the loop
# keeps running while a request works, so a slow request is not cut off by this: its SQL is
# bounded by DB_STATEMENT_TIMEOUT_MS (above), and the proxy's read timeout bounds the rest.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Each worker listens on its own SO_REUSEPORT socket, so the kernel spreads connections over
# the workers. With one shared socket, whichever worker accepts first takes the connection
# and keeps it (keep-alive): under load from a few clients (a proxy, the frontend's browsers)
# one worker did all the work while the other idled (bench/README.md: detail 540 → 860-1000
# requests/s with 2 workers). GUNICORN_REUSE_PORT=0 goes back to one shared socket.
# Only for one TCP address with a fixed port: each worker binds its own socket, so a Unix
# socket path, port 0 or systemd's sockets (LISTEN_FDS) keep gunicorn's one shared socket.
_tcp_with_port = not bind.startswith(("unix:", "fd://")) and not bind.endswith(":0") and "," not in bind
reuse_port = (
    os.environ.get("GUNICORN_REUSE_PORT", "1").lower() not in {"0", "false", "no", "off"}
    and _tcp_with_port
    and "LISTEN_FDS" not in os.environ
)
# Workers are not recycled by default: memory stays flat under load (bench/soak.py), a
# recycled worker spends a second booting Django, and with per-worker sockets the connections
# queued at the one leaving are reset (unless the host sets net.ipv4.tcp_migrate_req=1).
# GUNICORN_MAX_REQUESTS=N recycles each worker after about N requests.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Proxies whose X-Forwarded-* headers are trusted (the load balancer's address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs go to standard output. The application writes one structured line per request
# (method, path, status, duration; never headers); gunicorn's own access log would repeat
# it, so it is off unless GUNICORN_ACCESS_LOG is set ("-" for standard output).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's control socket (`gunicornc`) is off unless given a path of its own: by default every
# gunicorn on the machine would share one path (~/.gunicorn/gunicorn.ctl).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")


class _ListeningAt(logging.Filter):
    """With a socket per worker the master holds none, and gunicorn would print "Listening at:" with no address."""

    def filter(self, record):
        if reuse_port and str(record.msg).startswith("Listening at:") and record.args and not record.args[0]:
            record.args = (f"http://{bind} (a socket per worker)", *record.args[1:])
        return True


logging.getLogger("gunicorn.error").addFilter(_ListeningAt())


def on_starting(server):
    """
    With per-worker sockets the master binds nothing, and a taken address would only make
    workers fail and be replaced forever: check it as gunicorn does with one socket, and stop.
    """
    if not server.cfg.reuse_port:
        return
    for host, port in server.cfg.address:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn's own sockets
            try:
                probe.bind((host, port))
            except OSError as error:
                server.log.error("Cannot listen at %s:%s: %s", host, port, error.strerror)
                raise SystemExit(1) from error
