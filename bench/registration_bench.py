"""Registration benchmark: registrations per minute through gunicorn over HTTP on PostgreSQL, with 32
concurrent clients, each POSTing the real form at /vilnius-2017/register/ with its own signed-in session
(verified account, session row, CSRF cookie). Every registration runs the whole path: session and user
lookup, the form, services.register (row lock on the type, seat count, insert, audit row) and, after the
commit, the email (written to files) with the .ics and, for confirmed ones, the badge PDF.

    .venv/bin/python bench/registration_bench.py [--registrations 3000] [--capacity 1000] [--clients 32]
        [--database-url postgres://postgres@127.0.0.1:5432/hrne_registration_bench]

Afterwards it counts confirmed against capacity (zero oversell wanted), waitlisted, and people with more
than one registration. The bench database is dropped and created anew; loopback only, bounded loops; the
temporary folder is removed at the end. Target: at least 1,500 registrations per minute, zero oversell."""

import argparse
import http.client
import os
import queue
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import django
import psycopg
from gunicorn_server import PYTHON, ROOT, free_port, server_environment, start_gunicorn, stop_gunicorn

FORM_PATH = "/vilnius-2017/register/"
TYPE_SLUG = "bench-seats"


def recreate_database(database_url):
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def parse_with_database(parser, name):
    """The command line, with --database-url: a PostgreSQL database (`name` on loopback by default) that the
    benchmark drops and makes again."""
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{name}", help="dropped first")
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark measures PostgreSQL: --database-url must be postgres://…")
    return options


def prepare_demo_database(database_url, env):
    """A fresh database with the demo conference, migrated and with static files collected; this process then
    works in `env`, as the servers do."""
    print("Preparing PostgreSQL (migrate, load_demo, accounts and sessions)…", flush=True)
    recreate_database(database_url)
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))


