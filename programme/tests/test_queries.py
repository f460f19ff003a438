"""Every public page and export costs the same number of queries for 1 session and speaker as for 600 sessions and
400 speakers, anonymous or signed in, rendered or from the page cache; so do an attendee's star, unstar and private
agenda feed, however many sessions they starred (/my/: registration/tests/test_my_page.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conference.models import ConferencePage
from programme import agenda
from programme.cache import schedule_generation, schedule_key
from programme.models import AgendaItem, SessionPage

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


# The signed-in attendee's own requests: a star, an unstar and the private agenda feed. Transaction control
# (BEGIN, COMMIT, savepoints) is left out of the counts: SQLite logs it as statements, PostgreSQL does not.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(send, *args, **kwargs):
    """The response to `send(*args, **kwargs)` and the SQL statements it ran, without transaction control."""
    with CaptureQueriesContext(connection) as context:
        response = send(*args, **kwargs)
    sql = [query["sql"] for query in context.captured_queries]
    return response, [statement for statement in sql if not statement.upper().startswith(TRANSACTION_CONTROL)]


def scale_sessions(slug):
    conference = ConferencePage.objects.get(slug=slug)
    return list(SessionPage.objects.live().descendant_of(conference).order_by("start", "pk"))


def attendee_with_stars(django_user_model, name, sessions):
    user = django_user_model.objects.create_user(username=name, email=f"{name}@example.org", password="x" * 12)
    for session in sessions:
        agenda.set_starred(user=user, session_id=session.pk, starred=True)
    return user


def test_star_and_unstar_cost_the_same_three_statements_for_one_or_600_sessions(conference, django_user_model):
    make_scale("small", 1)
    make_scale("big", 600)
    small, big = scale_sessions("small"), scale_sessions("big")
    # One attendee with no other star, one with a hundred: neither the programme nor the agenda counts.
    cases = {"small": (attendee_with_stars(django_user_model, "few", []), small[0]),
             "big": (attendee_with_stars(django_user_model, "many", big[:100]), big[-1])}  # fmt: skip
    counts = {}
    for slug, (user, session) in cases.items():
        browser = Client(HTTP_ACCEPT="application/json")
        browser.force_login(user)
        url = f"/agenda/star/{session.pk}/"
        browser.post(url, {"starred": "1"})  # the first star after a change reads which sessions can be starred
        for starred in ("0", "1", "0"):
            response, sql = statements(browser.post, url, {"starred": starred})
            assert response.json() == {"session": session.pk, "starred": starred == "1"}
            counts[(slug, starred)] = len(sql)
        assert AgendaItem.objects.filter(user=user, session=session).exists() is False
    # The session and user of the request, then one INSERT (star) or DELETE (unstar).
    assert counts == {(slug, starred): 3 for slug in cases for starred in ("0", "1")}, counts


def test_agenda_feed_costs_two_queries_for_one_star_or_many_without_the_whole_programme(
    client, conference, django_user_model
):
    make_scale("small", 1)
    make_scale("big", 600)
    none = attendee_with_stars(django_user_model, "none", [])
    few = attendee_with_stars(django_user_model, "few", scale_sessions("small"))
    many = attendee_with_stars(django_user_model, "many", scale_sessions("big")[::10] + scale_sessions("small"))
    counts, bodies = {}, {}
    for user in (none, few, many):
        url = f"/agenda/{agenda.issue_feed(user=user).token}.ics"
        client.get(url)
        response, sql = statements(client.get, url)
        assert response.status_code == 200
        counts[user.username], bodies[user.username] = len(sql), response.content
    # The feed (with its user) and the stars; sessions, events and time zones come from the shared cache. An
    # empty agenda asks the latest conference's time zone.
    assert counts == {"none": 3, "few": 2, "many": 2}, counts
    assert bodies["none"].count(b"BEGIN:VEVENT") == 0
    assert bodies["many"].count(b"BEGIN:VEVENT") == 61
    assert bodies["many"].count(b"BEGIN:VTIMEZONE") == 1
    # Without the gathered programmes in the cache (evicted, say), the feed still reads only what it shows.
    for slug in ("small", "big"):
        conference_id = ConferencePage.objects.get(slug=slug).pk
        cache.delete(schedule_key(conference_id, "en", schedule_generation(conference_id)))
    response, sql = statements(client.get, f"/agenda/{many.agenda_feed.token}.ics")
    assert len(sql) == 2, sql
    assert response.content == bodies["many"]
