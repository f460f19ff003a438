"""The calendar file a confirmation email carries: no METHOD (a file to import, not an iTIP message), a UID
independent of SITE_URL and of the language, and the conference's title and address in the attendee's language."""

import icalendar
import pytest
from django.test import override_settings

from registration.emails import conference_dates_ics

pytestmark = pytest.mark.django_db


def test_confirmation_calendar_has_no_method_and_a_uid_independent_of_site_url(conference):
    with override_settings(SITE_URL="https://one.example"):
        first = icalendar.Calendar.from_ical(conference_dates_ics(conference))
    with override_settings(SITE_URL="https://two.example"):
        second = icalendar.Calendar.from_ical(conference_dates_ics(conference))
    assert "METHOD" not in first
    [event_one], [event_two] = first.walk("VEVENT"), second.walk("VEVENT")
    assert str(event_one["UID"]) == str(event_two["UID"])
    assert str(conference.translation_key) in str(event_one["UID"])


def test_russian_confirmation_calendar_is_in_russian(conference):
    russian = conference.get_translation(conference.get_translations().get(locale__language_code="ru").locale)
    event = icalendar.Calendar.from_ical(conference_dates_ics(russian)).walk("VEVENT")[0]
    english = icalendar.Calendar.from_ical(conference_dates_ics(conference)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == russian.title != conference.title
    assert str(event["URL"]).endswith("/ru/vilnius-2017/")
    assert str(event["UID"]) == str(english["UID"])
