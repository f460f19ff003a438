"""Programme views: what ProgrammePage's and SessionPage's routes answer (the programme, print and now-and-next
pages, a session page, the calendar and frab exports). They read the gathered programme (programme.gathering),
never the page models, which call them."""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from conference.models import ConferencePage

from .cache import (
    CACHE_TIMEOUT,
    CORS_HEADER,
    MAX_STORED_QUERY_VALUES,
    build_response,
    etag_for,
    export_key,
    query_pairs,
    session_calendar_key,
)
from .enums import Interpretation, SessionKind, SessionLanguage, SpeakerRole
from .exporters.frab import FrabJsonExporter, FrabXmlExporter
from .exporters.ical import CONTENT_TYPE as ICAL_CONTENT_TYPE
from .exporters.ical import ICalExporter, build_calendar, calendar_bytes
from .filters import FILTER_NAMES, ScheduleFilterError, ScheduleFilters, filter_sessions, parse_filters
from .gathering import get_schedule
from .schedule import now_and_next, seconds_to_next_minute, sessions_by_day

EXPORTERS = {exporter.identifier: exporter for exporter in (ICalExporter(), FrabXmlExporter(), FrabJsonExporter())}


def conference_or_404(page):
    """The ConferencePage (same language) a programme, session or speaker page belongs to."""
    conference = ConferencePage.for_page(page)
    if conference is None:
        raise Http404("This page is not part of a conference.")
    return conference


def schedule_for(page):
    """The gathered programme of the conference `page` belongs to, in the page's language."""
    return get_schedule(conference_or_404(page), page.locale.language_code)


# --- Presentation helpers ------------------------------------------------------------------------------------


def choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices class) as a string, or `value` itself if unknown."""
    return str(choices(value).label) if value in choices.values else value


def session_rows(schedule, sessions):
    """Each session with its room and track (dicts) and its grid column, for templates."""
    rooms = schedule.rooms_by_id
    tracks = schedule.tracks_by_id
    columns = {room["id"]: index for index, room in enumerate(schedule.rooms, start=1)}
    # Labels and times as plain strings once: lazy translations and date filters, 600 times over, are what
    # makes a big programme slow to render for signed-in visitors.
    kinds = {code: str(label) for code, label in SessionKind.choices}
    languages = {code: str(label) for code, label in SessionLanguage.choices}
    interpretations = {code: str(label) for code, label in Interpretation.choices}
    roles = {code: str(label) for code, label in SpeakerRole.choices}
    rows = []
    for session in sessions:
        rows.append(
            {
                "session": session,
                "start_iso": session.local_start.isoformat(),
                "end_iso": session.local_end.isoformat(),
                "start_time": session.local_start.strftime("%H:%M"),
                "end_time": session.local_end.strftime("%H:%M"),
                "room": rooms.get(session.room_id),
                "track": tracks.get(session.track_id),
                "column": columns.get(session.room_id, 0),
                "kind_label": kinds.get(session.kind, session.kind),
                "language_label": languages.get(session.language, session.language),
                "interpretation_label": interpretations.get(session.interpretation, "")
                if session.interpretation
                else "",
                "speakers": [
                    {"speaker": speaker, "role_label": roles.get(speaker.role, speaker.role)}
                    for speaker in session.speakers
                ],
            }
        )
    return rows


def grouped_rows(schedule, sessions):
    """[(day, [(slot start, [rows])])] in the conference's zone."""
    rows_by_id = {row["session"].id: row for row in session_rows(schedule, sessions)}
    days = []
    for day, slots in sessions_by_day(schedule, sessions):
        day_slots = []
        for start, slot in slots:
            rows = [rows_by_id[session.id] for session in slot]
            if len(rows) == 1 and rows[0]["session"].kind in (SessionKind.PLENARY, SessionKind.BREAK):
                # Nothing runs beside a plenary or a break: on the grid it spans every room's column.
                rows = [{**rows[0], "column": 0}]
            day_slots.append((start, rows))
        days.append((day, day_slots))
    return days


