"""Programme benchmark: gunicorn (2 workers, production settings) on a throwaway SQLite database with the
600-session scale conference; requests/s and p99 of the programme page, schedule.ics and schedule.json next to
/healthz in the same run, each printed as a ratio to /healthz (target: 0.5 or more).

    .venv/bin/python bench/programme_bench.py [--seconds 10] [--threads 8] [--sessions 600]

Loopback only, bounded loops; the temporary folder is removed at the end."""

import argparse
import http.client
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from gunicorn_server import PYTHON, ROOT, free_port, server_environment, start_gunicorn, stop_gunicorn

PATHS = ["/healthz", "/scale/programme/", "/scale/programme/schedule.ics", "/scale/programme/schedule.json"]


def load(port, path, seconds, threads, cookie=None):
    """Hammer one path from `threads` keep-alive clients for `seconds`; returns (requests/s, p99 ms, errors)."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
                if cookie:
                    headers["Cookie"] = cookie
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    return len(latencies) / seconds, p99, errors[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=600)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="programme-bench-"))
    port = free_port()
    env = server_environment(workdir=workdir, database_url=f"sqlite:///{workdir / 'db.sqlite3'}")
    server = None
    try:
        print("Preparing the database (migrate, collectstatic, load_demo, make_scale_conference)…", flush=True)
        for command in (
            ["migrate", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_demo", "--no-registrations", "-v0"],
            [
                "make_scale_conference",
                "--slug",
                "scale",
                "--sessions",
                str(options.sessions),
                "--speakers",
                "200",
                "--registrations",
                "0",
            ],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
        server = start_gunicorn(port=port, env=env, workers=2)
        for path in PATHS:  # warm the caches and both workers
            load(port, path, 1, 2)
        results = {path: load(port, path, options.seconds, options.threads) for path in PATHS}
        # With a (stale) session cookie the whole-response cache is skipped: Wagtail routes the request and the
        # page is rendered from the cached programme data, as for a signed-in visitor. Informative only.
        uncached = {
            path + " (cookie)": load(port, path, options.seconds, options.threads, cookie="sessionid=bench")
            for path in PATHS[1:2]
        }
        base_rate = results["/healthz"][0]
        print(f"\n{'path':40} {'req/s':>8} {'p99 ms':>8} {'errors':>6} {'ratio':>6}")
        for path, (rate, p99, errors) in results.items():
            print(f"{path:40} {rate:8.1f} {p99:8.1f} {errors:6d} {rate / base_rate:6.2f}")
        for path, (rate, p99, errors) in uncached.items():
            print(f"{path:40} {rate:8.1f} {p99:8.1f} {errors:6d} {rate / base_rate:6.2f}")
        failing = [path for path, (rate, _p99, _e) in results.items() if rate / base_rate < 0.5]
        print("\nTarget (every ratio ≥ 0.5):", "met" if not failing else f"missed by {', '.join(failing)}")
        return 0
    finally:
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
