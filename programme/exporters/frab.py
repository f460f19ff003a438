"""frab-compatible schedule exports (schedule.xml and schedule.json) for Giggity, ConfClerk, EventFahrplan and
the c3voc tools; valid against the frab schemas in programme/tests/schemas/frab/."""

import json
import re
import uuid
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

from ..enums import SessionKind
from ..schedule import GUID_NAMESPACE, sessions_by_day

GENERATOR_NAME = "harm-reduction-conference"
GENERATOR_VERSION = "1.0"
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def acronym(schedule):
    """The frab acronym: lower-case letters, digits and underscores (the JSON schema allows "-" only before a
    year and a word, so "vilnius-2017" becomes "vilnius_2017")."""
    value = re.sub(r"[^a-z0-9_]", "_", schedule.conference_slug.lower())
    return value if len(value) >= 4 else f"{value}____"[:4]


def event_slug(schedule, session):
    cleaned = re.sub(r"[^a-z0-9_-]", "", session.slug.lower()).strip("-_") or "session"
    return f"{acronym(schedule)}-{session.id}-{cleaned}"


def room_guid(room_id):
    return str(uuid.uuid5(GUID_NAMESPACE, f"room:{room_id}"))


def person_guid(speaker_id):
    return str(uuid.uuid5(GUID_NAMESPACE, f"speaker:{speaker_id}"))


def duration_text(session):
    minutes = session.duration_minutes
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_name(schedule, session):
    room = schedule.rooms_by_id.get(session.room_id)
    if room:
        return room["name"]
    return schedule.venue_name or _("Venue")


def event_title(session):
    if session.is_cancelled:
        return _("Cancelled: %(title)s") % {"title": session.title}
    return session.title


def event_type(session):
    return str(dict(SessionKind.choices).get(session.kind, session.kind))


def track_name(schedule, session):
    track = schedule.tracks_by_id.get(session.track_id)
    return track["name"] if track else ""


def day_bounds(schedule, day, sessions):
    """Start and end of a conference day: its first start and last end, or the whole local day when empty."""
    if sessions:
        return min(session.local_start for session in sessions), max(session.local_end for session in sessions)
    start = datetime.combine(day, time(0, 0), tzinfo=schedule.tzinfo)
    return start, datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=schedule.tzinfo)


def days_with_rooms(schedule, sessions):
    """[(index, day, day_start, day_end, {room name: [sessions]})] for every conference day, empty ones too."""
    grouped = {
        day: [session for _start, slot in slots for session in slot]
        for day, slots in sessions_by_day(schedule, sessions)
    }
    result = []
    for index, day in enumerate(schedule.days, start=1):
        day_sessions = grouped.get(day, [])
        rooms = {}
        for session in day_sessions:
            rooms.setdefault(room_name(schedule, session), []).append(session)
        start, end = day_bounds(schedule, day, day_sessions)
        result.append((index, day, start, end, rooms))
    return result