def query_string(filters):
    pairs = filters.as_query() if filters else []
    return ("?" + urlencode(pairs)) if pairs else ""


def programme_context(request, page, schedule, filters, sessions):
    return {
        "page": page,
        "self": page,
        "schedule": schedule,
        "filters": filters,
        "days": grouped_rows(schedule, sessions),
        "session_count": len(sessions),
        "rooms": schedule.rooms,
        "tracks": schedule.tracks,
        "kind_choices": SessionKind.choices,
        "calendar_url": f"{schedule.programme_path}schedule.ics{query_string(filters)}",
        # Calendar apps subscribe to webcal:// links (and then poll for changes) instead of importing once.
        "subscribe_url": "webcal://"
        + settings.SITE_URL.split("://", 1)[-1]
        + f"{schedule.programme_path}schedule.ics{query_string(filters)}",
        "print_url": f"{schedule.programme_path}print/{query_string(filters)}",
        "filter_query": query_string(filters),
        "filter_labels": filters.labels(schedule) if filters else [],
        "canonical_url": settings.SITE_URL + request.path + query_string(filters),
        "conference_days": schedule.days,
    }


def filter_error_response(request, page, schedule, error, template):
    context = programme_context(request, page, schedule, ScheduleFilters(), [])
    context["filter_error"] = error.message
    return TemplateResponse(request, template, context, status=400)


# --- Programme page routes -----------------------------------------------------------------------------------


def serve_programme(request, page, *, template="programme/programme_page.html"):
    """The programme by day (list on phones, a rooms-by-time grid on wide screens), with filters."""
    schedule = schedule_for(page)
    try:
        filters = parse_filters(request.GET, schedule)
    except ScheduleFilterError as error:
        return filter_error_response(request, page, schedule, error, template)
    canonical = filters.as_query()
    if set(request.GET) <= set(FILTER_NAMES) and query_pairs(request.GET) != sorted(canonical):
        # The filter form sends every field, empty ones too (?day=2017-04-05&track=&room=…): one address per
        # choice, which the page cache can keep (programme.cache.is_stored_query).
        return HttpResponseRedirect(request.path + query_string(filters))
    sessions = filter_sessions(schedule, filters)
    response = TemplateResponse(request, template, programme_context(request, page, schedule, filters, sessions))
    response.shared_cache = {"query": canonical}
    return response


def serve_printable_programme(request, page):
    """The programme as one table per day (rooms by time), one day per printed page."""
    return serve_programme(request, page, template="programme/programme_print.html")


def parse_moment(value, tzinfo):
    """?at=2017-04-05T10:00 (local time of the conference) for previewing "now and next" on another day."""
    try:
        moment = datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=tzinfo)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not a moment, or one outside the years datetime can shift
        return None
    # Keep a day's margin from datetime's limits: the page shows the moment in the conference's zone.
    if not datetime.min.year < moment.year < datetime.max.year:
        return None
    return moment


def serve_now_and_next(request, page):
    """What runs now and what starts next; with ?screen=1 (a display at the venue) it reloads every minute."""
    schedule = schedule_for(page)
    now = timezone.now()
    at_error = ""
    if request.GET.get("at"):
        moment = parse_moment(request.GET["at"][:40], schedule.tzinfo)
        if moment is None:
            at_error = _("Write the moment as YYYY-MM-DDTHH:MM, for example 2017-04-05T10:00.")
        else:
            now = moment
    running, following = now_and_next(schedule, now=now)
    first = min((session.start for session in schedule.sessions), default=None)
    last = max((session.end for session in schedule.sessions), default=None)
    context = {
        "page": page,
        "self": page,
        "schedule": schedule,
        "now": now.astimezone(schedule.tzinfo),
        "running": session_rows(schedule, running),
        "following": session_rows(schedule, following),
        "before_conference": first is not None and now < first,
        "after_conference": last is not None and now >= last,
        "at_error": at_error,
        "calendar_url": f"{schedule.programme_path}schedule.ics",
        # Reloading is only for unattended screens: it would disturb someone reading or using a screen reader.
        "auto_refresh": request.GET.get("screen") == "1",
    }
    response = TemplateResponse(request, "programme/now_and_next.html", context, status=400 if at_error else 200)
    response["Cache-Control"] = "no-cache"
    # What runs changes with the minute: kept until the next one.
    response.shared_cache = {
        "timeout": seconds_to_next_minute(now),
        "query": [("screen", "1")] if context["auto_refresh"] else [],
    }
    return response


