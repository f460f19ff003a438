"""The conference morning for locust, driven by bench/morning.py: attendees browse the programme and session
pages (signed in or not), star sessions and fetch their agenda feed, some register, and door scanners scan
a badge a second each. Ten simulated minutes are compressed into the run: think times are divided by
MORNING_COMPRESSION. What each client was told (registrations, check-ins) is written to MORNING_TOLD at the
end, for the driver to count against the database.

Input (environment): MORNING_DATA (JSON written by morning.py), MORNING_TOLD, MORNING_COMPRESSION."""

import itertools
import json
import os
import random
import re
import time
import uuid

import gevent
from locust import HttpUser, constant_throughput, events, task

DATA = json.loads(open(os.environ["MORNING_DATA"]).read())  # noqa: SIM115 - read once at import
COMPRESSION = float(os.environ.get("MORNING_COMPRESSION", "2"))
CSRF = DATA["csrf_secret"]  # a fixed 32-character CSRF secret, sent as cookie and header
CONFERENCE = DATA["conference"]
PROGRAMME = f"/{CONFERENCE}/programme/"
REGISTER = f"/{CONFERENCE}/register/"

attendee_numbers = itertools.count()
registrant_numbers = itertools.count()
scanner_numbers = itertools.count()
# A request still in flight when locust stops is told nothing: "in flight" entries and the scans_in_flight count let
# the driver allow for what the server may have done with it.
told = {"registrations": {}, "check_ins": [], "scan_errors": 0, "scans_in_flight": 0, "slow": []}
SLOW_MS = 300  # the page target: each slower answer is written down with when it came


@events.request.add_listener
def note_slow(request_type, name, response_time, **_kwargs):
    if response_time > SLOW_MS:
        told["slow"].append([time.time(), name, round(response_time)])


def think(_user, low, high):
    """A pause of `low`–`high` simulated seconds."""
    gevent.sleep(random.uniform(low, high) / COMPRESSION)


def once_then_idle(user):
    """Wait between tasks: none before the single visit, then idle to the end (a stopped locust user would be
    replaced by a new one with the same account; an idle one is simply cut off when the run ends)."""
    return 3600 if getattr(user, "done", False) else 0


def cookies_for(session_key):
    return {"sessionid": session_key, "csrftoken": CSRF} if session_key else {"csrftoken": CSRF}


class Attendee(HttpUser):
    """One visit in the morning: the programme, a few sessions, stars and the agenda feed when signed in,
    a second look after a coffee, then gone."""

    weight = 4
    wait_time = once_then_idle

    def on_start(self):
        number = next(attendee_numbers)
        signed_in = DATA["attendees"][number % len(DATA["attendees"])] if random.random() < DATA["signed_in"] else None
        self.session_key = signed_in["session"] if signed_in else None
        self.feed = signed_in["feed"] if signed_in else None
        self.client.cookies.update(cookies_for(self.session_key))
        self.kind = "signed in" if signed_in else "anonymous"
        self.done = False

    def get(self, path, name):
        with self.client.get(path, name=f"{name} ({self.kind})", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task
    def morning(self):
        if self.done:
            return
        think(self, 0, 60)
        self.get("/", "home")
        self.get(f"/{CONFERENCE}/", "conference")
        for _look in range(random.randint(1, 3)):
            self.get(PROGRAMME, "programme")
            for session in random.sample(DATA["sessions"], 3):
                think(self, 5, 30)
                self.get(session["url"], "session")
                if self.session_key and random.random() < 0.5:
                    self.client.post(
                        f"/agenda/star/{session['id']}/",
                        data={"starred": "1"},
                        headers={"X-CSRFToken": CSRF, "Accept": "application/json", "Referer": self.host + "/"},
                        name="star",
                    )
            if self.feed:
                self.client.get(f"/agenda/{self.feed}.ics", name="agenda feed")
            elif random.random() < 0.2:
                self.get(PROGRAMME + "schedule.ics", "schedule.ics")
            think(self, 60, 180)
        self.done = True


class Registrant(HttpUser):
    """Signed in with a verified address, opens the form, fills it in, submits once."""

    fixed_count = int(os.environ.get("MORNING_REGISTRANTS", "200"))
    wait_time = once_then_idle

    def on_start(self):
        self.me = DATA["registrants"][next(registrant_numbers) % len(DATA["registrants"])]
        self.client.cookies.update(cookies_for(self.me["session"]))
        self.done = False

    @task
    def register(self):
        if self.done:
            return
        self.done = True
        think(self, 0, 120)
        self.client.get(REGISTER, name="register form")
        think(self, 20, 60)
        told["registrations"][self.me["user"]] = "in flight"
        with self.client.post(
            REGISTER,
            data={
                "csrfmiddlewaretoken": CSRF,
                "full_name": f"Morning Person {self.me['user']}",
                "badge_name": "Morning",
                "organisation": "Bench",
                "country": "LT",
                "registration_type": DATA["registration_type"],
                "consent_privacy": "on",
            },
            headers={"Referer": self.host + REGISTER},
            allow_redirects=False,
            name="register",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith("/my/"):
                told["registrations"][self.me["user"]] = "registered"
            else:
                told["registrations"][self.me["user"]] = f"error {response.status_code}"
                response.failure(f"{response.status_code}")
        my = self.client.get("/my/", name="my")
        if my.status_code == 200 and re.search(r"[Ww]ait", my.text):
            told["registrations"][self.me["user"]] += " (waitlisted shown)"


class DoorScanner(HttpUser):
    """A phone at the door: one badge a second, its own queue of attendees, one in ten scanned twice."""

    fixed_count = int(os.environ.get("MORNING_SCANNERS", "8"))
    wait_time = constant_throughput(1)

    def on_start(self):
        number = next(scanner_numbers)
        self.badges = iter(DATA["badges"][number])
        self.checked = []
        self.client.cookies.update(cookies_for(DATA["door_sessions"][number]))

    @task
    def scan(self):
        code = random.choice(self.checked) if self.checked and random.random() < 0.1 else next(self.badges, None)
        if code is None:
            return
        # Not a `finally`: locust stops a user by raising GreenletExit in it, and that scan's outcome is unknown.
        told["scans_in_flight"] += 1
        self.post_scan(code)
        told["scans_in_flight"] -= 1

    def post_scan(self, code):
        with self.client.post(
            "/checkin/api/scan/",
            data=json.dumps({"code": code, "conference": CONFERENCE, "nonce": uuid.uuid4().hex}),
            headers={"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": self.host + "/checkin/"},
            name="scan",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                told["scan_errors"] += 1
                response.failure(f"{response.status_code}")
                return
            if response.json().get("result") == "checked_in":
                told["check_ins"].append(code)
                self.checked.append(code)


@events.quitting.add_listener
def write_told(environment, **_kwargs):
    with open(os.environ["MORNING_TOLD"], "w") as handle:
        json.dump(told, handle)
