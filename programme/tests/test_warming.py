"""Warming after a publish: a worker renders the programme pages, exports, day views and speaker index again once
the change commits, for anonymous and signed-in visitors, so the first visitor gets them from the page cache; a
run of changes queues one warm-up; a failing warm-up never breaks the publish."""

import re
import signal
import threading
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from conference import worker as worker_module
from conference.worker import drain
from programme import warming
from programme.exporters.ical import ICalExporter
from programme.models import AgendaItem, SessionPage, SpeakerIndexPage, SpeakerPage

from .helpers import demo_session, publish_change

PROGRAMME = "/vilnius-2017/programme/"
ICS = "/vilnius-2017/programme/schedule.ics"
RU_PROGRAMME = "/ru/vilnius-2017/programme/"
SPEAKERS = "/vilnius-2017/speakers/"
RU_SPEAKERS = "/ru/vilnius-2017/speakers/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# The session, the user, the visitor's starred sessions: filled in, nothing gathered or rendered.
SIGNED_IN_QUERIES = 3

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def warm_up_on(settings, monkeypatch):
    settings.PAGE_WARM_UP = True
    # Every session and speaker page in two languages for two kinds of visitor would be 440 renders per warm-up
    # here; the tests of that stage choose their pages.
    monkeypatch.setattr(warming, "MAX_PAGE_ADDRESSES", 0)


@pytest.fixture
def attendee(conference):
    """A signed-in attendee (test client) who starred the chemsex session."""
    user = get_user_model().objects.create_user(username="ana", email="ana@example.org", password="x" * 12)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    AgendaItem.objects.create(user=user, session=demo_session(conference, "chemsex"), conference=conference)
    client = Client()
    client.force_login(user)
    return client


def warm_ups():
    return DBTaskResult.objects.filter(task_path="programme.warming.warm_stored_pages")


def publish_and_commit(capture, session, **fields):
    with capture(execute=True):
        return publish_change(session, **fields)