def render_json(schedule, sessions, *, base_url=None):
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    days = []
    for index, day, start, end, rooms in days_with_rooms(schedule, sessions):
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": start.isoformat(),
                "day_end": end.isoformat(),
                "rooms": {
                    name: [
                        {
                            "id": session.id,
                            "guid": session.guid,
                            "date": session.local_start.isoformat(),
                            "start": session.local_start.strftime("%H:%M"),
                            "end": session.local_end.isoformat(),
                            "duration": duration_text(session),
                            "room": name,
                            "slug": event_slug(schedule, session),
                            "url": base_url + session.path,
                            "title": event_title(session),
                            "subtitle": "",
                            "track": track_name(schedule, session) or None,
                            "type": event_type(session),
                            "language": session.language,
                            "abstract": session.abstract_text,
                            "description": "",
                            "persons": [
                                {
                                    "id": speaker.id,
                                    "guid": person_guid(speaker.id),
                                    "name": speaker.name,
                                    "url": base_url + speaker.path,
                                }
                                for speaker in session.speakers
                            ],
                            "links": [],
                            "attachments": [],
                        }
                        for session in room_sessions
                    ]
                    for name, room_sessions in rooms.items()
                },
            }
        )
    document = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION},
        "schedule": {
            "version": schedule.generation or "1",
            "base_url": base_url + "/",
            "conference": {
                "acronym": acronym(schedule),
                "title": schedule.conference_title,
                "start": schedule.start_date.isoformat(),
                "end": schedule.end_date.isoformat(),
                "daysCount": len(schedule.days),
                "timeslot_duration": "00:15",
                "time_zone_name": schedule.time_zone,
                "url": base_url + schedule.programme_path,
                "rooms": [
                    {
                        "name": room["name"],
                        "slug": room["slug"],
                        "guid": room_guid(room["id"]),
                        "capacity": room["capacity"],
                        "description": room["accessibility"] or None,
                    }
                    for room in schedule.rooms
                ],
                "tracks": [
                    {"name": track["name"], "slug": track["slug"], "color": track["colour"]}
                    for track in schedule.tracks
                ],
                "days": days,
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _sub(parent, tag, text=None, **attributes):
    element = ElementTree.SubElement(parent, tag, {key: str(value) for key, value in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def render_xml(schedule, sessions, *, base_url=None):
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    root = ElementTree.Element("schedule")
    _sub(root, "generator", name=GENERATOR_NAME, version=GENERATOR_VERSION)
    _sub(root, "url", base_url + schedule.programme_path + "schedule.xml")
    _sub(root, "version", schedule.generation or "1")
    conference = _sub(root, "conference")
    _sub(conference, "title", schedule.conference_title)
    _sub(conference, "acronym", acronym(schedule))
    _sub(conference, "start", schedule.start_date.isoformat())
    _sub(conference, "end", schedule.end_date.isoformat())
    _sub(conference, "days", len(schedule.days))
    _sub(conference, "timeslot_duration", "00:15")
    _sub(conference, "base_url", base_url + "/")
    _sub(conference, "url", base_url + schedule.programme_path)
    _sub(conference, "time_zone_name", schedule.time_zone)
    for track in schedule.tracks:
        _sub(conference, "track", track["name"], name=track["name"], slug=track["slug"], color=track["colour"].lower())
    rooms_by_name = {room["name"]: room for room in schedule.rooms}
    for index, day, start, end, rooms in days_with_rooms(schedule, sessions):
        day_element = _sub(root, "day", index=index, date=day.isoformat(), start=start.isoformat(), end=end.isoformat())
        for name, room_sessions in rooms.items():
            room = rooms_by_name.get(name)
            room_attributes = {"name": name}
            if room:
                room_attributes["guid"] = room_guid(room["id"])
            room_element = _sub(day_element, "room", **room_attributes)
            for session in room_sessions:
                event = _sub(room_element, "event", id=session.id, guid=session.guid)
                _sub(event, "room", name)
                _sub(event, "title", event_title(session))
                _sub(event, "subtitle", "")
                _sub(event, "type", event_type(session))
                _sub(event, "date", session.local_start.isoformat())
                _sub(event, "start", session.local_start.strftime("%H:%M"))
                _sub(event, "duration", duration_text(session))
                _sub(event, "abstract", session.abstract_text)
                _sub(event, "slug", event_slug(schedule, session))
                _sub(event, "track", track_name(schedule, session))
                _sub(event, "language", session.language)
                _sub(event, "url", base_url + session.path)
                persons = _sub(event, "persons")
                for speaker in session.speakers:
                    _sub(persons, "person", speaker.name, id=speaker.id, guid=person_guid(speaker.id))
                _sub(event, "links")
    ElementTree.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


class FrabJsonExporter:
    identifier = "json"
    extension = "json"
    content_type = "application/json; charset=utf-8"

    def render(self, schedule, sessions, *, name):
        return render_json(schedule, sessions)


class FrabXmlExporter:
    identifier = "xml"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def render(self, schedule, sessions, *, name):
        return render_xml(schedule, sessions)
