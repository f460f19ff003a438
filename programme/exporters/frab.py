"""frab-compatible schedule exports (schedule.xml and schedule.json) for pretalx's import_schedule, Giggity,
ConfClerk, EventFahrplan, pyfahrplan and the c3voc tools; valid against the frab schemas in
programme/tests/schemas/frab/.

What the consumers taught us (programme/tests/test_consumers.py runs them):
- pretalx 2023.1.3 reads `.text` of <description>, <subtitle>, <track> and <persons> unguarded, so these are
  always written; an empty <track/> becomes a new "default" track per event, so every event names a track
  (its own, or its kind: "Break", "Plenary").
- Every <room> and every JSON room has a guid, the venue-wide room of breaks included.
- JSON persons are frab persons (`id` + `public_name`): pyfahrplan reads `public_name`, and the schema's
  oneOf rejects a person that is also a pretalx person (`name`).
- `language` is one BCP 47 tag (the primary language); the others are named in the description."""

import json
import re
import uuid
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

from ..enums import Interpretation, SessionKind, SessionLanguage
from ..releases import latest_release_name
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


def venue_room(schedule):
    """The room of sessions held in no particular room (breaks, the venue as a whole), with a stable guid."""
    return {
        "id": None,
        "name": schedule.venue_name or _("Venue"),
        "slug": "venue",
        "guid": str(uuid.uuid5(GUID_NAMESPACE, f"venue-room:{schedule.conference_id}")),
        "capacity": None,
        "accessibility": "",
    }


def export_rooms(schedule, sessions):
    """Every room of the conference with its guid, and the venue-wide room when a session uses it."""
    rooms = [{**room, "guid": room_guid(room["id"])} for room in schedule.rooms]
    if any(session.room_id not in schedule.rooms_by_id for session in sessions):
        rooms.append(venue_room(schedule))
    return rooms


CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def event_code(session):
    """A six-character code in pretalx's form ([0-9A-Z]{6}), derived from the guid so that it never changes."""
    number = uuid.UUID(session.guid).int
    characters = []
    for _position in range(6):
        number, remainder = divmod(number, len(CODE_ALPHABET))
        characters.append(CODE_ALPHABET[remainder])
    return "".join(characters)


def primary_language(session):
    """One BCP 47 tag: "en-ru" (English and Russian) would read as "English (Russia)", so take the first."""
    return session.language.split("-")[0]


def event_description(session):
    """Plain text: the languages spoken and the interpretation offered (the abstract has its own element)."""
    language = dict(SessionLanguage.choices).get(session.language, session.language)
    lines = [_("Language: %(language)s") % {"language": language}]
    if session.interpretation:
        lines.append(str(dict(Interpretation.choices).get(session.interpretation, session.interpretation)))
    return "\n".join(lines)


def event_links(session, base_url):
    """Links a conference app can offer beside the session page: its calendar file."""
    return [{"url": f"{base_url}{session.path}session.ics", "title": _("Calendar file"), "type": "related"}]


def person_guid(speaker_id):
    return str(uuid.uuid5(GUID_NAMESPACE, f"speaker:{speaker_id}"))


def duration_text(session):
    minutes = session.duration_minutes
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_name(schedule, session):
    room = schedule.rooms_by_id.get(session.room_id)
    if room:
        return room["name"]
    return venue_room(schedule)["name"]


def event_title(session):
    if session.is_cancelled:
        return _("Cancelled: %(title)s") % {"title": session.title}
    return session.title


def event_type(session):
    return str(dict(SessionKind.choices).get(session.kind, session.kind))


# Sessions outside every track (breaks, plenaries) are grouped by their kind, in a neutral colour.
KIND_TRACK_COLOUR = "#5f6368"


def track_name(schedule, session):
    track = schedule.tracks_by_id.get(session.track_id)
    return track["name"] if track else event_type(session)


def export_tracks(schedule, sessions):
    """The conference's tracks, and one per kind of session that has no track (see track_name)."""
    tracks = [{"name": track["name"], "slug": track["slug"], "colour": track["colour"]} for track in schedule.tracks]
    kinds = dict.fromkeys(session.kind for session in sessions if session.track_id not in schedule.tracks_by_id)
    for kind in kinds:
        name = str(dict(SessionKind.choices).get(kind, kind))
        tracks.append({"name": name, "slug": "kind-" + kind.replace("_", "-"), "colour": KIND_TRACK_COLOUR})
    return tracks


def schedule_version(schedule):
    """The latest schedule release's name; before the first release, the programme's cache generation."""
    return latest_release_name(schedule.conference_id) or schedule.generation or "1"


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


