"""Calendar and frab exports: parsed back with icalendar, validated against the frab schemas, UID and SEQUENCE,
cancelled and unpublished sessions, and times across the DST change."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import jsonschema
import pytest
from django.utils.http import http_date, parse_http_date
from icalendar.parser import Contentline
from lxml import etree

from conference.models import ConferencePage
from programme.exporters.ical import build_calendar, calendar_bytes, fold
from programme.gathering import gather_schedule
from programme.models import SessionPage

from .helpers import demo_session, events_by_uid, publish_change

# The frab schemas ship with the tests (licence and source in schemas/frab/NOTICE).
SCHEMAS = Path(__file__).resolve().parent / "schemas" / "frab"

pytestmark = pytest.mark.django_db

ICS = "/vilnius-2017/programme/schedule.ics"


def uid_of(session):
    return f"{session.translation_key}@sessions.harm-reduction-conference"


def test_schedule_ics_has_one_event_per_published_session(client, conference):
    response = client.get(ICS)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    events = events_by_uid(response.content)
    assert len(events) == SessionPage.objects.live().descendant_of(conference).filter(locale=conference.locale).count()
    assert len(events) >= 30


def test_schedule_ics_event_has_contract_properties(client, conference):
    session = demo_session(conference, "from-street-to-government")
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert event["DTSTART"].params["TZID"] == "Europe/Vilnius"
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2017, 4, 4, 6, 45, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2017, 4, 4, 8, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "From Street to Government: 176 cases and what they changed"
    assert str(event["LOCATION"]) == "Plenary hall Lietuva, Radisson Blu Hotel Lietuva, Vilnius"
    assert "Giorgi Beridze (demo)" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith("/vilnius-2017/programme/from-street-to-government/")
    assert int(event["SEQUENCE"]) == 0
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event
    calendar = icalendar.Calendar.from_ical(client.get(ICS).content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vilnius"]


def test_demo_dates_are_in_vilnius_summer_time(client, conference):
    session = demo_session(conference, "opening")
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=3)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2017, 4, 4, 6, 0, tzinfo=UTC)


def test_session_across_dst_change_keeps_real_duration(client, conference):
    conference.start_date = date(2017, 3, 26)
    conference.save_revision().publish()
    tz = conference.tzinfo
    session = publish_change(
        demo_session(conference, "naloxone-in-every-pocket"),
        start=datetime(2017, 3, 26, 2, 30, tzinfo=tz),
        end=datetime(2017, 3, 26, 4, 30, tzinfo=tz),
    )
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert event["DTSTART"].to_ical() == b"20170326T023000"
    assert event["DTEND"].to_ical() == b"20170326T043000"
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2017, 3, 26, 0, 30, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2017, 3, 26, 1, 30, tzinfo=UTC)
    frab = json.loads(client.get("/vilnius-2017/programme/schedule.json").content)
    day = next(day for day in frab["schedule"]["conference"]["days"] if day["date"] == "2017-03-26")
    [event_json] = [event for events in day["rooms"].values() for event in events]
    assert (event_json["date"], event_json["end"], event_json["duration"]) == (
        "2017-03-26T02:30:00+02:00",
        "2017-03-26T04:30:00+03:00",
        "01:00",
    )


def test_uid_stays_and_sequence_grows_when_time_changes(client, conference):
    session = demo_session(conference, "ost-in-prisons")
    publish_change(session, start=session.start + timedelta(minutes=30), end=session.end + timedelta(minutes=30))
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2017, 4, 4, 11, 30, tzinfo=UTC)


def test_sequence_unchanged_when_only_title_changes(client, conference):
    session = publish_change(demo_session(conference, "ost-in-prisons"), title="OST in prisons")
    assert session.sequence == 0
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert (int(event["SEQUENCE"]), str(event["SUMMARY"])) == (0, "OST in prisons")


def test_sequence_survives_publishing_an_older_draft(conference):
    session = demo_session(conference, "ost-in-prisons")
    session.title = "Draft title"
    draft = session.save_revision()
    moved = publish_change(SessionPage.objects.get(pk=session.pk), room=None)
    assert moved.sequence == 1
    draft.publish()
    assert SessionPage.objects.get(pk=session.pk).sequence == 2


def test_cancelled_session_stays_with_status_cancelled(client, conference):
    session = demo_session(conference, "un-drug-policy")
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancelling_a_session_bumps_sequence(client, conference):
    session = publish_change(demo_session(conference, "chemsex"), status="cancelled")
    event = events_by_uid(client.get(ICS).content)[uid_of(session)]
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)


def test_unpublished_session_leaves_the_feed(client, conference):
    session = demo_session(conference, "chemsex")
    assert uid_of(session) in events_by_uid(client.get(ICS).content)
    session.unpublish()
    assert uid_of(session) not in events_by_uid(client.get(ICS).content)
    assert client.get("/vilnius-2017/programme/chemsex/session.ics").status_code == 404


def test_session_ics_holds_that_session_only(client, conference):
    session = demo_session(conference, "opening")
    response = client.get("/vilnius-2017/programme/opening/session.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert list(events_by_uid(response.content)) == [uid_of(session)]


def test_schedule_ics_answers_conditional_get_with_304(client, conference):
    first = client.get(ICS)
    assert first["ETag"] and first["Last-Modified"]
    not_modified = client.get(ICS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"
    assert client.get(ICS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_etag_changes_after_a_published_change(client, conference):
    first = client.get(ICS)
    publish_change(demo_session(conference, "chemsex"), title="Chemsex: harm reduction together")
    second = client.get(ICS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]


def test_schedule_xml_validates_against_frab_schema(client, conference):
    response = client.get("/vilnius-2017/programme/schedule.xml")
    assert response["Access-Control-Allow-Origin"] == "*"
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(response.content)
    schema.assertValid(document)
    assert len(document.findall("day")) == 3
    assert len(document.findall("day/room/event")) >= 30


def test_schedule_json_validates_against_frab_schema(client, conference):
    response = client.get("/vilnius-2017/programme/schedule.json")
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    schema = json.loads((SCHEMAS / "schedule.schema.json").read_text())
    jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER).validate(document)
    events = [e for day in document["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]
    guids = {event["guid"] for event in events}
    assert len(guids) == len(events) >= 30


def test_frab_guid_stays_after_an_edit(client, conference):
    def guid_of(title_start):
        document = json.loads(client.get("/vilnius-2017/programme/schedule.json").content)
        days = document["schedule"]["conference"]["days"]
        return next(
            e["guid"] for d in days for r in d["rooms"].values() for e in r if e["title"].startswith(title_start)
        )

    before = guid_of("Chemsex")
    publish_change(demo_session(conference, "chemsex"), title="Chemsex and sexual health")
    assert guid_of("Chemsex and sexual health") == before


def test_last_modified_never_goes_back_after_an_unpublish(client, conference):
    newest = publish_change(demo_session(conference, "chemsex"), title="Chemsex, the newest change")
    before = client.get(ICS)
    newest.unpublish()
    # A calendar that fetched a second before `before` must get the changed file.
    earlier_fetch = http_date(parse_http_date(before["Last-Modified"]) - 1)
    after = client.get(ICS, HTTP_IF_MODIFIED_SINCE=earlier_fetch)
    assert after.status_code == 200
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(before["Last-Modified"])
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize(
    "line",
    [
        "",
        "SUMMARY:short",
        "X" * 74,
        "X" * 75,
        "DESCRIPTION:" + "word " * 60,
        "X" * 73 + "\\,after the escape" * 8,
        "X" * 72 + "^'quoted'" + "Y" * 80,
        "X" * 147 + "\\;" + "Z" * 10,
        "DESCRIPTION:Пленарное заседание\\, снижение вреда " * 6,
        "SUMMARY:" + "é" * 40 + "\\," * 30,
    ],
)
def test_fold_gives_the_bytes_icalendar_gives(line):
    assert fold(line) == Contentline(line).to_ical()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_calendar_bytes_are_the_calendars_own_serialisation(language):
    conference = ConferencePage.objects.get(slug="vilnius-2017", locale__language_code="en")
    schedule = gather_schedule(conference, language=language)
    calendar = build_calendar(schedule.sessions, schedule=schedule, name=schedule.conference_title)
    body = calendar_bytes(calendar)
    assert body == calendar.to_ical()
    assert body.count(b"\r\n ") > 10  # long descriptions were folded
