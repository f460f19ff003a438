"""Public pages benchmark: gunicorn (2 workers, production settings) on a throwaway SQLite database with the scale
conference (600 sessions, 400 speakers); requests/s and p99 of every public page and export, anonymous and signed
in (a real session of an attendee with starred sessions), next to /healthz in the same run, each printed as a ratio
to /healthz (target: 0.5 or more) with the size of the answer on the wire; then the first request of each page
after a publish, once with no worker running (the visitor renders) and once with a `manage.py worker` (as
bin/serve starts one) after it has finished the warm-up the publish queued (programme/warming.py).
`--accept-encoding "gzip, deflate, br, zstd"` asks as Chrome does (default: no compression).

    .venv/bin/python bench/programme_bench.py [--seconds 5] [--threads 8] [--sessions 600] [--speakers 400]

Loopback only, bounded loops; the temporary folder is removed at the end."""

import argparse
import http.client
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from gunicorn_server import PYTHON, ROOT, free_port, server_environment, start_gunicorn, stop_gunicorn

PAGES = [
    "/",
    "/scale/",
    "/scale/about/",
    "/scale/programme/",
    "/scale/programme/?day=2030-05-07",
    "/scale/programme/now/",
    "/scale/programme/session-1/",
    "/scale/speakers/",
    "/scale/speakers/speaker-1/",
    "/scale/programme/schedule.ics",
    "/scale/programme/schedule.json",
    "/ru/scale/programme/",
]

# A signed-in attendee with ten starred sessions; prints the session cookie. Run by `manage.py shell -c`.
SIGN_IN = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from conference.models import ConferencePage
from home.models import StandardPage
from programme.models import AgendaItem, SessionPage
conference = ConferencePage.objects.get(slug="scale")
if not StandardPage.objects.child_of(conference).filter(slug="about").exists():
    conference.add_child(instance=StandardPage(title="About", slug="about", intro="Travel and visas."))
user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"email": "bench@example.org"})
for session in SessionPage.objects.descendant_of(conference)[:10]:
    AgendaItem.objects.get_or_create(user=user, session=session, defaults={"conference": conference})
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
"""

# Publishes one session (as an organiser does in the admin): every stored page is retired.
PUBLISH = """
from programme.models import SessionPage
session = SessionPage.objects.get(slug="session-2", locale__language_code="en")
session.title = session.title + " (changed)"
session.save_revision().publish()
"""


WARM_UP_TASK = "programme.warming.warm_stored_pages"


def latest_warm_up(database):
    """(status, enqueued_at) of the newest warm-up task row, or None."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT status, enqueued_at FROM django_tasks_database_dbtaskresult WHERE task_path = ?"
            " ORDER BY enqueued_at DESC LIMIT 1",
            [WARM_UP_TASK],
        ).fetchone()


def wait_for_warm_up(database, after, timeout=60):
    """Seconds until the warm-up queued after the row `after` (None: any) has finished, or None on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        row = latest_warm_up(database)
        if row and row != after and row[0] in ("SUCCESSFUL", "FAILED"):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def first_requests(port, cookie, accept_encoding):
    """The time of the first request of each page, anonymous and signed in: {(path, who): ms}."""
    times = {}
    for path in PAGES:
        for who in (None, cookie):
            started = time.perf_counter()
            load_once(port, path, who, accept_encoding)
            times[(path, who)] = (time.perf_counter() - started) * 1000
    return times


def request_headers(cookie, accept_encoding):
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    return headers


def load(port, path, seconds, threads, *, cookie=None, accept_encoding=""):
    """Hammer one path from `threads` keep-alive clients for `seconds`; returns (requests/s, p99 ms, errors, size of
    the last answer's body in bytes)."""
    latencies, errors, size = [], [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=request_headers(cookie, accept_encoding))
                response = connection.getresponse()
                size[0] = len(response.read())
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
    return len(latencies) / seconds, p99, errors[0], size[0]


def load_once(port, path, cookie, accept_encoding):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=request_headers(cookie, accept_encoding))
    connection.getresponse().read()
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=600)
    parser.add_argument("--speakers", type=int, default=400)
    parser.add_argument("--port", type=int, default=0, help="loopback port for gunicorn (default: a free one)")
    parser.add_argument("--accept-encoding", default="", help="sent with every request (default: none)")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="programme-bench-"))
    port = options.port or free_port()
    env = server_environment(workdir=workdir, database_url=f"sqlite:///{workdir / 'db.sqlite3'}")
    server = worker = None
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
                str(options.speakers),
                "--registrations",
                "0",
            ],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
        manage = [PYTHON, "manage.py", "shell", "-c"]
        cookie = (
            subprocess.run(
                [*manage, SIGN_IN], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        server = start_gunicorn(port=port, env=env, workers=2)
        runs = [("/healthz", None)] + [(path, who) for path in PAGES for who in (None, cookie)]
        encoding = options.accept_encoding
        for path, who in runs:  # warm the caches and both workers
            load(port, path, 1, 2, cookie=who, accept_encoding=encoding)
        results = {
            (path, who): load(port, path, options.seconds, options.threads, cookie=who, accept_encoding=encoding)
            for path, who in runs
        }
        base_rate = results[("/healthz", None)][0]
        print(f"\nAccept-Encoding: {encoding or '(none)'}")
        print(f"{'path':42} {'visitor':10} {'req/s':>8} {'p99 ms':>8} {'errors':>6} {'ratio':>6} {'kB':>7}")
        for (path, who), (rate, p99, errors, size) in results.items():
            visitor, ratio = "signed in" if who else "anonymous", rate / base_rate
            print(f"{path:42} {visitor:10} {rate:8.1f} {p99:8.1f} {errors:6d} {ratio:6.2f} {size / 1000:7.1f}")
        failing = [
            f"{path} ({'signed in' if who else 'anonymous'})"
            for (path, who), (rate, *_rest) in results.items()
            if rate / base_rate < 0.5
        ]
        print("\nTarget (every ratio ≥ 0.5):", "met" if not failing else f"missed by {', '.join(failing)}")
        # Without a worker: the first visitor of each page renders it.
        subprocess.run([*manage, PUBLISH], cwd=ROOT, env=env, check=True, timeout=120)
        cold = first_requests(port, cookie, encoding)
        # With a worker: it re-renders the programme pages and exports once the publish commits.
        database = str(workdir / "db.sqlite3")
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
        )
        wait_for_warm_up(database, None)  # the warm-up the first publish queued
        before = latest_warm_up(database)
        subprocess.run([*manage, PUBLISH], cwd=ROOT, env=env, check=True, timeout=120)
        waited = wait_for_warm_up(database, before)
        warm = first_requests(port, cookie, encoding)
        load_average = os.getloadavg()
        print("\nFirst request of each page after a publish (target: under 300 ms):")
        print(f"{'path':42} {'visitor':10} {'no worker':>10} {'worker':>10}")
        for (path, who), milliseconds in cold.items():
            visitor = "signed in" if who else "anonymous"
            print(f"{path:42} {visitor:10} {milliseconds:7.1f} ms {warm[(path, who)]:7.1f} ms")
        finished = (
            f"finished {waited:.1f} s after the publish returned" if waited is not None else "not finished in 60 s"
        )
        print(f"\nWorker column: requested once the warm-up had {finished}.")
        print("Load average (1, 5, 15 min): " + ", ".join(f"{value:.2f}" for value in load_average))
        return 0
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)  # a warm-up in progress ends after its current render
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
