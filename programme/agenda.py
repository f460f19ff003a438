"""The personal agenda: sessions an attendee stars, their clashes, and the private calendar feed of them."""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale

from conference.models import ConferencePage

from . import change_notices
from .cache import (
    CACHE_TIMEOUT,
    SITE_GENERATION_KEY,
    STARRABLE_KEY,
    agenda_event_key,
    current_generation,
    generation_from,
    time_zone_key,
)
from .exporters.ical import base_url_of, build_event, calendar_bytes, empty_calendar, event_labels, joined_calendar
from .exporters.ical import time_zone_bytes as make_time_zone_bytes
from .gathering import published_sessions
from .models import AgendaFeed, AgendaItem, SessionPage

# More stars than any programme has sessions: an import from browser storage is cut off here.
MAX_IMPORTED_STARS = 500
# The largest primary key the database can hold (a 64-bit integer); larger numbers name no session.
MAX_ID = 2**63 - 1
FEED_TOKEN_BYTES = 32


class AgendaError(Exception):
    """A refused agenda change; `code` says why (unknown_session)."""

    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


def canonical_session_id(session):
    """The default-language SessionPage pk of a session given as a SessionEntry, a SessionPage in any language,
    or a pk; stars and calendar UIDs always refer to that page."""
    if isinstance(session, int):
        return session
    if isinstance(session, SessionPage):
        default_locale = Locale.get_default()
        if session.locale_id == default_locale.pk:
            return session.pk
        return (
            SessionPage.objects.filter(translation_key=session.translation_key, locale=default_locale)
            .values_list("pk", flat=True)
            .first()
        )
    return session.id


def starrable_sessions():
    """{session pk: conference pk} of every published default-language session inside a conference: the same for
    everybody, so read from the shared cache (one read) and made again only after a page changed somewhere."""
    found = cache.get_many([STARRABLE_KEY, SITE_GENERATION_KEY])
    if SITE_GENERATION_KEY in found:
        generation = generation_from([found[SITE_GENERATION_KEY]])
    else:
        generation = current_generation([SITE_GENERATION_KEY])
    entry = found.get(STARRABLE_KEY)
    if entry is not None and entry["generation"] == generation:
        return entry["sessions"]
    # Read after the generation: a change committed meanwhile bumps it again and retires what is stored here.
    sessions = _read_starrable_sessions()
    cache.set(STARRABLE_KEY, {"generation": generation, "sessions": sessions}, CACHE_TIMEOUT)
    return sessions


def _read_starrable_sessions():
    conferences = dict(ConferencePage.objects.values_list("path", "pk"))
    steplen = SessionPage.steplen
    sessions = {}
    for session_id, path in SessionPage.objects.live().filter(locale=Locale.get_default()).values_list("pk", "path"):
        # The conference is an ancestor (session > programme > conference): the first one found from the root.
        ancestors = (path[:length] for length in range(steplen, len(path), steplen))
        conference_id = next((conferences[prefix] for prefix in ancestors if prefix in conferences), None)
        if conference_id is not None:
            sessions[session_id] = conference_id
    return sessions


def set_starred(*, user, session_id, starred):
    """Star or unstar one session for `user`; idempotent, so a double submit or a retry changes nothing.
    Returns whether the session is now starred. A star is one insert: the session and its conference come from
    starrable_sessions()."""
    if not 0 < session_id <= MAX_ID:
        # The URL takes any digits; a number no row can have would overflow the database's integer.
        raise AgendaError("unknown_session", "There is no published session with this number.")
    if not starred:
        AgendaItem.objects.filter(user=user, session_id=session_id).delete()
        return False
    conference_id = starrable_sessions().get(session_id)
    if conference_id is None:
        raise AgendaError("unknown_session", "There is no published session with this number.")
    try:
        # A star already there (a double submit, or the same star sent twice at the same moment) is kept as it is.
        AgendaItem.objects.bulk_create(
            [AgendaItem(user=user, session_id=session_id, conference_id=conference_id)], ignore_conflicts=True
        )
    except IntegrityError as error:
        # The session was deleted since the cache was read (its foreign key fails).
        raise AgendaError("unknown_session", "There is no published session with this number.") from error
    return True


def import_stars(*, user, session_ids):
    """Add the stars an anonymous visitor kept in browser storage; unknown or unpublished sessions are skipped.
    Returns the number of sessions newly starred."""
    wanted = []
    for value in list(session_ids)[:MAX_IMPORTED_STARS]:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: a JSON Infinity
            continue
        if 0 < number <= MAX_ID:
            wanted.append(number)
    starrable = starrable_sessions()
    items = [
        AgendaItem(user=user, session_id=number, conference_id=starrable[number])
        for number in dict.fromkeys(wanted)
        if number in starrable
    ]
    with transaction.atomic():
        before = AgendaItem.objects.filter(user=user).count()
        AgendaItem.objects.bulk_create(items, ignore_conflicts=True)
        return AgendaItem.objects.filter(user=user).count() - before


