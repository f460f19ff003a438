"""iCalendar (RFC 5545) files of the programme, built with the icalendar library: one VEVENT per session."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _
from icalendar.parser import Contentline

from ..enums import SessionKind, SpeakerRole

PRODID = "-//Harm Reduction Conferences//Programme//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def base_url_of(request_or_base_url):
    """The site's address the events' URLs start with, without a trailing slash."""
    if request_or_base_url is None:
        return settings.SITE_URL
    if isinstance(request_or_base_url, str):
        return request_or_base_url.rstrip("/")
    return request_or_base_url.build_absolute_uri("/").rstrip("/")


def event_labels():
    """The translated words every event repeats, looked up once per calendar rather than once per session."""
    return {
        "roles": {code: str(label) for code, label in SpeakerRole.choices},
        "kinds": {code: str(label) for code, label in SessionKind.choices},
        "track": _("Track: %(name)s"),
    }


def session_description(schedule, session, labels=None):
    """Plain text for DESCRIPTION: speakers (with role), track, the abstract."""
    labels = labels or event_labels()
    lines = []
    roles = labels["roles"]
    for speaker in session.speakers:
        who = speaker.name + (f" ({speaker.organisation})" if speaker.organisation else "")
        lines.append(f"{roles.get(speaker.role, speaker.role)}: {who}")
    track = schedule.tracks_by_id.get(session.track_id)
    if track:
        lines.append(labels["track"] % {"name": track["name"]})
    if session.abstract_text:
        if lines:
            lines.append("")
        lines.append(session.abstract_text)
    return "\n".join(lines)


def build_event(schedule, session, *, base_url, labels=None):
    """One VEVENT for a SessionEntry; times carry TZID of the conference's zone. `labels`: event_labels()."""
    labels = labels or event_labels()
    event = icalendar.Event()
    event.add("uid", session.uid)
    # Without METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2), which keeps the file
    # byte-identical (and its ETag stable) until something changes.
    event.add("dtstamp", session.last_modified)
    event.add("last-modified", session.last_modified)
    event.add("dtstart", session.local_start)
    event.add("dtend", session.local_end)
    event.add("sequence", session.sequence)
    title = session.title
    if session.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": session.title}
    event.add("summary", title)
    location = schedule.location(session)
    if location:
        event.add("location", location)
    description = session_description(schedule, session, labels)
    if description:
        event.add("description", description)
    event.add("url", base_url + session.path)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if session.kind == "break" else "OPAQUE")
    categories = [labels["kinds"].get(session.kind, session.kind)]
    track = schedule.tracks_by_id.get(session.track_id)
    if track:
        categories.append(track["name"])
    event.add("categories", categories)
    return event


def build_calendar(sessions, *, schedule, name, request_or_base_url=None):
    """Turn sessions into an icalendar.Calendar.

    sessions: SessionEntry items of `schedule` (e.g. a filtered or personal selection of
        `programme.gathering.get_schedule(conference, language).sessions`; match them by `entry.id`, the
        default-language SessionPage pk, or `entry.translation_key`).
    schedule: the programme.schedule.Schedule they come from (rooms, tracks, venue, time zone).
    name: the calendar's display name (X-WR-CALNAME and NAME).
    request_or_base_url: an HttpRequest or a base URL such as "https://example.org" for the events' URL;
        None uses settings.SITE_URL.
    Returns the Calendar with one VEVENT per session (cancelled ones with STATUS:CANCELLED) and a VTIMEZONE
    for the conference's zone; call calendar_bytes() (or .to_ical()) for the bytes.
    """
    base_url = base_url_of(request_or_base_url)
    calendar = empty_calendar(name=name, time_zone=schedule.time_zone)
    labels = event_labels()
    for session in sessions:
        calendar.add_component(build_event(schedule, session, base_url=base_url, labels=labels))
    first = min((session.local_start.date() for session in sessions), default=schedule.start_date)
    last = max((session.local_end.date() for session in sessions), default=schedule.end_date)
    calendar.add_missing_timezones(first_date=first - TIME_ZONE_MARGIN, last_date=last + TIME_ZONE_MARGIN)
    return calendar


# A VTIMEZONE covers a year either side of the events: calendar apps may show them in other years' rules.
TIME_ZONE_MARGIN = timedelta(days=366)


def calendar_name(name):
    """`name` without commas and semicolons: valid in NAME and X-WR-CALNAME when escaped, but vobject and the
    calendar apps built on it show the escapes ("Programme (2017-04-05\\, workshop)")."""
    return " ".join(name.replace(",", " ").replace(";", " ").split())


def empty_calendar(*, name, time_zone):
    """A Calendar with the properties of every file here and no components."""
    name = calendar_name(name)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # TEXT values (RFC 7986 NAME): icalendar leaves these unescaped unless told, and vobject then cuts the
    # name at its first comma.
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-wr-timezone", time_zone)
    # Ask subscribed calendars to look for changes every hour.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


# RFC 5545 3.1: content lines longer than 75 octets are folded; icalendar folds a line once it would reach 75.
FOLD_LIMIT = 75
FOLD_ESCAPES = "\\^"  # icalendar never ends a folded part with these (TEXT and parameter escapes)


def fold(line):
    """One content line as icalendar's Contentline.to_ical() gives it, byte for byte. The library walks every
    character of every line; a 600-session calendar spends most of its serialisation there, though most lines
    need no fold at all and the rest are mostly ASCII."""
    encoded = line.encode()
    if len(encoded) < FOLD_LIMIT:
        return encoded
    if len(encoded) != len(line):  # characters of several bytes: the library's own walk
        return Contentline(line).to_ical()
    parts, start, width = [], 0, FOLD_LIMIT - 1
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in FOLD_ESCAPES:
            end -= 1  # keep an escape with the character it escapes
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts).encode()


def calendar_bytes(calendar):
    """calendar.to_ical(), the same bytes, folded faster (also for one component, e.g. a VEVENT)."""
    return b"\r\n".join(fold(line) for line in calendar.content_lines() if line) + b"\r\n"


def time_zone_bytes(time_zone, *, first_date, last_date):
    """The serialised VTIMEZONE of `time_zone` for events from `first_date` to `last_date`, as build_calendar
    adds it (a margin either side), or b"" for a zone icalendar does not know."""
    try:
        component = icalendar.Timezone.from_tzid(
            time_zone, first_date=first_date - TIME_ZONE_MARGIN, last_date=last_date + TIME_ZONE_MARGIN
        )
    except ValueError:
        return b""
    return calendar_bytes(component)


def joined_calendar(*, name, time_zone, components):
    """The bytes of a calendar like build_calendar's from already serialised VTIMEZONE and VEVENT components (each
    as calendar_bytes gives it), in the order given."""
    frame = calendar_bytes(empty_calendar(name=name, time_zone=time_zone))
    end = b"END:VCALENDAR\r\n"
    return frame.removesuffix(end) + b"".join(components) + end


class ICalExporter:
    identifier = "ics"
    content_type = CONTENT_TYPE

    def render(self, schedule, sessions, *, name):
        return calendar_bytes(build_calendar(sessions, schedule=schedule, name=name))
