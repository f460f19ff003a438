"""The JSON API door devices call (CONTRACT.md, "Check-in API"): scan, manual check-in, search, offline data."""

import time
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from conference.text_input import JsonBodyError, is_storable_text, load_json

from .checkin import (
    MIN_SEARCH_LENGTH,
    CheckInError,
    CheckInOutcome,
    DoorNotAssigned,
    get_conference,
    has_door_rights,
    may_work_door,
    offline_data,
    perform_checkin,
    search_registrations,
)

MAX_NONCE_LENGTH = 64
MAX_GATE_LENGTH = 60  # CheckIn.gate
MAX_DEVICE_LENGTH = 100  # CheckIn.device


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


def _not_your_door():
    return JsonResponse({"error": _("You are not assigned to the door of this conference.")}, status=403)


class BadDoorRequest(Exception):
    """A body the door API refuses with 400; the message says what is wrong (translated)."""


@dataclass(frozen=True)
class DoorRequest:
    """A scan or manual check-in body, checked: every value is safe to store and compare."""

    conference_slug: str
    code: object = None  # scan: whatever the QR held (checked by its signature, any JSON value answers invalid)
    registration_id: int | None = None  # manual check-in
    options: dict = field(default_factory=dict)  # gate, device, nonce, scanned_at, offline for perform_checkin


def _text(body, name, *, max_length, default=""):
    """An optional text field cut to max_length code points (never half a character), or BadDoorRequest."""
    value = body.get(name, default)
    if not isinstance(value, str) or not is_storable_text(value):
        raise BadDoorRequest(_("“%(field)s” must be text.") % {"field": name})
    return value[:max_length]


def _scanned_at(value):
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:  # well-formed but impossible, such as 30 February
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        raise BadDoorRequest(_("“scanned_at” must be an ISO 8601 time with an offset."))
    return parsed


def parse_door_request(request, *, manual):
    """The body of a scan (`manual=False`) or manual check-in, checked; raises BadDoorRequest.

    The one place where door input is judged: anything that passes is safe for perform_checkin and the
    database (no NUL, no lone surrogates, no impossible dates, bounded lengths)."""
    try:
        body = load_json(request.body, opaque_fields={"code"})
    except RequestDataTooBig:
        if manual:
            raise BadDoorRequest(_("The body is too large.")) from None
        # Nothing that large is a badge (codes are at most 200 characters), but the audit log shows it.
        body = {"code": "(request body too large)", "conference": ""}
    except JsonBodyError as error:
        raise BadDoorRequest(error.message) from None
    if not isinstance(body, dict):
        raise BadDoorRequest(_("The body must be a JSON object."))
    fields = {}
    if manual:
        registration_id = body.get("registration_id")
        if isinstance(registration_id, bool) or not isinstance(registration_id, int) or not 0 < registration_id < 2**31:
            raise BadDoorRequest(_("“registration_id” must be a registration's number."))
        fields["registration_id"] = registration_id
    else:
        if "code" not in body or "conference" not in body:
            raise BadDoorRequest(_("The body needs “code” and “conference”."))
        fields["code"] = body["code"]
    conference = body.get("conference")
    if not isinstance(conference, str) or not is_storable_text(conference):
        raise BadDoorRequest(_("“conference” must be the conference's slug."))
    options = {
        "gate": _text(body, "gate", max_length=MAX_GATE_LENGTH),
        "device": _text(body, "device", max_length=MAX_DEVICE_LENGTH),
        "offline": body.get("offline") is True,
    }
    nonce = body.get("nonce")
    if nonce is not None:
        if not isinstance(nonce, str) or not nonce or len(nonce) > MAX_NONCE_LENGTH or not nonce.isprintable():
            raise BadDoorRequest(_("“nonce” must be text of at most %(max)d characters.") % {"max": MAX_NONCE_LENGTH})
        options["nonce"] = nonce
    scanned_at = _scanned_at(body.get("scanned_at"))
    if scanned_at is not None:
        options["scanned_at"] = scanned_at
    return DoorRequest(conference_slug=conference, options=options, **fields)


def _door_answer(outcome_or_error):
    if isinstance(outcome_or_error, CheckInError):
        error = outcome_or_error
        outcome_or_error = CheckInOutcome(error.code, error.registration, None)
    return JsonResponse(outcome_or_error.as_door_json())


def _check_in(request, *, manual):
    """Both door POSTs: check the body, then check in (perform_checkin judges the right to this door)."""
    try:
        door_request = parse_door_request(request, manual=manual)
    except BadDoorRequest as error:
        return _bad_request(str(error))
    try:
        outcome = perform_checkin(
            code=door_request.code,
            registration_id=door_request.registration_id,
            conference_slug=door_request.conference_slug,
            staff=request.user,
            **door_request.options,
        )
    except DoorNotAssigned:
        return _not_your_door()
    except CheckInError as error:
        return _door_answer(error)
    return _door_answer(outcome)


@require_POST
@door_staff_api
def scan_api(request):
    """POST /checkin/api/scan/ (CONTRACT.md, "Check-in API"). Answers with a Server-Timing header (time
    spent in the view) so that load tests can tell the server's time from queueing."""
    started = time.perf_counter()
    response = _check_in(request, manual=False)
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@require_POST
@door_staff_api
def manual_checkin_api(request):
    """POST /checkin/api/manual/ {"registration_id", "conference"}: check in someone found by search."""
    return _check_in(request, manual=True)


def door_conference_get(view):
    """A door GET that names ?conference=SLUG: door staff guard, then 400 for an unknown conference and 403 for
    one whose door the staff member is not assigned to; the view is called with the conference."""

    @wraps(view)
    def resolved(request):
        conference = get_conference(request.GET.get("conference", ""))
        if conference is None:
            return _bad_request(_("Unknown conference."))
        if not may_work_door(request.user, conference):
            return _not_your_door()
        return view(request, conference)

    return require_GET(door_staff_api(resolved))


@door_conference_get
def search_api(request, conference):
    """GET /checkin/api/search/?conference=SLUG&q=TEXT: registrations by name or badge name."""
    query = request.GET.get("q", "").strip()
    if len(query) < MIN_SEARCH_LENGTH:
        return _bad_request(_("Type at least %(count)d characters.") % {"count": MIN_SEARCH_LENGTH})
    if not is_storable_text(query):
        return _bad_request(_("The search must be text."))
    return JsonResponse({"results": search_registrations(conference=conference, query=query)})


@never_cache
@door_conference_get
def offline_data_api(request, conference):
    """GET /checkin/api/offline-data/?conference=SLUG: what a door device needs offline (checkin.offline_data)."""
    return JsonResponse(offline_data(conference=conference))
