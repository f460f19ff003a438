"""Every public page and export costs the same number of queries for 1 session and speaker as for 600 sessions and
400 speakers, anonymous or signed in, rendered or from the page cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .helpers import make_scale

pytestmark = pytest.mark.django_db

PATHS = [
    "programme/",
    "programme/schedule.ics",
    "programme/schedule.xml",
    "programme/schedule.json",
    "programme/session-1/session.ics",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_sessions(client, conference):
    sizes = [1, 30, 600]
    for size in sizes:
        make_scale(f"scale{size}", size)
    counts = {}
    for path in PATHS:
        for size in sizes:
            cache.clear()
            cold = count_queries(client, f"/scale{size}/{path}")
            # Signed-out visitors with a warm cache get the stored response.
            warm = count_queries(client, f"/scale{size}/{path}")
            counts[(path, size)] = (cold, warm)
    for path in PATHS:
        assert counts[(path, 1)] == counts[(path, 30)] == counts[(path, 600)], (path, counts)
        assert counts[(path, 600)][1] == 0, path


def test_signed_in_programme_query_count_does_not_grow(client, conference, django_user_model):
    for size in (1, 600):
        make_scale(f"scale{size}", size)
    client.force_login(django_user_model.objects.create_user(username="u", email="u@example.org", password="x" * 12))
    client.get("/scale1/programme/")
    client.get("/scale600/programme/")
    assert count_queries(client, "/scale1/programme/") == count_queries(client, "/scale600/programme/")


PAGES = [
    "",
    "programme/",
    "programme/?day=2030-05-06",
    "programme/print/",
    "programme/now/",
    "programme/session-1/",
    "speakers/",
    "speakers/speaker-1/",
    "programme/schedule.ics",
]


def test_every_page_costs_the_same_queries_for_one_or_many_signed_in_or_not(client, conference, django_user_model):
    make_scale("small", 1, speakers=1)
    make_scale("big", 600, speakers=400)
    user = django_user_model.objects.create_user(username="u", email="u@example.org", password="x" * 12)
    signed_in = Client()
    signed_in.force_login(user)
    counts = {}
    for visitor, browser in (("anonymous", client), ("signed in", signed_in)):
        for path in PAGES:
            for slug in ("small", "big"):
                cache.clear()
                cold = count_queries(browser, f"/{slug}/{path}")
                warm = count_queries(browser, f"/{slug}/{path}")
                counts[(visitor, path, slug)] = (cold, warm)
    for visitor in ("anonymous", "signed in"):
        for path in PAGES:
            small, big = counts[(visitor, path, "small")], counts[(visitor, path, "big")]
            assert small == big, (visitor, path, counts)
            # From the cache: nothing but the visitor's session, user and stars.
            assert big[1] <= (0 if visitor == "anonymous" else 3), (visitor, path, big)
