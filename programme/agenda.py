"""The personal agenda: sessions an attendee stars, their clashes, and the private calendar feed of them."""

import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Locale

from conference.models import ConferencePage

from .exporters.ical import build_calendar
from .gathering import get_schedule
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


def _starrable_session(session_id):
    """The live default-language session with this pk and its conference, or AgendaError."""
    session = SessionPage.objects.live().filter(pk=session_id, locale=Locale.get_default()).first()
    if session is None:
        raise AgendaError("unknown_session", "There is no published session with this number.")
    return session, ConferencePage.for_page(session)


def set_starred(*, user, session_id, starred):
    """Star or unstar one session for `user`; idempotent, so a double submit or a retry changes nothing.
    Returns whether the session is now starred."""
    if not 0 < session_id <= MAX_ID:
        # The URL takes any digits; a number no row can have would overflow the database's integer.
        raise AgendaError("unknown_session", "There is no published session with this number.")
    if not starred:
        AgendaItem.objects.filter(user=user, session_id=session_id).delete()
        return False
    session, conference = _starrable_session(session_id)
    try:
        with transaction.atomic():
            AgendaItem.objects.get_or_create(user=user, session=session, defaults={"conference": conference})
    except IntegrityError:
        # The same star sent twice at the same moment: the other request made it.
        pass
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
    sessions = SessionPage.objects.live().filter(pk__in=wanted, locale=Locale.get_default())
    conferences = {}
    items = []
    for session in sessions:
        parent_path = session.path[: -session.steplen * 2]  # session > programme > conference
        if parent_path not in conferences:
            conferences[parent_path] = ConferencePage.objects.filter(path=parent_path).first()
        if conferences[parent_path] is not None:
            items.append(AgendaItem(user=user, session=session, conference=conferences[parent_path]))
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
    schedule: object  # programme.schedule.Schedule
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


def personal_agenda(*, user, language):
    """The starred sessions of `user` that are still published, per conference and day, in `language`, each
    with the starred sessions it clashes with."""
    items = AgendaItem.objects.filter(user=user)
    conference_ids = sorted(set(items.values_list("conference_id", flat=True)))
    starred = set(items.values_list("session_id", flat=True))
    agendas = []
    for conference in ConferencePage.objects.filter(pk__in=conference_ids).order_by("start_date"):
        schedule = get_schedule(conference, language)
        sessions = [session for session in schedule.sessions if session.id in starred]
        if not sessions:
            continue
        clashes = find_clashes(sessions)
        rooms = schedule.rooms_by_id
        days = {}
        for session in sessions:
            entry = AgendaEntry(session=session, clashes_with=clashes[session.id], room=rooms.get(session.room_id))
            days.setdefault(session.day, []).append(entry)
        agendas.append(
            ConferenceAgenda(schedule=schedule, days=[AgendaDay(date=d, entries=e) for d, e in days.items()])
        )
    return agendas


def agenda_calendar(*, user, language, name, base_url=None):
    """The iCalendar file of `user`'s agenda, built by the programme's exporter so that UIDs and SEQUENCE are
    the programme feed's; an unpublished session leaves it, a cancelled one stays with STATUS:CANCELLED."""
    agendas = personal_agenda(user=user, language=language)
    if not agendas:
        # An empty agenda is still a valid calendar, so that a subscription made early keeps working.
        conference = ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date").first()
        if conference is None:
            return None
        return build_calendar([], schedule=get_schedule(conference, language), name=name, request_or_base_url=base_url)
    first = agendas[0]
    calendar = build_calendar(first.sessions, schedule=first.schedule, name=name, request_or_base_url=base_url)
    for agenda in agendas[1:]:
        # Sessions of further conferences, each with its own time zone.
        other = build_calendar(agenda.sessions, schedule=agenda.schedule, name=name, request_or_base_url=base_url)
        for component in other.subcomponents:
            if component.name == "VEVENT" or (
                component.name == "VTIMEZONE"
                and not any(existing.get("tzid") == component.get("tzid") for existing in calendar.walk("VTIMEZONE"))
            ):
                calendar.add_component(component)
    return calendar


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
