"""gunicorn settings for production serving (``make serve`` uses them too).

Sized for a small machine: one worker process per core, a few threads each so
a worker keeps serving while a thread waits on PostgreSQL or Redis. Override
with WEB_CONCURRENCY / GUNICORN_THREADS / GUNICORN_BIND.

``preload_app`` stays off: each worker imports the app itself, so each holds
its own chart renderer (kaleido's chromium) and its own database connections,
and nothing forked shares state with another worker.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
preload_app = False
# Chart images render in chromium (CHART_RENDER_TIMEOUT, 30 s by default).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (e.g. in the renderer) cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Worker heartbeat files in memory: a slow disk cannot make gunicorn think a worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The app logs one JSON line per request (config.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
