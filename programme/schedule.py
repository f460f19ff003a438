"""The published programme of one conference, gathered once (a constant number of queries) and cached per
language until anything in it changes; every view and exporter reads it from here."""

import hashlib
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from conference.localized_fields import localized

# The UID suffix never changes, whatever the site's address becomes, so that calendars keep matching events.
UID_DOMAIN = "sessions.harm-reduction-conference"
GUID_NAMESPACE = uuid.UUID("5d1f8e36-4b1c-4a43-9c55-0f3e8e1b2a10")
GLOBAL_GENERATION_KEY = "programme:generation:all"
CACHE_TIMEOUT = 60 * 60 * 24


class ScheduleFilterError(ValueError):
    """A filter value in the query string that the programme does not know. `code` names the parameter."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


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
        return self.status == "cancelled"

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
        import zoneinfo

        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self):
        from datetime import timedelta

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

    def absolute_url(self, path):
        return settings.SITE_URL + path


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


FILTER_NAMES = ("day", "track", "room", "kind", "language")


def parse_filters(query, schedule):
    """Read ?day=YYYY-MM-DD&track=SLUG&room=SLUG&kind=KIND&language=CODE; raise ScheduleFilterError with a
    message for the reader on a value the programme does not have."""
    from .models import SessionPage

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
            raise ScheduleFilterError("day", _("Write the day as YYYY-MM-DD, for example 2017-04-05."))
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
    if values["kind"] and values["kind"] not in dict(SessionPage.KIND_CHOICES):
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
            if filters.language in session.language.split("-") or session.interpretation == "en-ru"
        ]
    return sessions


# --- Cache generations --------------------------------------------------------------------------------------
# Every cached programme, export and page carries the generation it was built from; a change bumps the
# generation and so retires them all at once, in every process that shares the cache.


def _generation_key(conference_id):
    return f"programme:generation:{conference_id}"


def _new_token():
    # The moment of the change, then randomness so that two processes never pick the same token.
    return f"{time.time_ns():x}{uuid.uuid4().hex[:6]}"


def generation_moment(generation):
    """When the latest change behind `generation` happened (from its tokens), or None if it cannot tell."""
    moments = []
    for token in generation.split(".")[1:]:
        try:
            moments.append(datetime.fromtimestamp(int(token[:-6], 16) / 1e9, tz=UTC).replace(microsecond=0))
        except (ValueError, OverflowError, OSError):
            continue
    return max(moments, default=None)


def _build_id():
    """What this deployment renders with: the static files' manifest and the templates and code of the programme.
    The same in every worker of one deployment; a new deployment retires pages cached by the previous one (they
    would link old CSS and show old templates)."""
    digest = hashlib.sha1()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    package = Path(__file__).resolve().parent
    for folder, pattern in (
        (package, "*.py"),
        (package / "exporters", "*.py"),
        (Path(settings.BASE_DIR) / "templates", "**/*.html"),
    ):
        for path in sorted(folder.glob(pattern)):
            try:
                digest.update(f"{path.relative_to(folder)}:{path.stat().st_mtime_ns}".encode())
            except OSError:  # removed while we looked (an editor's temporary file): it does not count
                continue
    return digest.hexdigest()[:10]


BUILD_ID = _build_id()


def generation_from(values):
    """A generation string from the stored values of the generation keys (in generation_key_names order)."""
    return ".".join([BUILD_ID, *(str(value) for value in values)])


def schedule_generation(conference_id):
    """The current generation of a conference's programme: deployment, global part and conference part."""
    keys = generation_key_names(conference_id)
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, _new_token(), timeout=None)
            values[key] = cache.get(key)
    return generation_from(values[key] for key in keys)


def generation_key_names(conference_id):
    return [GLOBAL_GENERATION_KEY, _generation_key(conference_id)]


def invalidate_programme(conference_id=None):
    """Retire every cached programme, export and page of a conference (of all conferences without one)."""
    key = GLOBAL_GENERATION_KEY if conference_id is None else _generation_key(conference_id)
    cache.set(key, _new_token(), timeout=None)


# --- Gathering ----------------------------------------------------------------------------------------------


