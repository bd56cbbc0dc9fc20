"""No log line carries a secret path token (security.md "Serving", issue 22 point 4):
gunicorn's access and error lines through the shipped gunicorn.conf.py, the README's
proxy example, and the portal's own security events."""
from __future__ import annotations

import http.client
import http.server
import io
import logging
import os
import re
import runpy
import shutil
import subprocess
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from sqlalchemy import text

from portal.secret_paths import REDACTED, SECRET_PATH_PREFIXES, redact
from tests.security.served import ROOT, free_port
from tests.security.served import _wait_for_port as wait_for_port

TOKEN = "oBiU4EZ3-secret_Token42"
SECRET_URLS = [prefix + TOKEN for prefix in SECRET_PATH_PREFIXES]


def shipped_logger():
    """gunicorn's logger as `gunicorn -c gunicorn.conf.py` builds it, writing into a buffer."""
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    log = cfg.logger_class(cfg)
    out = io.StringIO()
    for target in (log.access_log, log.error_log):
        handler = logging.StreamHandler(out)
        target.addHandler(handler)
    return log, out


def request_for(path: str):
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": path + "?lang=ne", "PATH_INFO": path, "QUERY_STRING": "lang=ne",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Mozilla/5.0",
        "HTTP_REFERER": "https://portal.example" + path,
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"]), ("HOST", "portal.example")])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Location", path)])
    return request, response, environ


def test_gunicorns_access_log_redacts_a_secret_link_token():
    log, out = shipped_logger()
    for path in SECRET_URLS + ["/people/"]:
        request, response, environ = request_for(path)
        log.access(response, request, environ, timedelta(milliseconds=12))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert all(TOKEN not in line and "lang=ne" not in line for line in lines), lines
    for prefix, line in zip(SECRET_PATH_PREFIXES, lines):
        assert f'"GET {prefix}{REDACTED} HTTP/1.1" 200' in line
    assert '"GET /people/ HTTP/1.1" 200' in lines[2]


def test_every_format_atom_is_redacted_too():
    """An operator who adds %(r)s, %(f)s or a header to the format still logs no token."""
    log, out = shipped_logger()
    log.cfg.set("access_log_format", '%(r)s %(U)s "%(f)s" %({referer}i)s %({location}o)s %({raw_uri}e)s')
    request, response, environ = request_for(SECRET_URLS[0])
    log.access(response, request, environ, timedelta(milliseconds=3))
    line = out.getvalue()
    assert TOKEN not in line and line.count(REDACTED) == 6, line


def test_gunicorns_error_log_redacts_the_request_path():
    log, out = shipped_logger()
    log.error("Error handling request %s", SECRET_URLS[0])
    try:
        raise RuntimeError("worker failed")
    except RuntimeError:
        log.exception("Error handling request %s", SECRET_URLS[1])
    text_out = out.getvalue()
    assert TOKEN not in text_out and text_out.count(REDACTED) == 2


def test_every_route_with_a_token_in_its_path_is_a_redacted_one(app):
    """A new secret link (the customers' `/b/<token>`) must be listed in
    SECRET_PATH_PREFIXES, or its token would reach the logs."""
    with_token = [rule.rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert "/password/<token>" in with_token
    for rule in with_token:
        assert rule.startswith(SECRET_PATH_PREFIXES), rule
        assert TOKEN not in redact(rule.replace("<token>", TOKEN))


def _readme_block(marker: str) -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```\n<!-- /{marker} -->", readme, re.S)
    assert match, f"README has no {marker} block"
    return match.group(1)


def test_the_readme_proxy_example_logs_no_token():
    config = _readme_block("proxy-example")
    formats = re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", config)
    assert formats, "the example defines its access log format"
    uses = re.findall(r"access_log\s+\S+\s+(\w+);", config)
    assert uses and set(uses) <= {name for name, _ in formats}  # never nginx's default "combined"
    for _, body in formats:
        variables = set(re.findall(r"\$(\w+)", body))
        # none of nginx's variables that carry the path, the query or the Referer
        assert not variables & {"request", "request_uri", "uri", "document_uri", "args", "query_string",
                                "http_referer", "request_body"}, variables
        path_vars = variables - {"remote_addr", "time_local", "time_iso8601", "request_method", "server_protocol",
                                 "status", "body_bytes_sent", "bytes_sent", "request_time", "http_user_agent",
                                 "upstream_response_time", "request_length", "host"}
        assert len(path_vars) == 1, path_vars
    logged = path_vars.pop()
    # the map that makes the logged path: applied here as nginx applies it (first regex that matches)
    block = re.search(r"map\s+\$uri\s+\$" + logged + r"\s*\{(.*?)\n\}", config, re.S)
    assert block, "the logged path comes from a map over $uri"
    entries = re.findall(r'^\s*"?(~[^"\s]+|default)"?\s+"?([^";]+)"?;', block.group(1), re.M)

    def logged_path(uri: str) -> str:
        for pattern, value in entries:
            if pattern == "default":
                continue
            found = re.match(pattern[1:].replace("(?<", "(?P<"), uri)
            if found:
                return re.sub(r"\$\{?(\w+)\}?", lambda m: found.group(m.group(1)), value)
        return dict(entries)["default"].replace("$uri", uri)

    for uri in SECRET_URLS:
        assert logged_path(uri) == uri[: -len(TOKEN)] + REDACTED
    assert logged_path("/people/") == "/people/"
    for prefix in SECRET_PATH_PREFIXES:  # the same prefixes as the portal's own logs
        assert prefix.strip("/") in block.group(1)


def test_a_security_event_on_a_secret_path_keeps_no_token(app, client, raw):
    response = client.post(SECRET_URLS[0], data={"new_password": "x"})  # no CSRF token
    assert response.status_code == 400
    rows = raw.execute(text(f"SELECT details FROM {raw.private('service_management_log')}"
                            " WHERE action = 'csrf_failure'")).scalars().all()
    assert rows and all(TOKEN not in str(details) for details in rows)
    assert any(f"/password/{REDACTED}" in str(details) for details in rows)


class _Upstream(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_readme_proxy_example_run_by_nginx_logs_no_token(tmp_path):
    """The example itself, served by nginx (when installed) in front of a stand-in portal."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not binary:
        pytest.skip("nginx is not installed")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = free_port()
    example = _readme_block("proxy-example")
    example = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", example)
    example = re.sub(r"\n\s*ssl_certificate\S*\s+[^;]+;", "", example)
    example = example.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream.server_address[1]}")
    example = example.replace("/var/log/nginx/", f"{tmp_path}/")
    temp = " ".join(f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/main.error.log;\n"
        f"events {{}}\nhttp {{ {temp}\n{example}\n}}\n")
    nginx = subprocess.Popen([binary, "-p", str(tmp_path), "-e", f"{tmp_path}/main.error.log",
                              "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        wait_for_port(port, nginx)
        for path in SECRET_URLS + ["/people/"]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path + "?lang=ne", headers={"Referer": f"https://portal.example{path}"})
            assert connection.getresponse().status == 200
            connection.close()
    finally:
        nginx.terminate()
        nginx.wait(10)
        upstream.shutdown()
    log = (tmp_path / "kb_portal.access.log").read_text()
    assert len(log.splitlines()) == 3, log
    assert TOKEN not in log and "lang=ne" not in log, log
    for prefix in SECRET_PATH_PREFIXES:
        assert f'"GET {prefix}{REDACTED} HTTP/1.1" 200' in log
    assert '"GET /people/ HTTP/1.1" 200' in log
