"""Conference-morning load test: bin/cluster (nginx, two app servers each with a page pool and a door pool
for the check-in API, Redis, PostgreSQL) under locust (bench/morning_locustfile.py, headless): attendees
browsing signed in and not, starring, fetching agenda feeds, registrants and door scanners; one page pool
(app-a) killed halfway, the door pools left running (bin/cluster starts app-a again after --restart-delay
seconds). Afterwards the registrations and check-ins in the database are counted against
what the clients were told, and a table of p50/p99 per endpoint, errors and load average is printed (and
written as Markdown to --report).

    .venv/bin/python bench/morning.py [--attendees 1000] [--registrants 200] [--scanners 8]
        [--run-time 300] [--port 18520] [--database-url postgres://postgres@127.0.0.1:5432/hrne_morning_bench]

Ten simulated minutes are compressed into --run-time seconds. Loopback only, bounded in time: locust stops
after --run-time, the cluster is stopped and the benchmark database dropped at the end."""

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cpu_share import CpuShare
from gunicorn_server import PYTHON, ROOT, add_database_option, local_database

SIMULATED_SECONDS = 600
CSRF_SECRET = "morningcsrfsecret0123456789abcde"  # 32 characters, sent as cookie and header

SETUP = r"""
import json, sys
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.models import Locale
from conference.models import ConferencePage
from programme.agenda import issue_feed
from programme.models import SessionPage
from registration.badge_tokens import get_or_create_signing_key, issue_badge_token
from registration.models import Registration, RegistrationType

attendees, registrants, scanners, badges_each = (int(value) for value in sys.argv[1:5])
call_command("load_demo", door_staff="door@morning.example", password="morning door pass 1", verbosity=0)
conference = ConferencePage.objects.get(slug="vilnius-2017", locale=Locale.get_default())
User = get_user_model()

def make_users(prefix, count):
    users = User.objects.bulk_create(
        User(username=f"{prefix}{n}@morning.example", email=f"{prefix}{n}@morning.example", password="!")
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users

def session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

attendee_users = make_users("attendee", attendees)
registrant_users = make_users("registrant", registrants)
# Three in four registrants get a seat, the rest are waitlisted: the capacity is under pressure.
registration_type, _ = RegistrationType.objects.get_or_create(
    conference=conference, slug="morning", defaults={"name": "Morning", "capacity": registrants * 3 // 4}
)
door_type, _ = RegistrationType.objects.get_or_create(
    conference=conference, slug="door-bench", defaults={"name": "Participant", "capacity": scanners * badges_each}
)
Registration.objects.bulk_create(
    Registration(conference=conference, registration_type=door_type, status="confirmed",
                 full_name=f"Door Attendee {n}", badge_name=f"Door {n}", country="LT")
    for n in range(scanners * badges_each)
)
key = get_or_create_signing_key(conference)
tokens = [issue_badge_token(r, signing_key=key)
          for r in Registration.objects.filter(registration_type=door_type).select_related("conference").order_by("pk")]
door = User.objects.get(email="door@morning.example")
print(json.dumps({
    "conference": "vilnius-2017",
    "registration_type": registration_type.slug,
    "capacity": registration_type.capacity,
    "sessions": [{"id": page.pk, "url": page.url} for page in SessionPage.objects.live().descendant_of(conference)],
    "attendees": [{"session": session_of(user), "feed": issue_feed(user=user).token} for user in attendee_users],
    "registrants": [{"user": user.pk, "session": session_of(user)} for user in registrant_users],
    "door_sessions": [session_of(door) for _ in range(scanners)],
    "badges": [tokens[n * badges_each:(n + 1) * badges_each] for n in range(scanners)],
}))
"""

COUNT = r"""
import json, sys
from django.db.models import Count
from registration.models import CheckIn, Registration
told = json.load(open(sys.argv[1]))
registrants = [int(user) for user in json.loads(sys.argv[2])]
rows = Registration.objects.filter(user_id__in=registrants)
per_user = rows.values("user_id").annotate(n=Count("id"))
statuses = {}
for status in rows.values_list("status", flat=True):
    statuses[status] = statuses.get(status, 0) + 1
doubled_check_ins = CheckIn.objects.values("registration_id").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({
    "registrations": rows.count(),
    "users_with_two": sum(1 for row in per_user if row["n"] > 1),
    "users_in_db": sorted(row["user_id"] for row in per_user),
    "statuses": statuses,
    "check_ins": CheckIn.objects.filter(registration__registration_type__slug="door-bench").count(),
    "doubled_check_ins": doubled_check_ins,
}))
"""