def test_after_a_publish_and_a_worker_run_the_programme_and_calendar_come_from_the_cache(
    client, conference, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    session = demo_session(conference, "chemsex")
    publish_and_commit(django_capture_on_commit_callbacks, session, title="Chemsex, warmed by the worker")
    assert drain() >= 1
    for path in (PROGRAMME, ICS, RU_PROGRAMME):
        with django_assert_max_num_queries(1):  # no gathering, no rendering: the stored copy
            response = client.get(path)
        assert response.status_code == 200
    assert b"Chemsex, warmed by the worker" in client.get(PROGRAMME).content
    assert b"SUMMARY:Chemsex\\, warmed by the worker" in client.get(ICS).content


def test_without_a_worker_run_the_first_visitor_renders_the_programme(
    client, conference, django_capture_on_commit_callbacks
):
    """The other side of the test above: what the warm-up saves the first visitor."""
    publish_and_commit(django_capture_on_commit_callbacks, demo_session(conference, "chemsex"), title="Not warm yet")
    with CaptureQueriesContext(connection) as queries:
        assert b"Not warm yet" in client.get(PROGRAMME).content
    assert len(queries) > 3


def test_a_run_of_publishes_queues_one_warm_up(conference, django_capture_on_commit_callbacks):
    session = demo_session(conference, "chemsex")
    before = warm_ups().count()
    for number in range(3):
        session = publish_and_commit(django_capture_on_commit_callbacks, session, title=f"Chemsex, take {number}")
    assert warm_ups().count() == before + 1
    drain()
    # Started: the next change queues its own warm-up.
    publish_and_commit(django_capture_on_commit_callbacks, session, title="Chemsex, after the warm-up")
    assert warm_ups().count() == before + 2


def test_a_warm_up_with_nothing_changed_since_the_last_renders_nothing(conference):
    first = warming.warm_stored_pages.call()
    assert first[PROGRAMME]["status"] == 200
    assert first[ICS]["status"] == 200
    assert warming.warm_stored_pages.call() == {"skipped": "already warm"}


class RefusingQueue:
    def enqueue(self):
        raise RuntimeError("the task queue is down")


def test_publishing_succeeds_when_the_warm_up_cannot_be_queued(
    client, conference, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(warming, "warm_stored_pages", RefusingQueue())
    published = publish_and_commit(
        django_capture_on_commit_callbacks, demo_session(conference, "chemsex"), title="Published anyway"
    )
    assert published.live and published.title == "Published anyway"
    assert b"Published anyway" in client.get(PROGRAMME).content
    assert cache.get(warming.QUEUED_KEY) is None  # the next change tries again


def test_a_failing_export_leaves_the_other_pages_warm_and_the_publish_done(
    client, conference, monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    def broken_render(self, schedule, sessions, *, name):
        raise RuntimeError("calendar exporter broken")

    monkeypatch.setattr(ICalExporter, "render", broken_render)
    publish_and_commit(django_capture_on_commit_callbacks, demo_session(conference, "chemsex"), title="Half warm")
    drain()
    result = warm_ups().get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value[ICS]["status"] == 500
    assert result.return_value[PROGRAMME]["status"] == 200
    with django_assert_max_num_queries(1):
        assert b"Half warm" in client.get(PROGRAMME).content
    monkeypatch.undo()
    assert b"Half warm" in client.get(ICS).content  # rendered for the visitor, as without a worker


def without_token(html):
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html.decode())


def test_after_a_worker_run_the_signed_in_programme_is_filled_in_from_the_stored_parts(
    attendee, conference, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    session = demo_session(conference, "chemsex")
    publish_and_commit(django_capture_on_commit_callbacks, session, title="Chemsex, warmed for members")
    users = get_user_model().objects.count()
    assert drain() >= 1
    assert get_user_model().objects.count() == users  # rendered for nobody in particular
    for path in (PROGRAMME, RU_PROGRAMME):
        with django_assert_max_num_queries(SIGNED_IN_QUERIES):
            response = attendee.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
    warmed = attendee.get(PROGRAMME).content
    assert b"Chemsex, warmed for members" in warmed
    assert b"My conference" in warmed
    assert b"\x00" not in warmed
    # What the visitor would have stored rendering the page themselves (same generation, no warm-up).
    cache.clear()
    rendered = attendee.get(PROGRAMME).content
    assert without_token(warmed) == without_token(rendered)
    assert b"star-button--on" in rendered  # the attendee's own star, filled into both


def conference_day(conference, session):
    return session.start.astimezone(ZoneInfo(conference.time_zone)).date()


def test_after_a_worker_run_the_programme_of_a_day_comes_from_the_cache_for_everybody(
    attendee, client, conference, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    session = demo_session(conference, "chemsex")
    publish_and_commit(django_capture_on_commit_callbacks, session, title="Chemsex on its day")
    drain()
    day = f"?day={conference_day(conference, session).isoformat()}"
    for path in (PROGRAMME + day, RU_PROGRAMME + day):
        with django_assert_max_num_queries(1):
            assert client.get(path).status_code == 200
        with django_assert_max_num_queries(SIGNED_IN_QUERIES):
            assert attendee.get(path).status_code == 200
    assert b"Chemsex on its day" in client.get(PROGRAMME + day).content
    assert b"Chemsex on its day" in attendee.get(PROGRAMME + day).content


def test_after_a_worker_run_the_speaker_index_comes_from_the_cache_for_everybody(
    attendee, client, conference, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    index = SpeakerIndexPage.objects.child_of(conference).get()
    speaker = SpeakerPage.objects.child_of(index).live().order_by("path").first()
    speaker.title = "Warmed Speaker"
    with django_capture_on_commit_callbacks(execute=True):
        speaker.save_revision().publish()
    drain()
    for path in (SPEAKERS, RU_SPEAKERS):
        with django_assert_max_num_queries(1):
            assert client.get(path).status_code == 200
        with django_assert_max_num_queries(SIGNED_IN_QUERIES):
            assert attendee.get(path).status_code == 200
    # The Russian index lists the speaker's Russian translation.
    assert b"Warmed Speaker" in client.get(SPEAKERS).content
    assert b"Warmed Speaker" in attendee.get(SPEAKERS).content


def test_a_warm_up_renders_the_most_visited_addresses_first_up_to_its_bound(conference, monkeypatch):
    everything = warming.warm_addresses()
    assert everything[:2] == [(PROGRAMME, "anon"), (RU_PROGRAMME, "anon")]
    assert (PROGRAMME, "user") in everything
    assert (SPEAKERS, "user") in everything
    assert len(everything) <= warming.MAX_ADDRESSES
    monkeypatch.setattr(warming, "MAX_ADDRESSES", 3)
    monkeypatch.setattr(warming, "MAX_PAGE_ADDRESSES", 0)
    done = warming.warm_stored_pages.call()
    assert list(done) == [PROGRAMME, RU_PROGRAMME, f"{PROGRAMME}schedule.ics"]


def test_after_a_worker_run_session_speaker_home_and_conference_pages_come_from_the_cache_for_everybody(
    attendee, client, conference, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    # Not a workshop: a workshop's page shows each visitor's own sign-up and is never kept.
    session = SessionPage.objects.live().filter(locale=conference.locale, signup_capacity=None).order_by("path")[0]
    speaker = SpeakerPage.objects.live().filter(locale=conference.locale).order_by("path").first()
    pages = [warming.translated_path(page, language) for page in (session, speaker) for language in ("en", "ru")]
    every_page = warming.page_addresses

    def these_pages():  # of the real addresses, the ones this test reads (440 renders otherwise)
        return [(path, visitor) for path, visitor in every_page() if path in pages]

    monkeypatch.setattr(warming, "MAX_PAGE_ADDRESSES", 4000)
    monkeypatch.setattr(warming, "page_addresses", these_pages)
    publish_and_commit(django_capture_on_commit_callbacks, session, title="A session, warmed")
    drain()
    for path in ["/", "/ru/", "/vilnius-2017/", "/ru/vilnius-2017/", *pages]:
        with django_assert_max_num_queries(1):
            assert client.get(path).status_code == 200, path
        with django_assert_max_num_queries(SIGNED_IN_QUERIES):
            assert attendee.get(path).status_code == 200, path
    assert b"A session, warmed" in client.get(session.url).content
    assert b"A session, warmed" in attendee.get(session.url).content


def test_session_pages_are_warmed_upcoming_first_and_the_stage_stops_when_the_site_changes_again(
    conference, monkeypatch
):
    monkeypatch.setattr(warming, "MAX_PAGE_ADDRESSES", 4000)
    addresses = warming.page_addresses()
    assert addresses[0][1] == "anon" and addresses[1][1] == "user"
    assert {path for path, _visitor in addresses} >= {demo_session(conference, "chemsex").url}
    rendered = []

    def warm_then_change(path, visitor, generation):
        rendered.append(path)
        if len(rendered) == 3:
            warming.current_generation.__globals__["cache"].set("programme:generation:site", "changed", None)
        return {"status": 200, "ms": 1}

    monkeypatch.setattr(warming, "warm", warm_then_change)
    monkeypatch.setattr(warming, "MAX_ADDRESSES", 2)
    warming.warm_stored_pages.call()
    assert len(rendered) == 3  # two first-stage addresses, one page; then the generation changed


def test_a_worker_asked_to_stop_ends_the_warm_up_early_and_queues_the_rest(conference, monkeypatch):
    monkeypatch.setattr(worker_module, "_stopping", threading.Event())
    monkeypatch.setattr(warming, "MAX_PAGE_ADDRESSES", 4000)
    monkeypatch.setattr(warming, "MAX_ADDRESSES", 2)
    rendered = []

    def warm_then_stop(path, visitor, generation):
        rendered.append(path)
        if len(rendered) == 3:
            # As SIGTERM does to a `manage.py worker` in the middle of this task (its signal handler).
            stopping = worker_module.make_worker("stopping")
            stopping.running_task = True
            stopping.shutdown(signal.SIGTERM, None)
            assert not stopping.running  # the library's part: no task after this one
        return {"status": 200, "ms": 1}

    monkeypatch.setattr(warming, "warm", warm_then_stop)
    queued_before = warm_ups().count()
    warming.warm_stored_pages.call()
    assert len(rendered) == 3  # two first-stage addresses, one page; then the worker was asked to stop
    assert warm_ups().count() == queued_before + 1  # the rest, for the next worker
    assert cache.get(warming.WARM_KEY) is None  # not marked warm: the next warm-up renders what is missing
