"""gunicorn settings for the portal: `gunicorn -c gunicorn.conf.py wsgi:app`.

Put a buffering reverse proxy (nginx or similar) in front and set
TRUSTED_PROXY_HOPS=1: it absorbs slow clients (a thread here is never tied up by a
client trickling a body or reading an answer slowly) and terminates HTTPS.
Each value can be changed from the environment (names below) without editing this file.
"""
import multiprocessing
import os
import sys

from gunicorn.glogging import Logger

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the portal, before gunicorn's chdir
from portal.secret_paths import RedactingFilter  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads: the portal waits on PostgreSQL and Redis most of the time. A request holds
# at most one pooled database connection (SQLAlchemy's default pool: 5 + 10 overflow
# per process), so threads stay below 15.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 8))

timeout = 30             # a worker silent this long is restarted
graceful_timeout = 30
keepalive = 5            # the proxy keeps connections open; do not hold them longer
max_requests = 5000      # recycle workers now and then (memory), with jitter
max_requests_jitter = 500

# Request limits. The request line may be gunicorn's maximum so that a long /api URL
# reaches the portal and gets its JSON 400/404 rather than gunicorn's own HTML page;
# the proxy in front should cap URLs at the same size. Bodies: MAX_CONTENT_LENGTH.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Access log to stdout, without query strings (they can carry personal data) and
# without secret path tokens: %(U)s is the path alone, no Referer is written, and the
# logger below redacts the token of a password link or a customer's booking link
# (`/password/[redacted]`, `/b/[redacted]`) in every access and error line
# (security.md "Serving"; the README's proxy example does the same in nginx).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


class RedactingLogger(Logger):
    """gunicorn's logger with secret path tokens redacted from every line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactingFilter) for f in log.filters):
                log.addFilter(RedactingFilter())


logger_class = RedactingLogger

# Prometheus counters of every worker: set PROMETHEUS_MULTIPROC_DIR to an empty directory.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
