"""The portal plus a minimal endpoint returning the same JSON body (for bench/cache.py).

`gunicorn -w 2 bench.cache_server:app` with DATABASE_URL and BENCH_SAMPLE_QUERY (the
query string of the slots request whose body the minimal endpoint returns).
"""
import os

from flask import jsonify

from portal import create_app

app = create_app()
SAMPLE = []


@app.route("/bench/minimal")
def minimal():
    return jsonify(SAMPLE)


with app.test_request_context():
    SAMPLE.extend(app.test_client().get(
        "/api/bookings/available-slots?" + os.environ["BENCH_SAMPLE_QUERY"]).get_json())
