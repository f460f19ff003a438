"""Side by side with pretalx: our programme and pretalx's schedule, 600 talks each, both on SQLite, each
served by gunicorn with 2 sync workers on loopback, loaded one after the other with wrk (or a Python
client where wrk is missing) in alternating rounds, anonymous and signed in; prints medians per page.

    .venv/bin/python bench/pretalx_side_by_side.py [--talks 600] [--seconds 10] [--rounds 3] [--connections 16]

pretalx runs in its own venv under var/bench/ (kept between runs): pretalx 2026.2.1 on a Python 3.13 found
under pyenv, else pretalx 2023.1.3 on this Python 3.11. The first run installs it from PyPI; everything
else is loopback only and bounded in time. Signed-in visitors of pretalx load the schedule shell, its data
request and the favourites API; ours load the programme page. Temporary folders are removed at the end."""

import argparse
import glob
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from gunicorn_server import PYTHON, ROOT, free_port, server_environment, start_gunicorn, stop_gunicorn
from programme_bench import load as python_load

VENVS = ROOT / "var" / "bench"

PRETALX_SEED = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.conf import settings
# Nobody signs in with these passwords (the admin's session is made directly): cheap hashes make seeding
# 400 speakers take seconds instead of many minutes of PBKDF2.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.test import Client
from django_scopes import scope, scopes_disabled
from pretalx.event.models import Event, Organiser, Team
from pretalx.person.models import User
from pretalx.schedule.models import Room
from pretalx.submission.models import Submission, SubmissionType, Track

talks, speaker_count, new_api = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "new"
if new_api:
    from pretalx.event.domain.event import create_event
    from pretalx.event.domain.organiser import create_organiser_with_team
    from pretalx.person.domain.user import create_user
    from pretalx.schedule.domain.release import freeze_schedule
    from pretalx.schedule.domain.slot import move_slot
    from pretalx.submission.domain.submission import create_submission

start = dt.date(2017, 4, 4)
with scopes_disabled():
    if new_api:
        admin = create_user(email="admin@bench.example", name="Admin", password="bench admin pass 123")
        admin.is_administrator = True
        admin.save()
        organiser, team = create_organiser_with_team(name="Bench Org", slug="benchorg", users=[admin])
        event = create_event(organiser=organiser, locales=["en"], name="Bench", slug="bench", is_public=True,
                             date_from=start, date_to=start + dt.timedelta(days=2), timezone="Europe/Vilnius",
                             email="orga@bench.example", locale="en")
    else:
        admin = User.objects.create_user(email="admin@bench.example", password="bench admin pass 123",
                                         name="Admin", is_administrator=True)
        organiser = Organiser.objects.create(name="Bench Org", slug="benchorg")
        team = Team.objects.create(organiser=organiser, name="Orga", can_change_submissions=True,
                                   all_events=True, can_change_event_settings=True)
        team.members.add(admin)
        event = Event.objects.create(organiser=organiser, name="Bench", slug="bench", is_public=True,
                                     date_from=start, date_to=start + dt.timedelta(days=2),
                                     timezone="Europe/Vilnius", email="orga@bench.example", locale="en",
                                     locale_array="en")
