"""The programme's filters (?day=, ?track=, ?room=, ?kind=, ?language=): read from a query string, checked against
one conference's schedule, and applied to its sessions."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from conference.templatetags.local_dates import format_local_date

from .enums import Interpretation, SessionKind


class ScheduleFilterError(ValueError):
    """A filter value in the query string that the programme does not know. `code` names the parameter."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ScheduleFilters:
    day: date | None = None
    track: str = ""
    room: str = ""
    kind: str = ""
    language: str = ""

    def as_query(self):
        """The filters as query-string pairs, in a fixed order (for links and cache keys)."""
        pairs = []
        if self.day:
            pairs.append(("day", self.day.isoformat()))
        for name in ("track", "room", "kind", "language"):
            value = getattr(self, name)
            if value:
                pairs.append((name, value))
        return pairs

    def __bool__(self):
        return bool(self.as_query())

    def labels(self, schedule):
        """What the filters show, in the reader's words ("Wednesday 5 April", a track's name): for the page title,
        so that each filtered programme has a title of its own."""
        labels = [format_local_date(self.day, "day")] if self.day else []
        labels += [track["name"] for track in schedule.tracks if track["slug"] == self.track]
        labels += [room["name"] for room in schedule.rooms if room["slug"] == self.room]
        if self.kind:
            labels.append(SessionKind(self.kind).label)
        if self.language:
            labels.append(LANGUAGE_LABELS[self.language])
        return [str(label) for label in labels]


LANGUAGE_LABELS = {"en": _("in English"), "ru": _("in Russian")}
FILTER_NAMES = ("day", "track", "room", "kind", "language")


def parse_filters(query, schedule):
    """Read ?day=YYYY-MM-DD&track=SLUG&room=SLUG&kind=KIND&language=CODE; raise ScheduleFilterError with a
    message for the reader on a value the programme does not have."""
    values = {}
    for name in FILTER_NAMES:
        raw = query.get(name, "")
        if len(raw) > 100:
            raise ScheduleFilterError(name, _("The filter “%(name)s” is too long.") % {"name": name})
        values[name] = raw.strip()
    day = None
    if values["day"]:
        try:
            day = date.fromisoformat(values["day"])
        except ValueError:
            raise ScheduleFilterError("day", _("Write the day as YYYY-MM-DD, for example 2017-04-05.")) from None
        if day not in schedule.days:
            raise ScheduleFilterError(
                "day",
                _("The conference runs from %(first)s to %(last)s; %(day)s is not one of its days.")
                % {"first": schedule.start_date.isoformat(), "last": schedule.end_date.isoformat(), "day": day},
            )
    if values["track"] and values["track"] not in {track["slug"] for track in schedule.tracks}:
        raise ScheduleFilterError(
            "track", _("There is no track “%(slug)s” in this programme.") % {"slug": values["track"]}
        )
    if values["room"] and values["room"] not in {room["slug"] for room in schedule.rooms}:
        raise ScheduleFilterError(
            "room", _("There is no room “%(slug)s” in this programme.") % {"slug": values["room"]}
        )
    if values["kind"] and values["kind"] not in SessionKind.values:
        raise ScheduleFilterError("kind", _("There is no session kind “%(kind)s”.") % {"kind": values["kind"]})
    if values["language"] and values["language"] not in {"en", "ru"}:
        raise ScheduleFilterError("language", _("Filter by language with en or ru."))
    return ScheduleFilters(
        day=day, track=values["track"], room=values["room"], kind=values["kind"], language=values["language"]
    )


def filter_sessions(schedule, filters):
    """The sessions of `schedule` that pass `filters` (a session in English and Russian passes both)."""
    track_ids = {track["slug"]: track["id"] for track in schedule.tracks}
    room_ids = {room["slug"]: room["id"] for room in schedule.rooms}
    sessions = schedule.sessions
    if filters.day:
        sessions = [session for session in sessions if session.day == filters.day]
    if filters.track:
        sessions = [session for session in sessions if session.track_id == track_ids[filters.track]]
    if filters.room:
        sessions = [session for session in sessions if session.room_id == room_ids[filters.room]]
    if filters.kind:
        sessions = [session for session in sessions if session.kind == filters.kind]
    if filters.language:
        sessions = [
            session
            for session in sessions
            if filters.language in session.language.split("-")
            or session.interpretation == Interpretation.ENGLISH_RUSSIAN
        ]
    return sessions
