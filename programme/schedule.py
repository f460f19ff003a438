"""The published programme of one conference as plain values (Schedule, SessionEntry, SpeakerEntry) that every
view and exporter reads, and the questions asked of it (sessions by day, now and next). Gathered and cached by
programme.gathering."""

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .enums import SessionStatus

# The UID suffix never changes, whatever the site's address becomes, so that calendars keep matching events.
UID_DOMAIN = "sessions.harm-reduction-conference"
GUID_NAMESPACE = uuid.UUID("5d1f8e36-4b1c-4a43-9c55-0f3e8e1b2a10")


@dataclass(frozen=True)
class SpeakerEntry:
    id: int
    name: str
    path: str
    organisation: str
    country: str
    role: str


@dataclass(frozen=True)
class SessionEntry:
    id: int
    translation_key: str
    slug: str
    path: str
    title: str
    abstract_text: str
    kind: str
    status: str
    language: str
    interpretation: str
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime
    room_id: int | None
    track_id: int | None
    speakers: tuple
    sequence: int
    last_modified: datetime

    @property
    def pk(self):
        """The default-language SessionPage's pk, like a page's (the agenda and star buttons key on it)."""
        return self.id

    @property
    def uid(self):
        return f"{self.translation_key}@{UID_DOMAIN}"

    @property
    def guid(self):
        return str(uuid.uuid5(GUID_NAMESPACE, str(self.translation_key)))

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

    @property
    def day(self):
        return self.local_start.date()

    @property
    def duration_minutes(self):
        return int((self.end - self.start).total_seconds() // 60)


@dataclass
class Schedule:
    """Everything the programme views and exports show, as plain values that pickle into the shared cache."""

    conference_id: int
    conference_title: str
    conference_slug: str
    conference_path: str
    time_zone: str
    start_date: date
    end_date: date
    venue_name: str
    venue_address: str
    city: str
    language: str
    programme_path: str
    speakers_path: str
    rooms: list
    tracks: list
    sessions: list
    generation: str
    last_modified: datetime

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self):
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    @property
    def rooms_by_id(self):
        return {room["id"]: room for room in self.rooms}

    @property
    def tracks_by_id(self):
        return {track["id"]: track for track in self.tracks}

    def location(self, session):
        """Room and venue, for calendars: "Room 1, Radisson Blu Hotel Lietuva, Vilnius"."""
        parts = []
        room = self.rooms_by_id.get(session.room_id)
        if room:
            parts.append(room["name"])
        if self.venue_name:
            parts.append(self.venue_name)
        if self.city:
            parts.append(self.city)
        return ", ".join(parts)


def sessions_by_day(schedule, sessions):
    """[(day, [(local start, [sessions])...])...] for every conference day that has sessions."""
    days = {}
    for session in sessions:
        slots = days.setdefault(session.day, {})
        slots.setdefault(session.local_start, []).append(session)
    return [(day, sorted(slots.items())) for day, slots in sorted(days.items())]


def now_and_next(schedule, *, now):
    """Sessions running at `now` and those starting next (the next start time's sessions), cancelled ones out."""
    scheduled = [session for session in schedule.sessions if not session.is_cancelled]
    running = [session for session in scheduled if session.start <= now < session.end]
    upcoming = [session for session in scheduled if session.start > now]
    next_start = min((session.start for session in upcoming), default=None)
    following = [session for session in upcoming if session.start == next_start]
    return running, following