def json_event(schedule, session, *, room, base_url):
    return {
        "id": session.id,
        "guid": session.guid,
        "code": event_code(session),
        "date": session.local_start.isoformat(),
        "start": session.local_start.strftime("%H:%M"),
        "end": session.local_end.isoformat(),
        "duration": duration_text(session),
        "room": room,
        "slug": event_slug(schedule, session),
        "url": base_url + session.path,
        "title": event_title(session),
        "subtitle": "",
        "track": track_name(schedule, session),
        "type": event_type(session),
        "language": primary_language(session),
        "abstract": session.abstract_text,
        "description": event_description(session),
        "persons": [
            {
                "id": speaker.id,
                "guid": person_guid(speaker.id),
                "public_name": speaker.name,
                "url": base_url + speaker.path,
            }
            for speaker in session.speakers
        ],
        "links": event_links(session, base_url),
        "attachments": [],
    }


def render_json(schedule, sessions, *, base_url=None):
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    days = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": start.isoformat(),
            "day_end": end.isoformat(),
            "rooms": {
                name: [json_event(schedule, session, room=name, base_url=base_url) for session in room_sessions]
                for name, room_sessions in rooms.items()
            },
        }
        for index, day, start, end, rooms in days_with_rooms(schedule, sessions)
    ]
    rooms = []
    for room in export_rooms(schedule, sessions):
        entry = {"name": room["name"], "slug": room["slug"], "guid": room["guid"], "capacity": room["capacity"]}
        if room["accessibility"]:
            entry["description"] = room["accessibility"]
        rooms.append(entry)
    document = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION},
        "schedule": {
            "version": schedule_version(schedule),
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
                "rooms": rooms,
                "tracks": [
                    {"name": track["name"], "slug": track["slug"], "color": track["colour"]}
                    for track in export_tracks(schedule, sessions)
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


def xml_event(schedule, session, *, parent, room, base_url):
    event = _sub(parent, "event", id=session.id, guid=session.guid, code=event_code(session))
    _sub(event, "room", room)
    _sub(event, "title", event_title(session))
    # pretalx 2023.1.3 reads <subtitle>'s text without checking that the element exists.
    _sub(event, "subtitle", "")
    _sub(event, "type", event_type(session))
    _sub(event, "date", session.local_start.isoformat())
    _sub(event, "start", session.local_start.strftime("%H:%M"))
    _sub(event, "duration", duration_text(session))
    _sub(event, "abstract", session.abstract_text)
    _sub(event, "slug", event_slug(schedule, session))
    _sub(event, "track", track_name(schedule, session))
    _sub(event, "language", primary_language(session))
    _sub(event, "description", event_description(session))
    _sub(event, "url", base_url + session.path)
    persons = _sub(event, "persons")
    for speaker in session.speakers:
        _sub(persons, "person", speaker.name, id=speaker.id, guid=person_guid(speaker.id))
    links = event_links(session, base_url)
    if links:
        links_element = _sub(event, "links")
        for link in links:
            _sub(links_element, "link", link["title"], href=link["url"], type=link["type"])
    return event


def render_xml(schedule, sessions, *, base_url=None):
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    root = ElementTree.Element("schedule")
    _sub(root, "generator", name=GENERATOR_NAME, version=GENERATOR_VERSION)
    _sub(root, "url", base_url + schedule.programme_path + "schedule.xml")
    _sub(root, "version", schedule_version(schedule))
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
    for track in export_tracks(schedule, sessions):
        _sub(conference, "track", track["name"], name=track["name"], slug=track["slug"], color=track["colour"].lower())
    guids = {room["name"]: room["guid"] for room in export_rooms(schedule, sessions)}
    for index, day, start, end, rooms in days_with_rooms(schedule, sessions):
        day_element = _sub(root, "day", index=index, date=day.isoformat(), start=start.isoformat(), end=end.isoformat())
        for name, room_sessions in rooms.items():
            room_element = _sub(day_element, "room", name=name, guid=guids[name])
            for session in room_sessions:
                xml_event(schedule, session, parent=room_element, room=name, base_url=base_url)
    ElementTree.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


class FrabJsonExporter:
    identifier = "json"
    content_type = "application/json; charset=utf-8"

    def render(self, schedule, sessions, *, name):
        return render_json(schedule, sessions)


class FrabXmlExporter:
    identifier = "xml"
    content_type = "application/xml; charset=utf-8"

    def render(self, schedule, sessions, *, name):
        return render_xml(schedule, sessions)
