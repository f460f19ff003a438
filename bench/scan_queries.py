"""In-process cost of one door scan (POST /checkin/api/scan/): the SQL of a first scan (checks in), a repeat
scan (already checked in) and a forged code, then the CPU time per scan over many of each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scan_helper [REDIS_URL=redis://127.0.0.1:6379/0] \
        .venv/bin/python bench/scan_queries.py [--scans 200] [--show-queries]

Run `manage.py migrate` and `manage.py load_demo` on that database first. The script adds `--scans` confirmed
registrations of a "scan-bench" type to the demo conference (once; later runs reuse them and delete their
check-ins and scan attempts first) and a door-staff account assigned to the demo conference. Scans go through
django.test.Client with the CSRF check on, as the scanner page sends them; with REDIS_URL the sessions and the
cache are Redis-backed as in production. CPU ms is time.process_time per scan (client and server together,
as both run in this process)."""

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "vilnius-2017"
STAFF_EMAIL = "scan.bench@example.org"
CSRF_SECRET = "scanbenchcsrfsecret0123456789abc"


def prepare(count):
    """Badge codes of `count` confirmed registrations nobody checked in, and the door-staff account."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.auth.models import Group  # noqa: PLC0415
    from wagtail.models import Locale  # noqa: PLC0415

    from conference.models import ConferencePage  # noqa: PLC0415
    from conference.permissions import DOOR_STAFF  # noqa: PLC0415
    from registration.badge_tokens import get_or_create_signing_key, issue_badge_token  # noqa: PLC0415
    from registration.models import CheckIn, DoorAssignment, Registration, RegistrationType, ScanAttempt  # noqa: PLC0415

    conference = ConferencePage.objects.get(slug=SLUG, locale=Locale.get_default())
    registration_type, _ = RegistrationType.objects.get_or_create(
        conference=conference, slug="scan-bench", defaults={"name": "Participant", "capacity": 100_000}
    )
    have = Registration.objects.filter(registration_type=registration_type).count()
    made = [
        Registration(
            conference=conference,
            registration_type=registration_type,
            status="confirmed",
            full_name=f"Scan Bench {n}",
            badge_name=f"Scan {n}",
            country="LT",
            role="outreach",
        )
        for n in range(have, count)
    ]
    for registration in made:
        registration.fill_search_name()  # bulk_create skips save()
    Registration.objects.bulk_create(made)
    registrations = list(Registration.objects.filter(registration_type=registration_type).order_by("pk")[:count])
    ScanAttempt.objects.filter(registration__in=registrations).delete()
    ScanAttempt.objects.filter(code_excerpt__startswith="AAAA", conference=conference).delete()
    CheckIn.objects.filter(registration__in=registrations).delete()
    key = get_or_create_signing_key(conference)
    codes = [issue_badge_token(registration, signing_key=key) for registration in registrations]
    staff, created = get_user_model().objects.get_or_create(username="scan-bench", defaults={"email": STAFF_EMAIL})
    if created:
        staff.groups.add(Group.objects.get(name=DOOR_STAFF))
        DoorAssignment.objects.create(user=staff, conference=conference)
    return staff, codes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--show-queries", action="store_true")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database with the demo loaded.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django  # noqa: PLC0415

    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    staff, codes = prepare(options.scans + 1)
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(staff)
    # The CSRF cookie and header a scanner page sends (any 32-character secret; the page itself needs collectstatic).
    client.cookies["csrftoken"] = CSRF_SECRET
    headers = {"X-CSRFToken": CSRF_SECRET}

    def scan(code):
        body = json.dumps({"code": code, "conference": SLUG, "nonce": uuid.uuid4().hex, "device": "bench"})
        response = client.post("/checkin/api/scan/", body, content_type="application/json", headers=headers)
        assert response.status_code == 200, response.content
        return response.json()["result"]

    forged = codes[0][:-2] + ("AA" if codes[0][-2:] != "AA" else "BA")
    cases = [("first scan", codes[0], "checked_in"), ("repeat scan", codes[0], "already_checked_in")]
    cases.append(("forged code", forged, "invalid"))
    scan(codes[-1])  # warm the caches (conference, door rights, public key) as a running server has them
    for name, code, expected in cases:
        with CaptureQueriesContext(connection) as captured:
            result = scan(code)
        assert result == expected, (name, result)
        print(f"{name}: {len(captured.captured_queries)} queries")
        if options.show_queries:
            for query in captured.captured_queries:
                print(f"    {query['sql'][:400]}")
    rounds = [("first scans", codes[1 : options.scans + 1]), ("repeat scans", codes[1 : options.scans + 1])]
    rounds.append(("forged codes", [forged] * options.scans))
    for name, batch in rounds:
        started = time.process_time()
        for code in batch:
            scan(code)
        print(f"{name}: {(time.process_time() - started) * 1000 / len(batch):.2f} CPU ms per scan ({len(batch)})")


if __name__ == "__main__":
    main()