def abstract_as_text(raw_blocks):
    """Plain text of an abstract StreamField, from its raw data (no block rendering, so no queries)."""
    paragraphs = []
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            text = re.sub(r"</(p|li|h\d)>", "\n", value)
            paragraphs.append(unescape(strip_tags(text)).strip())
        elif kind == "quote" and isinstance(value, dict):
            paragraphs.append(value.get("quote", "").strip())
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def page_path(page):
    """The page's path on its site, with the language prefix of its locale."""
    parts = page.get_url_parts()
    return parts[2] if parts else ""


def get_schedule(conference, language=None):
    """The published programme of `conference` in `language` (default: the conference page's), from the shared
    cache or gathered now."""
    canonical = conference.canonical
    if language is None:
        language = conference.locale.language_code
    generation = schedule_generation(canonical.pk)
    key = f"programme:schedule:{canonical.pk}:{language}:{generation}"
    schedule = cache.get(key)
    if schedule is None:
        schedule = gather_schedule(canonical, language=language, generation=generation)
        cache.set(key, schedule, CACHE_TIMEOUT)
    return schedule


def gather_schedule(canonical, *, language, generation=""):
    """Read the programme from the database: the same handful of queries for 1 or 600 sessions."""
    from .models import ProgrammePage, Room, SessionPage, SessionSpeaker, SpeakerIndexPage, SpeakerPage, Track

    default_locale = Locale.get_default()
    locale = Locale.objects.filter(language_code=language).first() or default_locale
    tzinfo = canonical.tzinfo
    programme = ProgrammePage.objects.child_of(canonical).live().first()
    sessions = []
    if programme is not None:
        sessions = list(
            SessionPage.objects.child_of(programme)
            .live()
            .filter(locale=default_locale)
            .select_related("room", "track")
            .prefetch_related(
                Prefetch(
                    "speaker_links",
                    queryset=SessionSpeaker.objects.filter(speaker__live=True)
                    .select_related("speaker")
                    .only(
                        "session_id",
                        "role",
                        "sort_order",
                        "speaker__title",
                        "speaker__slug",
                        "speaker__translation_key",
                        "speaker__organisation",
                        "speaker__country",
                    )
                    .order_by("sort_order"),
                )
            )
            .order_by("start", "room__sort_order", "title")
        )
    localized_conference = canonical
    localized_programme = programme
    speaker_index = SpeakerIndexPage.objects.child_of(canonical).live().first()
    localized_speaker_index = speaker_index
    session_translations, speaker_translations = {}, {}
    if locale.pk != default_locale.pk:
        localized_conference = canonical.get_translation_or_none(locale) or canonical
        keys = [session.translation_key for session in sessions]
        for translation in (
            SessionPage.objects.live()
            .filter(locale=locale, translation_key__in=keys)
            .only("translation_key", "title", "slug", "abstract", "last_published_at", "url_path", "path", "depth")
        ):
            session_translations[translation.translation_key] = translation
        speaker_keys = {link.speaker.translation_key for session in sessions for link in session.speaker_links.all()}
        for translation in (
            SpeakerPage.objects.live()
            .filter(locale=locale, translation_key__in=speaker_keys)
            .only("translation_key", "title", "slug")
        ):
            speaker_translations[translation.translation_key] = translation
        if programme is not None:
            localized_programme = (
                ProgrammePage.objects.live().filter(translation_key=programme.translation_key, locale=locale).first()
                or programme
            )
        if speaker_index is not None:
            localized_speaker_index = (
                SpeakerIndexPage.objects.live()
                .filter(translation_key=speaker_index.translation_key, locale=locale)
                .first()
                or speaker_index
            )
    programme_path = page_path(localized_programme) if localized_programme else ""
    speakers_path = page_path(localized_speaker_index) if localized_speaker_index else ""
    # Untranslated sessions and speakers keep the visitor's language prefix: /ru/…/<english-slug>/ serves the
    # English page in Russian menus with a note (HomePage.route), rather than dropping them into English.

    entries = []
    for session in sessions:
        translation = session_translations.get(session.translation_key)
        speakers = []
        for link in session.speaker_links.all():
            speaker_translation = speaker_translations.get(link.speaker.translation_key)
            if speaker_translation is not None:
                name, path = speaker_translation.title, f"{speakers_path}{speaker_translation.slug}/"
            else:
                name, path = link.speaker.title, f"{speakers_path}{link.speaker.slug}/"
            speakers.append(
                SpeakerEntry(
                    id=link.speaker_id,
                    name=name,
                    path=path,
                    organisation=link.speaker.organisation,
                    country=link.speaker.country,
                    role=link.role,
                )
            )
        if translation is not None:
            title, slug, path = translation.title, translation.slug, f"{programme_path}{translation.slug}/"
            abstract_text = abstract_as_text(translation.abstract.raw_data) or abstract_as_text(
                session.abstract.raw_data
            )
            modified_candidates = [session.last_published_at, translation.last_published_at, session.facts_changed_at]
        else:
            title, slug, path = session.title, session.slug, f"{programme_path}{session.slug}/"
            abstract_text = abstract_as_text(session.abstract.raw_data)
            modified_candidates = [session.last_published_at, session.facts_changed_at]
        last_modified = max((moment for moment in modified_candidates if moment), default=datetime.now(UTC))
        entries.append(
            SessionEntry(
                id=session.pk,
                translation_key=str(session.translation_key),
                slug=slug,
                path=path,
                title=title,
                abstract_text=abstract_text,
                kind=session.kind,
                status=session.status,
                language=session.language,
                interpretation=session.interpretation,
                start=session.start.astimezone(UTC),
                end=session.end.astimezone(UTC),
                local_start=session.start.astimezone(tzinfo),
                local_end=session.end.astimezone(tzinfo),
                room_id=session.room_id,
                track_id=session.track_id,
                speakers=tuple(speakers),
                sequence=session.sequence,
                last_modified=last_modified.replace(microsecond=0),
            )
        )
    rooms = [
        {
            "id": room.pk,
            "name": localized(room, "name", language),
            "slug": room.slug,
            "capacity": room.capacity,
            "accessibility": room.accessibility,
        }
        for room in Room.objects.filter(conference=canonical)
    ]
    tracks = [
        {
            "id": track.pk,
            "name": localized(track, "name", language),
            "slug": track.slug,
            "colour": track.colour,
            "description": track.description,
        }
        for track in Track.objects.filter(conference=canonical)
    ]
    venue = canonical.venue
    moments = [entry.last_modified for entry in entries]
    if programme is not None and programme.last_published_at:
        moments.append(programme.last_published_at.replace(microsecond=0))
    if canonical.last_published_at:
        moments.append(canonical.last_published_at.replace(microsecond=0))
    # Unpublishing or deleting the newest session must not turn Last-Modified back (If-Modified-Since would
    # then answer 304 for a changed file): the moment of the change itself counts too.
    changed_at = generation_moment(generation)
    if changed_at:
        moments.append(changed_at)
    return Schedule(
        conference_id=canonical.pk,
        conference_title=localized_conference.title,
        conference_slug=canonical.slug,
        conference_path=page_path(localized_conference),
        time_zone=canonical.time_zone,
        start_date=canonical.start_date,
        end_date=canonical.end_date,
        venue_name=venue.name if venue else "",
        venue_address=venue.address if venue else "",
        city=(venue.city if venue else "") or canonical.city,
        language=locale.language_code,
        programme_path=programme_path,
        speakers_path=speakers_path,
        rooms=rooms,
        tracks=tracks,
        sessions=entries,
        generation=generation,
        last_modified=max(moments, default=datetime.now(UTC).replace(microsecond=0)),
    )


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


def speaker_conflicts(session):
    """[(speaker, other session)] for each speaker of `session` (its current, possibly unsaved, speaker list)
    who is also in another published, scheduled default-language session at an overlapping time."""
    from .models import SessionPage

    if session.locale_id != Locale.get_default().pk or not session.start or not session.end:
        return []
    speakers = [link.speaker for link in session.speaker_links.all() if link.speaker_id]
    if not speakers:
        return []
    others = (
        SessionPage.objects.live()
        .filter(
            locale=session.locale_id,
            status=SessionPage.STATUS_SCHEDULED,
            start__lt=session.end,
            end__gt=session.start,
            speaker_links__speaker__in=speakers,
        )
        .exclude(pk=session.pk)
        .distinct()
        .prefetch_related("speaker_links")
    )
    conflicts = []
    for other in others:
        other_speaker_ids = {link.speaker_id for link in other.speaker_links.all()}
        for speaker in speakers:
            if speaker.pk in other_speaker_ids:
                conflicts.append((speaker, other))
    return conflicts
