"""Reading the published programme of one conference from the database into a Schedule (a constant number of
queries for 1 or 600 sessions), and keeping it in the shared cache per language until anything in it changes."""

import dataclasses
import re
from datetime import UTC, datetime
from html import unescape

from django.apps import apps
from django.core.cache import cache
from django.utils.html import strip_tags
from wagtail.models import Locale

from conference.localized_fields import localized

from .cache import (
    CACHE_TIMEOUT,
    frame_key,
    generation_moment,
    schedule_generation,
    schedule_generations,
    schedule_key,
    session_entry_key,
)
from .schedule import Schedule, SessionEntry, SpeakerEntry

SESSION_FIELDS = (
    "id",
    "translation_key",
    "title",
    "slug",
    "abstract",
    "kind",
    "status",
    "language",
    "interpretation",
    "start",
    "end",
    "room_id",
    "track_id",
    "sequence",
    "last_published_at",
    "facts_changed_at",
)
SPEAKER_LINK_FIELDS = (
    "session_id",
    "speaker_id",
    "role",
    "speaker__title",
    "speaker__slug",
    "speaker__translation_key",
    "speaker__organisation",
    "speaker__country",
)


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
    return _cached_schedule(canonical.pk, language, lambda: canonical)


def get_schedule_by_id(conference_id, language):
    """The published programme of the default-language conference with pk `conference_id` in `language`, or None
    if there is no such conference. The conference page is read only when the programme is not in the cache: an
    attendee's agenda knows its conferences by pk."""

    def conference():
        return apps.get_model("conference", "ConferencePage").objects.filter(pk=conference_id).first()

    return _cached_schedule(conference_id, language, conference)


def _cached_schedule(conference_id, language, load_canonical):
    generation = schedule_generation(conference_id)
    key = schedule_key(conference_id, language, generation)
    schedule = cache.get(key)
    if schedule is None:
        canonical = load_canonical()
        if canonical is None:
            return None
        schedule = gather_schedule(canonical, language=language, generation=generation)
        cache.set(key, schedule, CACHE_TIMEOUT)
    return schedule


@dataclasses.dataclass
class PublishedSessions:
    """Some sessions of a conference's gathered programme: `schedule` is the programme without its sessions (title,
    address, time zone, rooms, tracks, venue), `sessions` those asked for that are published, in programme order."""

    schedule: Schedule
    sessions: list


def published_sessions(wanted, language):
    """{conference pk: PublishedSessions} for `wanted`, {default-language conference pk: session pks}, in `language`.

    A personal page needs a few sessions of a programme that may hold hundreds: each session and each programme's
    frame is kept in the shared cache on its own, so that this reads (and unpickles) only those, in two reads of
    the cache however many conferences. What is missing comes from the whole programme (get_schedule_by_id) and is
    kept for the next visitor. Conferences that no longer exist are left out."""
    wanted = {conference_id: list(dict.fromkeys(session_ids)) for conference_id, session_ids in wanted.items()}
    generations = schedule_generations(list(wanted))
    keys = []
    for conference_id, session_ids in wanted.items():
        generation = generations[conference_id]
        keys += [frame_key(conference_id, language, generation)]
        keys += [session_entry_key(pk, language, generation) for pk in session_ids]
    found = cache.get_many(keys)
    result = {}
    for conference_id, session_ids in wanted.items():
        generation = generations[conference_id]
        frame = found.get(frame_key(conference_id, language, generation))
        entries = [found.get(session_entry_key(pk, language, generation)) for pk in session_ids]
        if frame is None or any(entry is None for entry in entries):
            frame, entries = _keep_published(conference_id, language, session_ids)
            if frame is None:
                continue
        order = frame["order"]
        sessions = sorted((entry for entry in entries if entry), key=lambda entry: order[entry.id])
        result[conference_id] = PublishedSessions(schedule=frame["schedule"], sessions=sessions)
    return result


def _keep_published(conference_id, language, session_ids):
    """The frame and entries of `session_ids` (False for those not published) from the whole programme, and keep
    them in the cache under the programme's generation; (None, []) for a conference that no longer exists."""
    schedule = get_schedule_by_id(conference_id, language)
    if schedule is None:
        return None, []
    frame = {
        "schedule": dataclasses.replace(schedule, sessions=[]),
        "order": {session.id: position for position, session in enumerate(schedule.sessions)},
    }
    by_id = {session.id: session for session in schedule.sessions}
    entries = [by_id.get(pk, False) for pk in session_ids]
    generation = schedule.generation
    kept = {frame_key(conference_id, language, generation): frame}
    for pk, entry in zip(session_ids, entries, strict=True):
        kept[session_entry_key(pk, language, generation)] = entry
    cache.set_many(kept, CACHE_TIMEOUT)
    return frame, entries