def starred_session_ids(user):
    """The pks of the sessions `user` has starred (an empty set for anonymous visitors, and for the warm-up's
    signed-in visitor without a user row, programme.page_cache.AnySignedInVisitor)."""
    if user is None or not user.is_authenticated or user.pk is None:
        return set()
    return set(AgendaItem.objects.filter(user=user).values_list("session_id", flat=True))


REQUEST_STARRED_ATTRIBUTE = "_agenda_starred_ids"


def request_starred_ids(request):
    """The signed-in user's starred session pks, read once per request however many stars the page shows."""
    if not hasattr(request, REQUEST_STARRED_ATTRIBUTE):
        setattr(request, REQUEST_STARRED_ATTRIBUTE, starred_session_ids(getattr(request, "user", None)))
    return getattr(request, REQUEST_STARRED_ATTRIBUTE)


def agenda_rows(user):
    """(session pk, conference pk, pk of the release with an unseen change or None) of each star of `user`, in one
    query: all that /my/ and the feed need from the stars."""
    return list(AgendaItem.objects.filter(user=user).values_list("session_id", "conference_id", "changed_in_id"))


@dataclass
class AgendaEntry:
    session: object  # programme.schedule.SessionEntry
    clashes_with: list = field(default_factory=list)  # SessionEntry items it overlaps
    room: dict | None = None  # the schedule's room entry


@dataclass
class AgendaDay:
    date: object
    entries: list


@dataclass
class ConferenceAgenda:
    schedule: object  # programme.schedule.Schedule, without its sessions (gathering.PublishedSessions)
    days: list

    @property
    def sessions(self):
        return [entry.session for day in self.days for entry in day.entries]


def find_clashes(sessions):
    """{session id: [sessions it overlaps]} among `sessions`; cancelled sessions clash with nothing."""
    active = [session for session in sessions if not session.is_cancelled]
    clashes = {session.id: [] for session in sessions}
    for index, first in enumerate(active):
        for second in active[index + 1 :]:
            if first.start < second.end and second.start < first.end:
                clashes[first.id].append(second)
                clashes[second.id].append(first)
    return clashes


def starred_by_conference(rows):
    """{conference pk: [starred session pks]} from agenda_rows(): what to ask gathering.published_sessions for."""
    wanted = {}
    for session_id, conference_id, _release_id in rows:
        wanted.setdefault(conference_id, []).append(session_id)
    return wanted


def personal_agenda(*, user, language, rows=None, published=None):
    """The starred sessions of `user` that are still published, per conference and day, in `language`, each with
    the starred sessions it clashes with. `rows`: agenda_rows(user) and `published`: gathering.published_sessions()
    for (at least) the starred sessions, when the caller has read them already. The sessions come from the
    gathered programmes in the shared cache: no query beyond the stars."""
    if rows is None:
        rows = agenda_rows(user)
    wanted = starred_by_conference(rows)
    if published is None:
        published = published_sessions(wanted, language)
    parts = sorted(
        (published[conference_id] for conference_id in wanted if conference_id in published),
        key=lambda part: (part.schedule.start_date, part.schedule.conference_id),
    )
    starred = {session_id for session_id, _conference_id, _release_id in rows}
    agendas = []
    for part in parts:
        sessions = [session for session in part.sessions if session.id in starred]
        if not sessions:
            continue
        clashes = find_clashes(sessions)
        rooms = part.schedule.rooms_by_id
        days = {}
        for session in sessions:
            entry = AgendaEntry(session=session, clashes_with=clashes[session.id], room=rooms.get(session.room_id))
            days.setdefault(session.day, []).append(entry)
        agendas.append(
            ConferenceAgenda(schedule=part.schedule, days=[AgendaDay(date=d, entries=e) for d, e in days.items()])
        )
    return agendas


def agenda_calendar(*, user, language, name, base_url=None):
    """The bytes of the iCalendar file of `user`'s agenda (None when there is no conference at all), made of the
    programme exporter's events, so that UIDs and SEQUENCE are the programme feed's: an unpublished session leaves
    it, a cancelled one stays with STATUS:CANCELLED. Each event and time zone is serialised once for everybody
    and kept in the shared cache until its programme changes (shared_events)."""
    agendas = personal_agenda(user=user, language=language)
    if not agendas:
        # An empty agenda is still a valid calendar, so that a subscription made early keeps working: in the zone
        # of the latest conference (its translations share it).
        time_zone = ConferencePage.objects.order_by("-start_date").values_list("time_zone", flat=True).first()
        if time_zone is None:
            return None
        return calendar_bytes(empty_calendar(name=name, time_zone=time_zone))
    base_url = base_url_of(base_url)
    spans = {}
    for agenda in agendas:
        # Each zone once, covering the days of every conference in it (and any session outside them).
        days = [agenda.schedule.start_date, agenda.schedule.end_date]
        days += [day for session in agenda.sessions for day in (session.local_start.date(), session.local_end.date())]
        known = spans.get(agenda.schedule.time_zone, days)
        spans[agenda.schedule.time_zone] = [min(days + known), max(days + known)]
    components = [shared_time_zone(time_zone, first, last) for time_zone, (first, last) in spans.items()]
    for agenda in agendas:
        components += shared_events(agenda, language=language, base_url=base_url)
    return joined_calendar(name=name, time_zone=agendas[0].schedule.time_zone, components=components)