def serve_export(request, page, identifier):
    """schedule.ics / schedule.xml / schedule.json, with filters, CORS, ETag and Last-Modified."""
    exporter = EXPORTERS[identifier]
    schedule = schedule_for(page)
    try:
        filters = parse_filters(request.GET, schedule)
    except ScheduleFilterError as error:
        response = HttpResponse(error.message + "\n", status=400, content_type="text/plain; charset=utf-8")
        response[CORS_HEADER[0]] = CORS_HEADER[1]
        return response
    key = export_key(schedule.conference_id, schedule.language, identifier, filters, schedule.generation)
    entry = cache.get(key)
    if entry is None:
        sessions = filter_sessions(schedule, filters)
        name = schedule.conference_title
        if filters:
            name = f"{name} ({' · '.join(filters.labels(schedule))})"
        body = exporter.render(schedule, sessions, name=name)
        entry = {"body": body, "etag": etag_for(body)}
        if len(filters.as_query()) <= MAX_STORED_QUERY_VALUES:  # as for stored pages: combinations are not kept
            cache.set(key, entry, CACHE_TIMEOUT)
    return export_response(
        request,
        schedule=schedule,
        entry=entry,
        content_type=exporter.content_type,
        last_modified=schedule.last_modified,
        query=filters.as_query(),
    )


def export_response(request, *, schedule, entry, content_type, last_modified, query=()):
    """Answer with a rendered export (`entry`: body and etag), conditionally; the page cache keeps it for
    everybody when the request's query is `query`."""
    response = build_response(
        request,
        body=entry["body"],
        content_type=content_type,
        etag=entry["etag"],
        last_modified=last_modified,
        cors=True,
    )
    response.shared_cache = {"last_modified": last_modified, "cors": True, "query": query}
    return response


# --- Session pages -------------------------------------------------------------------------------------------


def request_language(request, page):
    """The language the visitor reads `page` in: /ru/ serves an untranslated session in Russian menus."""
    return getattr(request, "LANGUAGE_CODE", None) or page.locale.language_code


def session_calendar_url(request, page, conference):
    """session.ics at the address the visitor reads the session at, so that its language stays the same: the
    Russian page of an untranslated session links /ru/…/session.ics, not the English file."""
    language = request_language(request, page)
    if language != page.locale.language_code:
        schedule = get_schedule(conference, language)
        key = str(page.translation_key)
        entry = next((session for session in schedule.sessions if session.translation_key == key), None)
        if entry is not None:
            return f"{entry.path}session.ics"
    return (page.get_url(request) or "") + "session.ics"


def serve_session_page(request, page):
    """A session page; a preview shows the draft being edited, never the cache."""
    context = page.get_context(request)
    response = TemplateResponse(request, "programme/session_page.html", context)
    response.shared_cache = {}
    return response


def serve_session_ics(request, page):
    """session.ics: the one session as a calendar with its UID, SEQUENCE and STATUS, in the visitor's language."""
    schedule = get_schedule(conference_or_404(page), request_language(request, page))
    entry = next(
        (session for session in schedule.sessions if session.translation_key == str(page.translation_key)), None
    )
    if entry is None:
        raise Http404("This session is not in the published programme.")
    key = session_calendar_key(entry.id, schedule.language, schedule.generation)
    cached = cache.get(key)
    if cached is None:
        body = calendar_bytes(build_calendar([entry], schedule=schedule, name=entry.title))
        cached = {"body": body, "etag": etag_for(body)}
        cache.set(key, cached, CACHE_TIMEOUT)
    return export_response(
        request, schedule=schedule, entry=cached, content_type=ICAL_CONTENT_TYPE, last_modified=entry.last_modified
    )
