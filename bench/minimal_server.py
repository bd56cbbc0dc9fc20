"""The minimal app of bench/workload.py's throughput phase: a bare Flask app (no portal,
no hooks, no database) that answers `/bench/minimal?<slots query>` with the pre-encoded
bytes of the slots endpoint's answer for that query, read once at start from the JSON
file named by BENCH_BODIES ({query string: body}).
"""
import json
import os

from flask import Flask, Response, request

app = Flask(__name__)
with open(os.environ["BENCH_BODIES"], encoding="utf-8") as file:
    BODIES = {query.encode(): body.encode() for query, body in json.load(file).items()}


@app.route("/bench/minimal")
def minimal():
    return Response(BODIES[request.query_string], mimetype="application/json")