def shared_events(agenda, *, language, base_url):
    """The serialised VEVENT of each session of `agenda` (a ConferenceAgenda), from the shared cache where another
    feed (or an earlier read) made it for this programme generation, language and site address; made now, and
    kept, for the others."""
    schedule = agenda.schedule
    keys = [agenda_event_key(session.id, language, base_url, schedule.generation) for session in agenda.sessions]
    found = cache.get_many(keys)
    made = {}
    labels = None
    for key, session in zip(keys, agenda.sessions, strict=True):
        if key not in found:
            labels = labels or event_labels()
            made[key] = calendar_bytes(build_event(schedule, session, base_url=base_url, labels=labels))
    if made:
        cache.set_many(made, CACHE_TIMEOUT)
    return [found.get(key) or made[key] for key in keys]


def shared_time_zone(time_zone, first_date, last_date):
    """The serialised VTIMEZONE for events from `first_date` to `last_date`, made once and kept in the cache."""
    key = time_zone_key(time_zone, first_date, last_date)
    component = cache.get(key)
    if component is None:
        component = make_time_zone_bytes(time_zone, first_date=first_date, last_date=last_date)
        cache.set(key, component, CACHE_TIMEOUT)
    return component


@dataclass
class MyAgenda:
    """What /my/ shows of the attendee's agenda, read once per request and passed to every part of the page."""

    conferences: list  # ConferenceAgenda items
    changes: dict  # change_notices.unseen_changes
    notices_on: bool
    feed: AgendaFeed | None
    feed_url: str = ""
    webcal_url: str = ""


def my_agenda(request, *, rows=None, published=None):
    """The signed-in user's agenda for /my/ in the active language: a constant number of queries however many
    sessions they starred. Also tells the page's star buttons which sessions are starred (no query of their own).
    `rows` and `published`: as for personal_agenda, when the page has read them for its other parts too."""
    user = request.user
    if rows is None:
        rows = agenda_rows(user)
    setattr(request, REQUEST_STARRED_ATTRIBUTE, {session_id for session_id, _conference, _release in rows})
    feed = AgendaFeed.objects.filter(user=user).first()
    agenda = MyAgenda(
        conferences=personal_agenda(user=user, language=get_language(), rows=rows, published=published),
        changes=change_notices.unseen_changes(
            {session_id: release for session_id, _conference, release in rows if release is not None}
        ),
        notices_on=change_notices.wants_schedule_change_emails(user),
        feed=feed,
    )
    if feed is not None:
        agenda.feed_url, agenda.webcal_url = feed_urls(request, feed)
    return agenda


def feed_urls(request, feed):
    """The https (or http) address of the private feed and the same as webcal:// for calendar apps."""
    # From SITE_URL, not the request's Host: the link goes into calendar apps that outlive this request.
    url = settings.SITE_URL + reverse("agenda_feed", kwargs={"token": feed.token})
    return url, "webcal://" + url.split("://", 1)[1]


def issue_feed(*, user):
    """Create the private subscription link of `user`'s agenda, or replace it: the old link stops working."""
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    with transaction.atomic():
        feed, created = AgendaFeed.objects.select_for_update().get_or_create(user=user, defaults={"token": token})
        if not created:
            feed.token = token
            feed.created_at = timezone.now()
            feed.last_fetched_at = None
            feed.save(update_fields=["token", "created_at", "last_fetched_at"])
    return feed


def revoke_feed(*, user):
    """Delete the private subscription link: calendars that use it get 404 from now on."""
    AgendaFeed.objects.filter(user=user).delete()


def feed_for_token(token):
    """The AgendaFeed whose secret is `token`, or None. Tokens are 43 URL-safe characters; anything else is
    refused before the database is asked."""
    if not token or len(token) > 100:
        return None
    feed = AgendaFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not secrets.compare_digest(feed.token, token) or not feed.user.is_active:
        return None
    return feed


def export_starred_sessions(user):
    """The personal-data export's part for the agenda: starred sessions and whether a feed link exists."""
    items = AgendaItem.objects.filter(user=user).select_related("session").order_by("session__start")
    feed = AgendaFeed.objects.filter(user=user).first()
    return {
        "starred_sessions": [
            {
                "session": item.session.title,
                "starts": item.session.start.isoformat(),
                "starred_at": item.created_at.isoformat(),
            }
            for item in items
        ],
        "calendar_feed": {"created_at": feed.created_at.isoformat(), "active": True} if feed else None,
    }
