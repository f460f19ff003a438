"""In-process cost of the signed-in attendee's own requests: /my/ (English and Russian), starring and unstarring a
session (the programme's star form, POST /agenda/star/<id>/ as fetch sends it) and the private agenda feed
(/agenda/<token>.ics). Prints the queries of one request and the median, lowest and highest time of several.

    .venv/bin/python bench/my_page_bench.py [--requests 21] [--stars 20] [--cancelled 3] [--profile /my/]

It works on a throwaway copy of the SQLite database the settings name (migrate, load_demo and collectstatic
first), so the attendee it makes never reaches that database: a verified account with a confirmed registration
in the demo conference and `--cancelled` cancelled ones, each with answers to three questions (text, one
choice, several choices, with Russian choices), sign-ups for the demo's workshops, `--stars` starred sessions,
a calendar link and one unseen programme change. With `--scale-sessions N` the stars are in a scale conference
of N sessions (make_scale_conference) instead. Requests go through django.test.Client, the settings'
cache included (so the gathered programme is cached, as on a server). `--profile PATH` prints cProfile's top
functions of 20 requests of PATH after the timings."""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench.my@example.org"


def use_database_copy():
    """Point DATABASE_URL at a copy of the settings' SQLite file; returns the temporary folder to remove."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    if os.environ.get("DATABASE_URL"):
        sys.exit("This benchmark copies the SQLite database: unset DATABASE_URL.")
    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    source = var_dir / "db.sqlite3"
    if not source.exists():
        sys.exit(f"No database at {source}: run migrate, load_demo and collectstatic first.")
    folder = Path(tempfile.mkdtemp(prefix="my-page-bench-"))
    shutil.copy(source, folder / "db.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    return folder


def make_attendee(*, stars, cancelled, workshops=4, scale_sessions=0):
    """The attendee (see the module's docstring); returns (user, feed token, a session id they have not starred)."""
    from allauth.account.models import EmailAddress  # noqa: PLC0415
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from wagtail.models import Locale  # noqa: PLC0415

    from conference.models import ConferencePage  # noqa: PLC0415
    from programme import agenda  # noqa: PLC0415
    from programme.models import AgendaItem, SessionPage  # noqa: PLC0415
    from programme.release_models import ScheduleChange, ScheduleRelease  # noqa: PLC0415
    from registration import questions, services  # noqa: PLC0415
    from registration import workshops as workshop_signup  # noqa: PLC0415
    from registration.models import RegistrationQuestion, RegistrationType  # noqa: PLC0415

    conference = ConferencePage.objects.get(slug="vilnius-2017", locale=Locale.get_default())
    user = get_user_model().objects.create_user(username=EMAIL, email=EMAIL, password="bench pass phrase 42")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    registration_type = RegistrationType.objects.create(
        conference=conference, slug="bench-my", name="Bench", name_ru="Бенч", capacity=100
    )
    asked = [
        RegistrationQuestion.objects.create(registration_type=registration_type, text="Where from?", sort_order=1),
        RegistrationQuestion.objects.create(
            registration_type=registration_type,
            text="Meal",
            text_ru="Еда",
            kind=RegistrationQuestion.ONE_CHOICE,
            choices="Meat\nVegetarian",
            choices_ru="Мясо\nВегетарианская",
            sort_order=2,
        ),
        RegistrationQuestion.objects.create(
            registration_type=registration_type,
            text="Topics",
            text_ru="Темы",
            kind=RegistrationQuestion.SEVERAL_CHOICES,
            choices="Policy\nServices\nResearch",
            choices_ru="Политика\nУслуги\nИсследования",
            sort_order=3,
        ),
    ]
    answers = dict(zip(asked, ["Vilnius", "Vegetarian", ["Policy", "Research"]], strict=True))
    details = {"full_name": "Bench Attendee", "badge_name": "Bench", "organisation": "Bench Org", "country": "LT"}
    for _number in range(cancelled):
        registration = services.register(
            user=user, conference=conference, registration_type=registration_type, details=details
        )
        questions.save_answers(registration=registration, answers=answers)
        services.cancel(registration=registration, by=user)
    registration = services.register(
        user=user, conference=conference, registration_type=registration_type, details=details
    )
    questions.save_answers(registration=registration, answers=answers)
    sessions = list(
        SessionPage.objects.live().descendant_of(conference).filter(locale=conference.locale).order_by("start")
    )
    for session in [session for session in sessions if session.signup_capacity is not None][:workshops]:
        workshop_signup.sign_up(registration=registration, session=session)
    starrable = sessions
    if scale_sessions:
        from django.core.management import call_command  # noqa: PLC0415

        call_command("make_scale_conference", slug="scale", sessions=scale_sessions, registrations=0, verbosity=0)
        scale = ConferencePage.objects.get(slug="scale")
        starrable = list(SessionPage.objects.live().descendant_of(scale).order_by("start"))
    for session in starrable[:stars]:
        agenda.set_starred(user=user, session_id=session.pk, starred=True)
    release = ScheduleRelease.objects.create(conference=conference, number=999, name="bench")
    changed = sessions[0]
    ScheduleChange.objects.create(
        release=release,
        kind="moved",
        session=changed,
        translation_key=changed.translation_key,
        title=changed.title,
        old_start=changed.start,
        old_end=changed.end,
        new_start=changed.start,
        new_end=changed.end,
    )
    AgendaItem.objects.filter(user=user, session=changed).update(changed_in=release)
    feed = agenda.issue_feed(user=user)
    return user, feed.token, sessions[-1].pk


def measure(name, send, requests, before=lambda: None):
    """Queries of one request and the median, lowest and highest time of `requests` more, after two warm-ups;
    `before` runs untimed before each request."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    for _warm in range(2):
        before()
        send()
    before()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    # Read now: captured_queries reads the connection's log, which the next request empties.
    queries = captured.captured_queries
    assert response.status_code in (200, 302), (name, response.status_code)
    times = []
    for _number in range(requests):
        before()
        started = time.perf_counter()
        send()
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"| {name} | {len(queries)} | {statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |",
        flush=True,
    )
    return queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=21)
    parser.add_argument("--stars", type=int, default=20)
    parser.add_argument("--cancelled", type=int, default=3)
    parser.add_argument("--workshops", type=int, default=4, help="sign-ups (the demo has 4 workshops)")
    parser.add_argument(
        "--scale-sessions", type=int, default=0, help="star sessions of a scale conference with this many sessions"
    )
    parser.add_argument("--profile", help="a path to profile after the timings, e.g. /my/")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of each measured request")
    options = parser.parse_args()
    folder = use_database_copy()
    try:
        import django  # noqa: PLC0415

        django.setup()
        from django.test import Client  # noqa: PLC0415

        user, token, session_id = make_attendee(
            stars=options.stars,
            cancelled=options.cancelled,
            workshops=options.workshops,
            scale_sessions=options.scale_sessions,
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        # Without a session cookie, as calendar apps ask; one client, as a new one loads the middleware again.
        calendar_app = Client(HTTP_HOST="localhost")
        star_headers = {"HTTP_ACCEPT": "application/json"}
        sends = {
            "/my/": lambda: client.get("/my/"),
            "/ru/my/": lambda: client.get("/ru/my/"),
            "star (POST starred=1)": lambda: client.post(
                f"/agenda/star/{session_id}/", {"starred": "1"}, **star_headers
            ),
            "unstar (POST starred=0)": lambda: client.post(
                f"/agenda/star/{session_id}/", {"starred": "0"}, **star_headers
            ),
            "agenda feed": lambda: calendar_app.get(f"/agenda/{token}.ics"),
        }
        where = f" of {options.scale_sessions}" if options.scale_sessions else ""
        print(
            f"{options.stars} stars{where}, 1 + {options.cancelled} registrations, {options.workshops} workshop "
            f"sign-ups, {options.requests} requests each"
        )
        print("| request | queries | median ms | lowest ms | highest ms |\n| --- | ---: | ---: | ---: | ---: |")
        star, unstar = sends["star (POST starred=1)"], sends["unstar (POST starred=0)"]
        for name, send in sends.items():
            # Each star adds a star that is not there and each unstar removes one that is: the other in between.
            before = {star: unstar, unstar: star}.get(send, lambda: None)
            queries = measure(name, send, options.requests, before)
            if options.show_queries:
                for query in queries:
                    print("   ", query["sql"][:240])
        if options.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _number in range(20):
                client.get(options.profile)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
