"""Warming after a publish: a worker renders the programme pages and exports again once the change commits, so
the first visitor gets them from the page cache; a run of changes queues one warm-up; a failing warm-up never
breaks the publish."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from conference.worker import drain
from programme import warming
from programme.exporters.ical import ICalExporter

from .helpers import demo_session, publish_change

PROGRAMME = "/vilnius-2017/programme/"
ICS = "/vilnius-2017/programme/schedule.ics"
RU_PROGRAMME = "/ru/vilnius-2017/programme/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def warm_up_on(settings):
    settings.PAGE_WARM_UP = True


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