def django_run(script, args, env, timeout=900):
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); exec(open(0).read())", *map(str, args)],
        input=script, cwd=ROOT, env=env, check=True, timeout=timeout, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def read_processes(cluster_dir):
    processes = {}
    for line in (cluster_dir / "processes.tsv").read_text().splitlines():
        name, pid, address = line.split("\t")
        processes[name] = (int(pid), address)
    return processes


def start_cluster(port, database_url, cluster_dir, restart_delay):
    env = dict(
        os.environ, PORT=str(port), DATABASE_URL=database_url, CLUSTER_DIR=str(cluster_dir),
        CLUSTER_RESTART_DELAY=str(restart_delay), LOG_LEVEL="ERROR", GUNICORN_ACCESS_LOG="",
        CLUSTER_ACCESS_LOG=str(cluster_dir / "access.log"),
    )  # fmt: skip
    log = open(cluster_dir / "cluster.log", "w")  # noqa: SIM115 - open for the cluster's lifetime
    cluster = subprocess.Popen([str(ROOT / "bin" / "cluster")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if cluster.poll() is not None:
            sys.exit(f"bin/cluster exited: {(cluster_dir / 'cluster.log').read_text()[-3000:]}")
        if "Cluster ready" in (cluster_dir / "cluster.log").read_text():
            return cluster
        time.sleep(1)
    raise RuntimeError("bin/cluster did not become ready in 10 minutes")


def pool_sizes(cluster_dir):
    """bin/cluster's line on its page and door pools: workers, threads and niceness."""
    lines = (cluster_dir / "cluster.log").read_text().splitlines()
    return next((line for line in lines if line.startswith("Page pools:")), "")


def stop_cluster(cluster):
    if cluster is not None and cluster.poll() is None:
        cluster.send_signal(signal.SIGTERM)  # bin/cluster stops every process it started
        cluster.wait(timeout=60)


def cluster_environment(port, database_url, cluster_dir):
    """What the app servers run with, for the set-up and counting scripts."""
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="conference.settings.production",
        SECRET_KEY=(cluster_dir / "secret_key").read_text().strip(),
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:{port + 10}/0",
        VAR_DIR=str(cluster_dir),
        MEDIA_ROOT=str(cluster_dir / "media"),
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="ERROR",
    )


def kill_app_server(cluster_dir, at, log, killed_at):
    time.sleep(at)
    pid, address = read_processes(cluster_dir)["app-a"]
    os.killpg(pid, signal.SIGKILL)
    killed_at.append(time.time())
    log.append(f"app-a (pid {pid}, {address}) killed with SIGKILL at {at:.0f} s")


def slow_answers(slow, killed_at, window, started_at):
    """Markdown lines: the answers over 300 ms per endpoint, how many came within `window` seconds after the
    kill (a server restarting: requests queued on the other one), and when each came."""
    if not slow:
        return ["No answer took over 300 ms."]
    after_kill = [row for row in slow if killed_at and 0 <= row[0] - killed_at[0] <= window]
    per_endpoint = {}
    for _when, name, _ms in slow:
        per_endpoint[name] = per_endpoint.get(name, 0) + 1
    listed = ", ".join(f"{name} {count}" for name, count in sorted(per_endpoint.items(), key=lambda item: -item[1]))
    return [
        f"Answers over 300 ms: {len(slow)} ({listed}); {len(after_kill)} of them in the {window} s after app-a was "
        f"killed; slowest {max(ms for _when, _name, ms in slow)} ms. When (s after locust started): "
        + ", ".join(f"{when - started_at:.0f} {name} {ms} ms" for when, name, ms in sorted(slow))
        + "."
    ]


NGINX_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* (?P<seconds>[\d.]+)$')


def server_side_times(access_log):
    """A Markdown line: p50/p99 of the scan, the registration form, the registration and every request as nginx
    timed them (`$request_time`, bin/cluster's access log): the server's side without the load generator's own
    delays (one gevent loop for a thousand users)."""
    times = {"scan": [], "register form": [], "register": [], "every request": []}
    for line in access_log.read_text().splitlines():
        match = NGINX_LINE.search(line)
        if match is None:
            continue
        seconds, method, path = float(match["seconds"]), match["method"], match["path"].split("?")[0]
        times["every request"].append(seconds)
        if path.endswith("/checkin/api/scan/"):
            times["scan"].append(seconds)
        elif path.endswith("/register/"):
            times["register" if method == "POST" else "register form"].append(seconds)

    def percentile(values, share):
        return round(sorted(values)[min(len(values) - 1, int(len(values) * share))] * 1000) if values else "-"

    listed = "; ".join(
        f"{name} {percentile(values, 0.5)} / {percentile(values, 0.99)} ms ({len(values)})"
        for name, values in times.items()
    )
    return f"As nginx timed them (p50 / p99, from the request's first byte to the answer's last): {listed}."


def percentile_table(stats_csv):
    rows = []
    with open(stats_csv) as handle:
        for row in csv.DictReader(handle):
            rows.append(
                (row["Name"], int(row["Request Count"]), int(row["Failure Count"]), row["50%"], row["99%"],
                 float(row["Requests/s"]))
            )  # fmt: skip
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=1000, help="simulated attendees, registrants included")
    parser.add_argument("--registrants", type=int, default=200)
    parser.add_argument("--scanners", type=int, default=8)
    parser.add_argument("--signed-in", type=float, default=0.6, help="share of browsing attendees signed in")
    parser.add_argument("--run-time", type=int, default=300, help="real seconds for the 10 simulated minutes")
    parser.add_argument("--restart-delay", type=int, default=10, help="seconds the killed app server stays down")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "18520")))
    parser.add_argument("--report", default="", help="also write the Markdown table to this file")
    add_database_option(parser, "hrne_morning_bench")
    options = parser.parse_args()
    admin_url, database_name = local_database(options.database_url)
    compression = SIMULATED_SECONDS / options.run_time
    workdir = Path(tempfile.mkdtemp(prefix="morning-bench-"))
    cluster_dir = workdir / "cluster"
    cluster_dir.mkdir()
    cluster = None
    try:
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{database_name}"'], check=True)
        print(f"Starting bin/cluster on port {options.port} with database {database_name}…", flush=True)
        cluster = start_cluster(options.port, options.database_url, cluster_dir, options.restart_delay)
        pools = pool_sizes(cluster_dir)
        env = cluster_environment(options.port, options.database_url, cluster_dir)
        badges_each = options.run_time + 30
        browsing = options.attendees - options.registrants
        print(f"Preparing {browsing} attendees, {options.registrants} registrants, {options.scanners} scanners…",
              flush=True)  # fmt: skip
        data = django_run(SETUP, [browsing, options.registrants, options.scanners, badges_each], env)
        data.update(csrf_secret=CSRF_SECRET, signed_in=options.signed_in)
        (workdir / "data.json").write_text(json.dumps(data))

        users = options.attendees + options.scanners
        spawn_rate = max(1.0, users / (options.run_time * 0.6))  # everybody has arrived at 60 % of the morning
        locust_env = dict(
            os.environ, MORNING_DATA=str(workdir / "data.json"), MORNING_TOLD=str(workdir / "told.json"),
            MORNING_COMPRESSION=str(compression), MORNING_REGISTRANTS=str(options.registrants),
            MORNING_SCANNERS=str(options.scanners),
        )  # fmt: skip
        command = [
            str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "morning_locustfile.py"), "--headless",
            "-u", str(users), "-r", f"{spawn_rate:.2f}", "--run-time", f"{options.run_time}s", "--stop-timeout", "10",
            "--host", f"http://127.0.0.1:{options.port}", "--csv", str(workdir / "locust"), "--only-summary",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        print(f"Running locust: {' '.join(command[1:])}", flush=True)
        events, loads, killed_at = [], [], []
        killer = threading.Thread(
            target=kill_app_server, args=(cluster_dir, options.run_time / 2, events, killed_at), daemon=True
        )
        sampler_stop = threading.Event()

        def sample_load():
            while not sampler_stop.wait(5):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample_load, daemon=True)
        started, started_at = time.monotonic(), time.time()
        killer.start()
        sampler.start()
        cpu = CpuShare(cluster_dir / "processes.tsv")
        cpu.start()
        subprocess.run(command, cwd=ROOT, env=locust_env, timeout=options.run_time + 120,
                       stdout=subprocess.DEVNULL, stderr=open(workdir / "locust.log", "w"))  # fmt: skip # noqa: SIM115
        sampler_stop.set()
        cpu.stop()
        elapsed = time.monotonic() - started
        told = json.loads((workdir / "told.json").read_text())
        restarted = read_processes(cluster_dir).get("app-a")
        counted = django_run(COUNT, [workdir / "told.json", json.dumps([r["user"] for r in data["registrants"]])], env)

        registered = {int(user) for user, said in told["registrations"].items() if said.startswith("registered")}
        failed = {int(user) for user, said in told["registrations"].items() if not said.startswith("registered")}
        in_flight = sum(said == "in flight" for said in told["registrations"].values())
        scans_in_flight = told.get("scans_in_flight", 0)
        in_db = set(counted["users_in_db"])
        told_check_ins = len(told["check_ins"])
        lines = [
            f"Morning: {options.attendees} attendees ({options.registrants} registering, {options.signed_in:.0%} of "
            f"the others signed in), {options.scanners} door scanners at 1 scan/s; {SIMULATED_SECONDS // 60} "
            f"simulated minutes in {options.run_time} s (locust ran {elapsed:.0f} s); "
            f"load average during the run: mean {sum(loads) / max(1, len(loads)):.1f}, "
            f"max {max(loads, default=0):.1f}.",
            pools,
            "; ".join(events) + (f"; bin/cluster restarted it as pid {restarted[0]}" if restarted else ""),
            "",
            "| endpoint | requests | failures | p50 ms | p99 ms | req/s |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, count, failures, p50, p99, rate in percentile_table(workdir / "locust_stats.csv"):
            lines.append(f"| {name} | {count} | {failures} | {p50} | {p99} | {rate:.1f} |")
        with open(workdir / "locust_failures.csv") as handle:
            failures = list(csv.DictReader(handle))
        if failures:
            lines += ["", "| failed requests | error | occurrences |", "| --- | --- | ---: |"]
            lines += [f"| {row['Method']} {row['Name']} | {row['Error']} | {row['Occurrences']} |" for row in failures]
        lines += [
            "",
            "| check | clients were told | database | verdict |",
            "| --- | ---: | ---: | --- |",
            f"| registrations | {len(registered)} registered, {len(failed) - in_flight} errors, {in_flight} in flight "
            f"at the end | {counted['registrations']} "
            f"({counted['statuses']}) | "
            + ("ok" if registered <= in_db and in_db - registered <= failed else "MISMATCH")
            + " |",
            f"| people with two registrations | 0 | {counted['users_with_two']} | "
            + ("ok" if counted["users_with_two"] == 0 else "DOUBLED")
            + " |",
            f"| confirmed within capacity {data['capacity']} | | {counted['statuses'].get('confirmed', 0)} | "
            + ("ok" if counted["statuses"].get("confirmed", 0) <= data["capacity"] else "OVERSOLD")
            + " |",
            f"| check-ins | {told_check_ins} checked in, {told['scan_errors']} scan errors, {scans_in_flight} in "
            f"flight at the end | {counted['check_ins']} | "
            + (
                "ok"
                if told_check_ins <= counted["check_ins"] <= told_check_ins + told["scan_errors"] + scans_in_flight
                else "MISMATCH"
            )
            + " |",
            f"| double check-ins | 0 | {counted['doubled_check_ins']} | "
            + ("ok" if counted["doubled_check_ins"] == 0 else "DOUBLED")
            + " |",
        ]
        lines += ["", server_side_times(cluster_dir / "access.log")]
        lines += ["", *slow_answers(told.get("slow", []), killed_at, options.restart_delay + 20, started_at)]
        lines += ["", "Where the CPU went (bench/cpu_share.py):", "", cpu.table()]
        report = "\n".join(lines)
        print("\n" + report)
        if options.report:
            Path(options.report).write_text(report + "\n")
        return 0
    finally:
        stop_cluster(cluster)
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{database_name}"'], check=False)
        print(f"Locust and cluster logs were in {workdir} (removed).")
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
