"""Public pages benchmark: gunicorn (2 workers, production settings) on a throwaway SQLite database with the scale
conference (600 sessions, 400 speakers); requests/s and p99 of every public page and export, anonymous and signed
in (a real session of an attendee with starred sessions), next to /healthz in the same run, each printed as a ratio
to /healthz (target: 0.5 or more) with the size of the answer on the wire; then the first request of each page
after a publish. `--accept-encoding "gzip, deflate, br, zstd"` asks as Chrome does (default: no compression).

    .venv/bin/python bench/programme_bench.py [--seconds 5] [--threads 8] [--sessions 600] [--speakers 400]

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
        subprocess.run([*manage, PUBLISH], cwd=ROOT, env=env, check=True, timeout=120)
        print("\nFirst request of each page after a publish (target: under 300 ms):")
        for path in PAGES:
            for who in (None, cookie):
                started = time.perf_counter()
                load_once(port, path, who, encoding)
                visitor = "signed in" if who else "anonymous"
                print(f"{path:42} {visitor:10} {(time.perf_counter() - started) * 1000:8.1f} ms")
        return 0
    finally:
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
