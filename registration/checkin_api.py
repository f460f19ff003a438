"""The JSON API door devices call (CONTRACT.md, "Check-in API"): scan, manual check-in, search, offline data."""

import json
import time
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .checkin import (
    MIN_SEARCH_LENGTH,
    CheckInError,
    CheckInOutcome,
    get_conference,
    has_door_rights,
    offline_data,
    perform_checkin,
    search_registrations,
)

MAX_NONCE_LENGTH = 64


def door_staff_api(view):
    """JSON API guard: 401 for visitors who are not signed in, 403 for those without door rights."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Sign in as door staff.")}, status=401)
        if not has_door_rights(request.user):
            return JsonResponse({"error": _("Only door staff and organisers may check people in.")}, status=403)
        return view(request, *args, **kwargs)

    return guarded


def _bad_request(message):
    return JsonResponse({"error": message}, status=400)


def _json_body(request):
    """The request's JSON object, or a str saying what is wrong with it."""
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _("The body must be JSON.")
    if not isinstance(body, dict):
        return _("The body must be a JSON object.")
    return body


def _door_answer(outcome_or_error):
    if isinstance(outcome_or_error, CheckInError):
        error = outcome_or_error
        outcome_or_error = CheckInOutcome(error.code, error.registration, None)
    return JsonResponse(outcome_or_error.as_door_json())


def _scan_options(body):
    """The optional fields an offline-capable door device sends, or a str saying what is wrong."""
    options = {}
    for field in ("gate", "device"):
        value = body.get(field, "")
        if not isinstance(value, str):
            return _("“%(field)s” must be text.") % {"field": field}
        options[field] = value
    nonce = body.get("nonce")
    if nonce is not None:
        if not isinstance(nonce, str) or not nonce or len(nonce) > MAX_NONCE_LENGTH or not nonce.isprintable():
            return _("“nonce” must be text of at most %(max)d characters.") % {"max": MAX_NONCE_LENGTH}
        options["nonce"] = nonce
    scanned_at = body.get("scanned_at")
    if scanned_at is not None:
        parsed = parse_datetime(scanned_at) if isinstance(scanned_at, str) and len(scanned_at) <= 40 else None
        if parsed is None or timezone.is_naive(parsed):
            return _("“scanned_at” must be an ISO 8601 time with an offset.")
        options["scanned_at"] = parsed
    options["offline"] = body.get("offline") is True
    return options


@require_POST
@door_staff_api
def scan_api(request):
    """POST /checkin/api/scan/ (CONTRACT.md, "Check-in API"). Answers with a Server-Timing header (time
    spent in the view) so that load tests can tell the server's time from queueing."""
    started = time.perf_counter()
    response = _scan(request)
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


def _scan(request):
    try:
        body = _json_body(request)
    except RequestDataTooBig:
        # Nothing that large is a badge (codes are at most 200 characters), but the audit log shows it.
        body = {"code": "(request body too large)", "conference": ""}
    if isinstance(body, str):
        return _bad_request(body)
    if "code" not in body or "conference" not in body:
        return _bad_request(_("The body needs “code” and “conference”."))
    if not isinstance(body["conference"], str):
        return _bad_request(_("“conference” must be the conference's slug."))
    options = _scan_options(body)
    if isinstance(options, str):
        return _bad_request(options)
    try:
        outcome = perform_checkin(code=body["code"], conference_slug=body["conference"], staff=request.user, **options)
    except CheckInError as error:
        return _door_answer(error)
    return _door_answer(outcome)


def _manual_checkin_problem(body):
    """What is wrong with a manual check-in's registration and conference, or None."""
    registration_id = body.get("registration_id")
    if isinstance(registration_id, bool) or not isinstance(registration_id, int) or not 0 < registration_id < 2**31:
        return _("“registration_id” must be a registration's number.")
    if not isinstance(body.get("conference"), str):
        return _("“conference” must be the conference's slug.")
    return None


@require_POST
@door_staff_api
def manual_checkin_api(request):
    """POST /checkin/api/manual/ {"registration_id", "conference"}: check in someone found by search."""
    try:
        body = _json_body(request)
    except RequestDataTooBig:
        return _bad_request(_("The body is too large."))
    if isinstance(body, str):
        return _bad_request(body)
    problem = _manual_checkin_problem(body)
    if problem:
        return _bad_request(problem)
    options = _scan_options(body)
    if isinstance(options, str):
        return _bad_request(options)
    try:
        outcome = perform_checkin(
            code=None,
            registration_id=body["registration_id"],
            conference_slug=body["conference"],
            staff=request.user,
            **options,
        )
    except CheckInError as error:
        return _door_answer(error)
    return _door_answer(outcome)


@require_GET
@door_staff_api
def search_api(request):
    """GET /checkin/api/search/?conference=SLUG&q=TEXT: registrations by name or badge name."""
    conference = get_conference(request.GET.get("conference", ""))
    if conference is None:
        return _bad_request(_("Unknown conference."))
    query = request.GET.get("q", "").strip()
    if len(query) < MIN_SEARCH_LENGTH:
        return _bad_request(_("Type at least %(count)d characters.") % {"count": MIN_SEARCH_LENGTH})
    return JsonResponse({"results": search_registrations(conference=conference, query=query)})


@never_cache
@require_GET
@door_staff_api
def offline_data_api(request):
    """GET /checkin/api/offline-data/?conference=SLUG: what a door device needs offline (checkin.offline_data)."""
    conference = get_conference(request.GET.get("conference", ""))
    if conference is None:
        return _bad_request(_("Unknown conference."))
    return JsonResponse(offline_data(conference=conference))