def gather_schedule(canonical, *, language, generation=""):
    """Read the programme from the database: the same handful of queries for 1 or 600 sessions."""
    # Through the app registry, not an import: the page models serve this schedule (programme.views), so an import
    # here would close a cycle models -> views -> gathering -> models.
    names = ("ProgrammePage", "Room", "SessionPage", "SessionSpeaker", "SpeakerIndexPage", "SpeakerPage", "Track")
    ProgrammePage, Room, SessionPage, SessionSpeaker, SpeakerIndexPage, SpeakerPage, Track = (
        apps.get_model("programme", name) for name in names
    )

    default_locale = Locale.get_default()
    locale = Locale.objects.filter(language_code=language).first() or default_locale
    tzinfo = canonical.tzinfo
    programme = ProgrammePage.objects.child_of(canonical).live().first()
    # Plain rows, not page instances: building 600 sessions and 1,800 speaker pages (Wagtail and modelcluster
    # set-up per instance) cost more than the queries themselves.
    sessions = []
    if programme is not None:
        sessions = list(
            SessionPage.objects.child_of(programme)
            .live()
            .filter(locale=default_locale)
            .order_by("start", "room__sort_order", "title")
            .values(*SESSION_FIELDS)
        )
    links = {}
    for link in (
        SessionSpeaker.objects.filter(session__in=[session["id"] for session in sessions], speaker__live=True)
        .order_by("sort_order")
        .values(*SPEAKER_LINK_FIELDS)
    ):
        links.setdefault(link["session_id"], []).append(link)
    localized_conference = canonical
    localized_programme = programme
    speaker_index = SpeakerIndexPage.objects.child_of(canonical).live().first()
    localized_speaker_index = speaker_index
    session_translations, speaker_translations = {}, {}
    if locale.pk != default_locale.pk:
        localized_conference = canonical.get_translation_or_none(locale) or canonical
        keys = [session["translation_key"] for session in sessions]
        for translation in (
            SessionPage.objects.live()
            .filter(locale=locale, translation_key__in=keys)
            .values("translation_key", "title", "slug", "abstract", "last_published_at")
        ):
            session_translations[translation["translation_key"]] = translation
        speaker_keys = {link["speaker__translation_key"] for session_links in links.values() for link in session_links}
        for translation in (
            SpeakerPage.objects.live()
            .filter(locale=locale, translation_key__in=speaker_keys)
            .values("translation_key", "title", "slug")
        ):
            speaker_translations[translation["translation_key"]] = translation
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

    entries = [
        _session_entry(
            session,
            links=links.get(session["id"], ()),
            translation=session_translations.get(session["translation_key"]),
            speaker_translations=speaker_translations,
            programme_path=programme_path,
            speakers_path=speakers_path,
            tzinfo=tzinfo,
        )
        for session in sessions
    ]
    rooms = [
        {
            "id": room.pk,
            "name": localized(room, "name", language),
            "slug": room.slug,
            "capacity": room.capacity,
            "accessibility": localized(room, "accessibility", language),
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
        venue_name=localized(venue, "name", language) if venue else "",
        venue_address=localized(venue, "address", language) if venue else "",
        city=(localized(venue, "city", language) if venue else "") or localized_conference.city or canonical.city,
        language=locale.language_code,
        programme_path=programme_path,
        speakers_path=speakers_path,
        rooms=rooms,
        tracks=tracks,
        sessions=entries,
        generation=generation,
        last_modified=max(moments, default=datetime.now(UTC).replace(microsecond=0)),
    )


def _session_entry(session, *, links, translation, speaker_translations, programme_path, speakers_path, tzinfo):
    """One session (a row of SESSION_FIELDS) as the schedule shows it, in the visitor's language where a translation
    exists."""
    speakers = []
    for link in links:
        speaker_translation = speaker_translations.get(link["speaker__translation_key"])
        if speaker_translation is not None:
            name, path = speaker_translation["title"], f"{speakers_path}{speaker_translation['slug']}/"
        else:
            name, path = link["speaker__title"], f"{speakers_path}{link['speaker__slug']}/"
        speakers.append(
            SpeakerEntry(
                id=link["speaker_id"],
                name=name,
                path=path,
                organisation=link["speaker__organisation"],
                country=link["speaker__country"],
                role=link["role"],
            )
        )
    own_abstract = abstract_as_text(session["abstract"].raw_data)
    if translation is not None:
        title, slug = translation["title"], translation["slug"]
        abstract_text = abstract_as_text(translation["abstract"].raw_data) or own_abstract
        modified_candidates = [session["last_published_at"], translation["last_published_at"]]
    else:
        title, slug = session["title"], session["slug"]
        abstract_text = own_abstract
        modified_candidates = [session["last_published_at"]]
    modified_candidates.append(session["facts_changed_at"])
    last_modified = max((moment for moment in modified_candidates if moment), default=datetime.now(UTC))
    start, end = session["start"], session["end"]
    return SessionEntry(
        id=session["id"],
        translation_key=str(session["translation_key"]),
        slug=slug,
        path=f"{programme_path}{slug}/",
        title=title,
        abstract_text=abstract_text,
        kind=session["kind"],
        status=session["status"],
        language=session["language"],
        interpretation=session["interpretation"],
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        local_start=start.astimezone(tzinfo),
        local_end=end.astimezone(tzinfo),
        room_id=session["room_id"],
        track_id=session["track_id"],
        speakers=tuple(speakers),
        sequence=session["sequence"],
        last_modified=last_modified.replace(microsecond=0),
    )