with scope(event=event):
    talk_type = event.submission_types.first() or SubmissionType.objects.create(event=event, name="Talk")
    tracks = [Track.objects.create(event=event, name=f"Track {n}", color="#336699") for n in range(5)]
    rooms = [Room.objects.create(event=event, name=f"Room {n}", position=n) for n in range(10)]
    speakers = []
    for n in range(speaker_count):
        email, name = f"speaker{n}@bench.example", f"Speaker {n}"
        if new_api:
            speakers.append(create_user(email=email, name=name, event=event))
        else:
            speakers.append(User.objects.create_user(email=email, name=name, password=None))
    per_day = -(-talks // 3)
    for n in range(talks):
        speaker = speakers[n % len(speakers)]
        submission = Submission(event=event, title=f"Talk {n} about harm reduction", submission_type=talk_type,
                                track=tracks[n % 5], abstract="What we learnt. " * 8,
                                description="A longer description. " * 20, content_locale="en")
        if new_api:
            submission = create_submission(submission=submission, user=speaker, speakers=[speaker])
        else:
            submission.save()
            submission.speakers.add(speaker)
        submission.accept()
        submission.confirm()
        day, index = divmod(n, per_day)
        starts = event.datetime_from + dt.timedelta(days=day, hours=9, minutes=30 * (index // len(rooms)))
        slot = submission.slots.filter(schedule=event.wip_schedule).first()
        if new_api:
            move_slot(slot, starts, room=rooms[index % len(rooms)])
        else:
            slot.start, slot.room = starts, rooms[index % len(rooms)]
            slot.end = starts + dt.timedelta(minutes=slot.submission.get_duration())
            slot.save()
    if new_api:
        freeze_schedule(event.wip_schedule, "v1.0")
    else:
        event.wip_schedule.freeze("v1.0", notify_speakers=False)
client = Client()
client.force_login(admin)
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}))
"""

OUR_SESSION = r"""
import json
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
user = get_user_model().objects.create_user("bench@bench.example", "bench@bench.example", None)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
client = Client()
client.force_login(user)
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}))
"""


def pretalx_python():
    """(python, pretalx version, API generation) to run pretalx with."""
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python")))
    if found:
        return found[-1], "2026.2.1", "new"
    return sys.executable, "2023.1.3", "old"


def ensure_pretalx_venv():
    python, version, api = pretalx_python()
    venv = VENVS / f"pretalx-{version}"
    if not (venv / "bin" / "gunicorn").exists():
        print(f"Installing pretalx {version} into {venv} (once)…", flush=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                        f"pretalx=={version}", "gunicorn"], check=True, timeout=1800)  # fmt: skip
    return venv, version, api


def pretalx_environment(workdir, port):
    (workdir / "data").mkdir(parents=True, exist_ok=True)
    config = workdir / "pretalx.cfg"
    config.write_text(
        f"[filesystem]\ndata = {workdir / 'data'}\nstatic = {workdir / 'static'}\n"
        f"[site]\ndebug = False\nurl = http://127.0.0.1:{port}\n"
        f"[database]\nbackend = sqlite3\nname = {workdir / 'data' / 'db.sqlite3'}\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    env.update(PRETALX_CONFIG_FILE=str(config), DJANGO_SETTINGS_MODULE="pretalx.settings")
    return env


def start_pretalx(venv, env, port, workdir):
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "pretalx.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=workdir, env=env, start_new_session=True,
    )  # fmt: skip
    for _attempt in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    return server


def wrk(port, path, seconds, connections, cookie=None):
    """(requests/s, p99 ms, non-2xx or errors, bytes per response) from wrk, or the Python client."""
    url = f"http://127.0.0.1:{port}{path}"
    if shutil.which("wrk") is None:
        rate, p99, errors, _size = python_load(port, path, seconds, min(connections, 8), cookie=cookie)
        return rate, p99, errors, float("nan")
    # Browsers always offer compression; so do these requests.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
               "-H", "Host: 127.0.0.1", "-H", "Accept-Encoding: gzip, deflate, br"]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    if " 0 requests in" in output or "Requests/sec" not in output:
        print(f"wrk got no answers from {url}:\n{output}", file=sys.stderr)
        return 0.0, float("nan"), 1, float("nan")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99_value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(p99_value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    transferred = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", output).groups()
    size = float(transferred[0]) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[transferred[1]]
    return rate, p99, errors, size / max(1, requests)


def drain(port, path, cookie=None):
    """Wait until the requests wrk left queued behind gunicorn's sync workers are answered: a request sent
    now is served after them, so the next measurement starts on an idle server."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie or ""})
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            answer.read()
    except (OSError, urllib.error.HTTPError):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=600)
    parser.add_argument("--speakers", type=int, default=400)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args()
    venv, version, api = ensure_pretalx_venv()
    workdir = Path(tempfile.mkdtemp(prefix="pretalx-side-by-side-"))
    ours_port, pretalx_port = free_port(), free_port()
    ours_env = server_environment(workdir=workdir / "ours", database_url=f"sqlite:///{workdir / 'ours.sqlite3'}")
    (workdir / "ours").mkdir()
    pretalx_env = pretalx_environment(workdir / "pretalx", pretalx_port)
    ours = theirs = None
    try:
        print(f"Preparing both sites with {options.talks} talks (ours: migrate, load_demo, make_scale_conference; "
              f"pretalx {version}: migrate, seed)…", flush=True)  # fmt: skip

        def prepare_ours():
            for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"],
                            ["load_demo", "--no-registrations", "-v0"],
                            ["make_scale_conference", "--slug", "scale", "--sessions", str(options.talks),
                             "--speakers", str(options.speakers), "--registrations", "0"]):  # fmt: skip
                subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=ours_env, check=True, timeout=900,
                               stdout=subprocess.DEVNULL)  # fmt: skip

        preparing = threading.Thread(target=prepare_ours)
        preparing.start()
        pretalx_python_bin = str(venv / "bin" / "python")
        subprocess.run([pretalx_python_bin, "-m", "pretalx", "migrate", "-v0"], env=pretalx_env, check=True,
                       timeout=900, cwd=workdir)  # fmt: skip
        # Static files and the vite manifest the schedule page's template reads.
        subprocess.run([pretalx_python_bin, "-m", "pretalx", "rebuild", "--silent"], env=pretalx_env, check=True,
                       timeout=900, cwd=workdir, stdout=subprocess.DEVNULL)  # fmt: skip
        seeded = subprocess.run(
            [pretalx_python_bin, "-c", PRETALX_SEED, str(options.talks), str(options.speakers), api],
            env=pretalx_env, check=True, timeout=1800, capture_output=True, text=True, cwd=workdir,
        )  # fmt: skip
        pretalx_cookie = json.loads(seeded.stdout.strip().splitlines()[-1])["cookie"]
        preparing.join()
        ours_cookie = json.loads(
            subprocess.run([PYTHON, "-c", "import django; django.setup(); exec(open(0).read())"], input=OUR_SESSION,
                           cwd=ROOT, env=ours_env, check=True, capture_output=True, text=True).stdout.strip()
            .splitlines()[-1]
        )["cookie"]  # fmt: skip

        ours = start_gunicorn(port=ours_port, env=ours_env, workers=2)
        theirs = start_pretalx(venv, pretalx_env, pretalx_port, workdir)
        pages = [
            ("ours", "anonymous", "programme", ours_port, "/scale/programme/", None),
            ("ours", "signed in", "programme", ours_port, "/scale/programme/", ours_cookie),
            ("ours", "anonymous", "schedule.json", ours_port, "/scale/programme/schedule.json", None),
            ("ours", "anonymous", "/healthz", ours_port, "/healthz", None),
            ("pretalx", "anonymous", "schedule shell", pretalx_port, "/bench/schedule/", None),
            ("pretalx", "signed in", "schedule shell", pretalx_port, "/bench/schedule/", pretalx_cookie),
            ("pretalx", "signed in", "schedule data", pretalx_port, "/bench/schedule/widgets/schedule.json",
             pretalx_cookie),
            ("pretalx", "signed in", "favourites API", pretalx_port, "/api/events/bench/submissions/favourites/",
             pretalx_cookie),
            ("pretalx", "anonymous", "schedule.json", pretalx_port, "/bench/schedule.json", None),
        ]  # fmt: skip
        for site, _who, _what, port, path, cookie in pages:  # check each page once, then warm caches and workers
            check = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie or ""})
            try:
                with urllib.request.urlopen(check, timeout=120) as answer:
                    print(f"{site:8} {path}: {answer.status}, {len(answer.read()):,} bytes", flush=True)
            except urllib.error.HTTPError as error:
                print(f"{site:8} {path}: {error.code} (counted as errors below)", flush=True)
            wrk(port, path, 2, 4, cookie)
            drain(port, path, cookie)
        results = {page: [] for page in pages}
        for round_number in range(options.rounds):
            # Alternate the order so neither side always runs on a warmer (or busier) machine.
            order = pages if round_number % 2 == 0 else list(reversed(pages))
            for page in order:
                results[page].append(wrk(page[3], page[4], options.seconds, options.connections, page[5]))
                drain(page[3], page[4], page[5])
        print(f"\npretalx {version} vs ours, {options.talks} talks, SQLite, gunicorn 2 sync workers each, "
              f"wrk -t2 -c{options.connections} -d{options.seconds}s, medians of {options.rounds} rounds; "
              f"load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
        print("| site | visitor | page | req/s | p99 ms | errors | bytes per answer |")
        print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
        for page, runs in results.items():
            rate = statistics.median(run[0] for run in runs)
            p99 = statistics.median(run[1] for run in runs)
            errors = sum(run[2] for run in runs)
            size = statistics.median(run[3] for run in runs)
            print(
                f"| {page[0]} | {page[1]} | {page[2]} (`{page[4]}`) | {rate:.1f} | {p99:.0f} | {errors} | {size:,.0f} |"
            )
        return 0
    finally:
        stop_gunicorn(ours)
        stop_gunicorn(theirs)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
