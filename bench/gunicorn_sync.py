"""gunicorn settings of the benchmark servers (bench/workload.py): the issue's measurement
setup, not production's (gunicorn.conf.py: gthread workers, an access log line per request)."""
worker_class = "sync"
workers = 2
accesslog = None
loglevel = "warning"
