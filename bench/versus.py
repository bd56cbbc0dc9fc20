"""This checkout against another (`--base`, e.g. main in a temporary `git worktree`) on
the same database, same machine, same moment: the hit path and the days endpoint.

A scratch PostgreSQL database is migrated and seeded as bench/workload.py does (40
stylists × 5 services); each checkout serves it from its own gunicorn
(bench/gunicorn_sync.py: the issue's measurement setup, 2 sync workers); every key is
warmed through both. Then, `--runs` times, wrk (c = 8, 2 threads, `--seconds` each)
round-robins over 1,000 warmed slots keys and over 200 warmed 14-day ranges, against
the base and this checkout in alternating order. Reported: requests/s per side and
the median of the per-run ratios this / base (≥ 0.95: no slower within 5 %). The
machine is shared; pairs taken seconds apart are what the ratios compare.

    .venv/bin/python bench/versus.py --base /tmp/base --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cache import NO_LIMIT, free_port, migrate, seed  # noqa: E402
from bench.workload import get, scratch, throughput_keys, wrk  # noqa: E402


def serve(root: Path, url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "FLASK_SECRET_KEY": "bench", "FLASK_SLOTS_RATE_LIMIT": NO_LIMIT,
           "FLASK_RATELIMIT_STORAGE_URI": "memory+inline://", "PYTHONPATH": str(root)}
    process = subprocess.Popen([str(root / ".venv/bin/gunicorn"), "-c", str(ROOT / "bench/gunicorn_sync.py"),
                                "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=root, env=env, start_new_session=True)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{root}: the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the other checkout (its .venv, its wsgi.py)")
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--in-process", action="store_true",
                        help="instead of gunicorn and wrk: bench/hit_cpu.py in each checkout, alternately (CPU per request)")
    args = parser.parse_args()
    if args.in_process:
        return in_process(args)
    results: dict = {"load_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url, drop = scratch(args.postgres, tmp)
        servers = []
        try:
            migrate(url)
            files = throughput_keys(seed(url, 40), tmp)
            servers = [serve(Path(args.base).resolve(), url), serve(ROOT, url)]
            ports = {"base": servers[0][1], "this": servers[1][1]}
            import http.client
            for port in ports.values():  # every key warm in the database and in both processes' memos
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for name in ("slots", "days", "slots", "days"):
                    for path in Path(files[name]).read_text().split():
                        get(conn, path)
                conn.close()
                for name in ("slots", "days"):
                    wrk(port, files[name], 2, tmp)
            for name in ("slots", "days"):
                pairs = []
                for n in range(args.runs):
                    order = ("base", "this") if n % 2 == 0 else ("this", "base")
                    got = {side: wrk(ports[side], files[name], args.seconds, tmp) for side in order}
                    pairs.append((got["base"], got["this"]))
                    print(f"  {name} run {n}: base {got['base']:.0f}/s, this {got['this']:.0f}/s", flush=True)
                results[name] = {"base_rps": statistics.median(p[0] for p in pairs),
                                 "this_rps": statistics.median(p[1] for p in pairs),
                                 "this_over_base": statistics.median(b / a for a, b in pairs), "pairs": pairs}
        finally:
            for process, _ in servers:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(15)
            drop()
    results["load_at_end"] = os.getloadavg()
    print(json.dumps(results, indent=2))


def in_process(args) -> None:
    """bench/hit_cpu.py of each checkout (the base gets this one's copy), alternately,
    on one seeded database: CPU and wall time per cached request."""
    base = Path(args.base).resolve()
    (base / "bench/hit_cpu.py").write_text((ROOT / "bench/hit_cpu.py").read_text())
    results: dict = {"load_at_start": os.getloadavg(), "base": [], "this": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url, drop = scratch(args.postgres, tmp)
        try:
            migrate(url)
            salon = seed(url, 40)
            salon_file = tmp / "salon.json"
            salon_file.write_text(json.dumps({"stylists": salon["stylists"], "services": salon["services"],
                                              "today": salon["today"].isoformat()}))
            for n in range(args.runs):
                for side, root in ((("base", base), ("this", ROOT)) if n % 2 == 0 else (("this", ROOT), ("base", base))):
                    out = subprocess.run([str(root / ".venv/bin/python"), str(root / "bench/hit_cpu.py"), "--url", url,
                                          "--salon", str(salon_file)], cwd=root, capture_output=True, text=True,
                                         check=True, env={**os.environ, "PYTHONPATH": str(root)}).stdout
                    results[side].append(json.loads(out.strip().splitlines()[-1]))
                    print(f"  run {n} {side}: {results[side][-1]}", flush=True)
        finally:
            drop()
            (base / "bench/hit_cpu.py").unlink()
    for name in ("slots", "days"):
        for measure in ("cpu_us", "wall_us", "calls", "c_calls"):
            b = [r[name][measure] for r in results["base"]]
            t = [r[name][measure] for r in results["this"]]
            results[f"{name}_{measure}"] = {"base": statistics.median(b), "this": statistics.median(t),
                                            "this_over_base": statistics.median(y / x for x, y in zip(b, t))}
    results["load_at_end"] = os.getloadavg()
    print(json.dumps({k: v for k, v in results.items() if k not in ("base", "this")}, indent=2))


if __name__ == "__main__":
    main()
