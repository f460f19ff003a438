"""The page cache stays bounded and cannot push the sign-in limits out (issue 21, finding 3): a flood of 5,000
distinct query strings against a real redis-server with a small maxmemory and `allkeys-lru` stores no page beyond
one per page and filter value the programme has, evicts nothing, and the per-account limit on wrong passwords
still refuses the guesser afterwards (the counters are in the database: conference/rate_limits.py)."""

import pytest
import redis
from django.db import connection
from django.test import Client

from conference.settings import base as base_settings
from programme.enums import SessionKind
from registration.tests.registration_factories import PASSWORD, make_user

from .redis_server import running_redis

pytestmark = pytest.mark.django_db

PROGRAMME = "/vilnius-2017/programme/"
MAXMEMORY = 16 * 1024 * 1024
FLOOD = 5000
WRONG_PASSWORDS_LIMIT = 10  # "login_failed": 10/15m/key in settings/base.py


@pytest.fixture
def small_redis(settings):
    """The production cache settings (REDIS_URL set) on a redis-server that evicts any key when full."""
    with running_redis("--maxmemory", str(MAXMEMORY), "--maxmemory-policy", "allkeys-lru") as url:
        settings.CACHES = {**settings.CACHES, "default": base_settings.CACHES_FOR_REDIS(url)}
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
        yield redis.Redis.from_url(url)


def flood_urls(conference):
    """5,000 distinct addresses: query values no page has (screens, padded or unknown values, filter combinations)
    on every kind of stored page, and every filter value the programme really has."""
    canonical = canonical_filter_queries(conference)
    combinations = [f"{day}&{other}" for day in canonical if day.startswith("day=") for other in canonical]
    known = [PROGRAMME + "?" + query for query in canonical] + [PROGRAMME + "schedule.ics?" + q for q in canonical]
    combined = [PROGRAMME + "?" + query for query in combinations]
    junk = []
    for number in range(FLOOD):
        junk += [
            f"/?screen={number}",
            f"{PROGRAMME}now/?screen={number}",
            f"{PROGRAMME}?day=+2017-04-05{'+' * (number % 50)}&screen={number}",
            f"{PROGRAMME}?day=2017-04-05&track=&room=&kind=&language={'+' * number}",
            f"{PROGRAMME}schedule.ics?" + (f"screen={number}" if number % 10 == 0 else f"room=r{number}"),
        ]
    urls = list(dict.fromkeys(known + combined + junk))[:FLOOD]
    assert len(urls) == FLOOD
    return urls, canonical


def canonical_filter_queries(conference):
    days = ["2017-04-04", "2017-04-05", "2017-04-06"]
    tracks = [track.slug for track in conference.tracks.all()]
    rooms = [room.slug for room in conference.rooms.all()]
    return [
        *(f"day={day}" for day in days),
        *(f"track={slug}" for slug in tracks),
        *(f"room={slug}" for slug in rooms),
        *(f"kind={kind}" for kind in SessionKind.values),
        "language=en",
        "language=ru",
    ]


def stored_responses(server):
    return sum(1 for _key in server.scan_iter("*programme:response:*", count=1000))


def sign_in(client, password):
    return client.post("/accounts/login/", {"login": "guessed@example.org", "password": password})


def test_a_flood_of_query_strings_stays_bounded_and_keeps_the_sign_in_limit(small_redis, conference):
    make_user("guessed@example.org")
    for attempt in range(WRONG_PASSWORDS_LIMIT):
        # From other addresses each time: only the per-account counter stops this guesser.
        assert "Too many failed" not in sign_in(Client(REMOTE_ADDR=f"198.51.100.{attempt}"), "wrong").text
    urls, canonical = flood_urls(conference)
    visitor = Client()
    statuses = {visitor.get(url).status_code for url in urls}
    assert statuses <= {200, 302, 400}

    # One stored page per page and filter value at most: the programme and schedule.ics for each filter value
    # and without one, and the home, conference and now-and-next pages without a query.
    bound = 2 * (1 + len(canonical)) + 3
    assert stored_responses(small_redis) <= bound
    info = small_redis.info()
    assert info["evicted_keys"] == 0
    assert info["used_memory"] < MAXMEMORY / 2

    # The guesser is still refused, with the right password too, and the counters were never in Redis.
    for attempt in range(8):
        refused = sign_in(Client(REMOTE_ADDR=f"203.0.113.{attempt}"), "wrong again")
        assert "Too many failed login attempts" in refused.text
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert "Too many failed login attempts" in sign_in(owner, PASSWORD).text
    assert owner.get("/my/").status_code != 200
    assert not list(small_redis.scan_iter("*allauth*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM rate_limit_counters")
        assert cursor.fetchone()[0] > 0
