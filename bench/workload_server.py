"""The portal plus a minimal endpoint for bench/workload.py.

`/bench/minimal?<slots query>` returns the pre-encoded bytes of the slots endpoint's
answer for that query (fetched once, on first use, through the portal itself), so
wrk can compare the portal's hit path with a Flask view that only returns bytes.
"""
from flask import Response, request

from portal import create_app

app = create_app()
BODIES: dict[bytes, bytes] = {}


@app.route("/bench/minimal")
def minimal():
    body = BODIES.get(request.query_string)
    if body is None:
        body = app.test_client().get("/api/bookings/available-slots?" + request.query_string.decode()).get_data()
        BODIES[request.query_string] = body
    return Response(body, mimetype="application/json")
