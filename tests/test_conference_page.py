"""ConferencePage's helpers that other apps rely on: the conference a page belongs to, and the conference's clock."""

from datetime import UTC, date, datetime

import pytest
from wagtail.models import Locale, Page

from conference.models import ConferencePage
from programme.models import ProgrammePage, SessionPage

pytestmark = pytest.mark.django_db


def test_for_page_finds_the_conference_of_a_session(conference):
    session = SessionPage.objects.child_of(ProgrammePage.objects.child_of(conference).get()).first()
    assert ConferencePage.for_page(session) == conference


def test_for_page_of_a_translated_session_is_the_translated_conference(conference):
    russian = Locale.objects.get(language_code="ru")
    session = SessionPage.objects.filter(locale=russian).first()
    found = ConferencePage.for_page(session)
    assert found.locale == russian
    assert found.canonical == conference


def test_for_page_of_the_conference_itself_is_the_conference(conference):
    assert ConferencePage.for_page(Page.objects.get(pk=conference.pk)) == conference


def test_for_page_outside_every_conference_is_none(conference):
    assert ConferencePage.for_page(conference.get_parent()) is None
    assert ConferencePage.for_page(None) is None


def test_today_is_the_date_on_the_conference_clock(conference):
    # 22:30 UTC on 4 April is already 5 April in Vilnius (UTC+3 in summer time).
    late_evening = datetime(2017, 4, 4, 22, 30, tzinfo=UTC)
    assert conference.today(late_evening) == date(2017, 4, 5)
    assert conference.now_local(late_evening).hour == 1


def test_local_datetime_is_midnight_at_the_conference(conference):
    assert conference.local_datetime(date(2017, 4, 4)) == datetime(2017, 4, 3, 21, 0, tzinfo=UTC)