def prepare_accounts(count, capacity):
    """Verified accounts with a signed-in session each, and the benchmark's registration type."""
    # Django is set up here, once main() has put the bench database into the environment: these imports need
    # the settings and a ready app registry, so they cannot sit at the top of this script.
    django.setup()
    from allauth.account.models import EmailAddress  # noqa: PLC0415
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: PLC0415
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415
    from django.contrib.sessions.models import Session  # noqa: PLC0415
    from django.db import connections  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from wagtail.models import Locale  # noqa: PLC0415

    from conference.models import ConferencePage  # noqa: PLC0415
    from registration.models import RegistrationType  # noqa: PLC0415

    conference = ConferencePage.objects.get(slug="vilnius-2017", locale=Locale.get_default())
    RegistrationType.objects.update_or_create(
        conference=conference, slug=TYPE_SLUG, defaults={"name": "Benchmark seats", "capacity": capacity}
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bench{n}@example.org", email=f"bench{n}@example.org", password="!unusable")
            for n in range(count)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    store = SessionStore()
    expiry = timezone.now() + timedelta(days=1)
    sessions = []
    for user in users:
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
    Session.objects.bulk_create(sessions)
    connections.close_all()
    return [session.session_key for session in sessions]


def register_all(port, session_keys, clients):
    """POST the form once per session from `clients` keep-alive connections; returns (seconds, latencies, errors)."""
    work = queue.Queue()
    for key in session_keys:
        work.put(key)
    latencies, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, failed = [], []
        start.wait()
        while True:
            try:
                key = work.get_nowait()
            except queue.Empty:
                break
            csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
            body = urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "registration_type": TYPE_SLUG,
                    "full_name": "Bench Person",
                    "badge_name": "Bench",
                    "organisation": "Benchmark Org",
                    "country": "LT",
                    "consent_privacy": "on",
                }
            )
            headers = {
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={key}; csrftoken={csrf}",
            }
            began = time.perf_counter()
            try:
                connection.request("POST", FORM_PATH, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                failed.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if response.status != 302 or response.getheader("Location") != "/my/":
                failed.append(f"HTTP {response.status}")
            else:
                mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    pool = [threading.Thread(target=client) for _ in range(clients)]
    for thread in pool:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join(timeout=900)
    return time.perf_counter() - began, sorted(latencies), errors


def cpu_seconds(pids):
    """User + system CPU time of the given processes, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def server_pids(master_pid, database_url):
    """gunicorn's master and workers, and the PostgreSQL backends connected to the bench database."""
    pids = {master_pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master_pid:
                pids.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url) as connection:
        backends = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchall()
    return pids | {pid for (pid,) in backends}


def count_outcome(database_url):
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """SELECT t.capacity,
                      count(*) FILTER (WHERE r.status = 'confirmed'),
                      count(*) FILTER (WHERE r.status = 'waitlisted'),
                      count(*)
               FROM registration_registrationtype t
               LEFT JOIN registration_registration r ON r.registration_type_id = t.id
               WHERE t.slug = %s GROUP BY t.capacity""",
            [TYPE_SLUG],
        ).fetchone()
        duplicates = connection.execute(
            """SELECT count(*) FROM (SELECT user_id FROM registration_registration
               WHERE status IN ('confirmed', 'waitlisted', 'pending') AND user_id IS NOT NULL
               GROUP BY user_id, conference_id HAVING count(*) > 1) AS twice"""
        ).fetchone()[0]
    capacity, confirmed, waitlisted, total = rows
    return {"capacity": capacity, "confirmed": confirmed, "waitlisted": waitlisted, "total": total, "twice": duplicates}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=3000)
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    options = parse_with_database(parser, "hrne_registration_bench")
    workdir = Path(tempfile.mkdtemp(prefix="registration-bench-"))
    port = free_port()
    env = server_environment(workdir=workdir, database_url=options.database_url, EMAIL_FILE_PATH=str(workdir / "mail"))
    server = None
    try:
        prepare_demo_database(options.database_url, env)
        session_keys = prepare_accounts(options.registrations, options.capacity)
        server = start_gunicorn(port=port, env=env, workers=options.workers)
        print(
            f"{options.registrations} registrations for {options.capacity} seats from {options.clients} clients "
            f"(gunicorn, {options.workers} sync workers)…",
            flush=True,
        )
        cpu_before = cpu_seconds(server_pids(server.pid, options.database_url))
        seconds, latencies, errors = register_all(port, session_keys, options.clients)
        # Backends that connected during the run are counted whole; ones that closed are missed (conn_max_age
        # keeps them open), so this is a lower bound of the server side's CPU.
        cpu_used = cpu_seconds(server_pids(server.pid, options.database_url)) - cpu_before
        outcome = count_outcome(options.database_url)
        per_minute = len(latencies) / seconds * 60
        p50 = latencies[len(latencies) // 2] * 1000 if latencies else float("nan")
        p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000 if latencies else float("nan")
        oversold = max(outcome["confirmed"] - outcome["capacity"], 0)
        print(f"\nregistered          {len(latencies)} in {seconds:.1f} s, {len(errors)} errors")
        print(f"per minute          {per_minute:,.0f}")
        print(f"latency p50 / p99   {p50:.0f} ms / {p99:.0f} ms")
        if latencies:
            per_registration = cpu_used / len(latencies)
            print(
                f"server CPU          {per_registration * 1000:.1f} ms per registration (gunicorn + PostgreSQL), "
                f"i.e. {os.cpu_count() * 60 / per_registration:,.0f} per minute if all {os.cpu_count()} cores were free"
            )
            print(f"load average        {os.getloadavg()[0]:.1f} (other processes on this machine share the cores)")
        print(f"confirmed/capacity  {outcome['confirmed']}/{outcome['capacity']} (oversold: {oversold})")
        print(f"waitlisted          {outcome['waitlisted']}")
        print(f"people registered twice  {outcome['twice']}")
        if errors:
            print("first errors:", errors[:5])
        met = per_minute >= 1500 and oversold == 0 and not errors and outcome["twice"] == 0
        print("\nTarget (≥ 1,500 per minute, zero oversell):", "met" if met else "missed")
        return 0 if met else 1
    finally:
        stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
