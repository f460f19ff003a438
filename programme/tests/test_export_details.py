"""What the consumers of our exports need, checked in our own files: frab <description>, named tracks, codes,
rooms with guids (the venue-wide room of breaks included), public_name, BCP 47 languages, escaped calendar names
and session.ics links that keep the page's language (the confirmation email's calendar:
registration/tests/test_confirmation_calendar.py)."""

import json
import re
from xml.etree import ElementTree

import icalendar
import pytest
import vobject

from programme.models import SessionPage

from .helpers import demo_session, events_by_uid, publish_change

pytestmark = pytest.mark.django_db

XML = "/vilnius-2017/programme/schedule.xml"
JSON = "/vilnius-2017/programme/schedule.json"


def xml_events(client):
    return ElementTree.fromstring(client.get(XML).content).findall("day/room/event")


def json_document(client):
    return json.loads(client.get(JSON).content)


def json_events(document):
    days = document["schedule"]["conference"]["days"]
    return [event for day in days for events in day["rooms"].values() for event in events]


def test_frab_xml_event_always_has_description_subtitle_and_named_track(client, conference):
    events = xml_events(client)
    assert len(events) >= 30
    for event in events:
        assert event.find("description") is not None and event.find("description").text
        assert event.find("subtitle") is not None
        assert event.find("track").text
        assert event.find("persons") is not None


def test_frab_break_is_in_the_break_track_and_venue_room(client, conference):
    [coffee] = [event for event in xml_events(client) if event.find("slug").text.endswith("coffee-day-1-morning")]
    assert coffee.find("track").text == "Break"
    assert coffee.find("room").text == "Radisson Blu Hotel Lietuva"


def test_frab_xml_lists_every_room_with_a_guid(client, conference):
    root = ElementTree.fromstring(client.get(XML).content)
    rooms = root.findall("day/room")
    assert {room.get("name") for room in rooms} >= {"Radisson Blu Hotel Lietuva", "Plenary hall Lietuva"}
    for room in rooms:
        assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", room.get("guid"))


def test_frab_json_room_list_holds_every_room_used(client, conference):
    document = json_document(client)
    listed = {room["name"]: room["guid"] for room in document["schedule"]["conference"]["rooms"]}
    used = {event["room"] for event in json_events(document)}
    assert used <= set(listed)
    assert "Radisson Blu Hotel Lietuva" in listed
    xml_guids = {
        room.get("name"): room.get("guid")
        for room in ElementTree.fromstring(client.get(XML).content).iter("room")
        if room.get("guid")
    }
    assert {name: listed[name] for name in xml_guids} == xml_guids


def test_frab_json_tracks_name_every_event_track(client, conference):
    document = json_document(client)
    tracks = {track["name"] for track in document["schedule"]["conference"]["tracks"]}
    assert {event["track"] for event in json_events(document)} <= tracks


def test_frab_json_persons_carry_public_name(client, conference):
    [opening] = [event for event in json_events(json_document(client)) if event["slug"].endswith("-opening")]
    names = [person["public_name"] for person in opening["persons"]]
    assert names == ["Tomas Kairys (demo)", "Aliya Nurlanova (demo)"]


def test_frab_language_is_one_bcp47_tag_and_description_names_both(client, conference):
    [opening] = [event for event in json_events(json_document(client)) if event["slug"].endswith("-opening")]
    assert opening["language"] == "en"
    assert "English and Russian" in opening["description"]
    assert {event.find("language").text for event in xml_events(client)} <= {"en", "ru"}


def test_frab_event_code_is_stable_and_unique(client, conference):
    codes = {event.get("guid"): event.get("code") for event in xml_events(client)}
    assert all(re.fullmatch(r"[0-9A-Z]{6}", code) for code in codes.values())
    assert len(set(codes.values())) == len(codes)
    publish_change(demo_session(conference, "chemsex"), title="Chemsex and sexual health")
    assert {event.get("guid"): event.get("code") for event in xml_events(client)} == codes


def test_frab_links_point_at_the_session_calendar(client, conference):
    [opening] = [event for event in xml_events(client) if event.find("slug").text.endswith("-opening")]
    [link] = opening.findall("links/link")
    assert link.get("href").endswith("/vilnius-2017/programme/opening/session.ics")


def test_calendar_name_drops_commas_and_semicolons_for_vobject(client, conference):
    session = publish_change(demo_session(conference, "chemsex"), title="Women, violence; and drug policy")
    content = client.get("/vilnius-2017/programme/chemsex/session.ics").content.decode()
    calendar = vobject.readOne(content)
    assert calendar.contents["x-wr-calname"][0].value == "Women violence and drug policy"
    assert calendar.contents["name"][0].value == "Women violence and drug policy"
    assert session.title == "Women, violence; and drug policy"


def test_russian_page_of_untranslated_session_links_russian_calendar(client, conference):
    # The demo translates every session: this one is made untranslated again.
    SessionPage.objects.get(slug="chemsex", locale__language_code="ru").delete()
    response = client.get("/ru/vilnius-2017/programme/chemsex/")
    assert response.status_code == 200
    assert 'href="/ru/vilnius-2017/programme/chemsex/session.ics"' in response.content.decode()
    calendar = icalendar.Calendar.from_ical(client.get("/ru/vilnius-2017/programme/chemsex/session.ics").content)
    [event] = calendar.walk("VEVENT")
    assert str(event["URL"]).endswith("/ru/vilnius-2017/programme/chemsex/")
    english = events_by_uid(client.get("/vilnius-2017/programme/chemsex/session.ics").content)
    assert list(english) == [str(event["UID"])]
