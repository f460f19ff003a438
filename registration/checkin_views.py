"""The door: the scanner page, its service worker and manifest, and the JSON API door devices call."""

import base64
import hashlib
import json
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from conference.models import ConferencePage
from conference.permissions import is_door_staff

from .badge_tokens import public_key_bytes
from .checkin import (
    MIN_SEARCH_LENGTH,
    RESULT_LABELS,
    CheckInError,
    CheckInOutcome,
    get_conference,
    perform_checkin,
    search_registrations,
)
from .models import CheckIn, Registration

# The files the service worker keeps for offline use, besides the page itself.
SCANNER_ASSETS = [
    "css/site.css",
    "css/checkin.css",
    "js/checkin/scanner.js",
    "js/checkin/offline-store.js",
    "vendor/jsqr-1.4.0/jsQR.js",
    "img/favicon.svg",
    "img/checkin-icon-192.png",
]
MAX_NONCE_LENGTH = 64


# Door rights are looked up once in this many seconds per account (the shared cache spares every scan a
# database round trip); taking them away in the admin's Door staff page applies at once.
DOOR_RIGHTS_CACHE_SECONDS = 30


def door_rights_cache_key(user_id):
    return f"checkin:door-rights:{user_id}"


def has_door_rights(user):
    key = door_rights_cache_key(user.pk)
    allowed = cache.get(key)
    if allowed is None:
        allowed = is_door_staff(user)
        cache.set(key, allowed, DOOR_RIGHTS_CACHE_SECONDS)
    return allowed


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
    registration_id = body.get("registration_id")
    if isinstance(registration_id, bool) or not isinstance(registration_id, int) or not 0 < registration_id < 2**31:
        return _bad_request(_("“registration_id” must be a registration's number."))
    if not isinstance(body.get("conference"), str):
        return _bad_request(_("“conference” must be the conference's slug."))
    options = _scan_options(body)
    if isinstance(options, str):
        return _bad_request(options)
    try:
        outcome = perform_checkin(
            code=None,
            registration_id=registration_id,
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


def _today_counts(conference):
    today = timezone.now().astimezone(conference.tzinfo).date()
    checkins = CheckIn.objects.filter(conference=conference, day=today)
    confirmed = Registration.objects.filter(conference=conference, status=Registration.CONFIRMED).count()
    return today, {"checked_in": checkins.count(), "confirmed": confirmed}


@never_cache
@require_GET
@door_staff_api
def offline_data_api(request):
    """What a door device needs to answer on its own while the network is down: the conference's public
    key, which badges are refused (cancelled, not confirmed), who is already in today, and the badge name
    and type of each registration (what the door sees online too)."""
    conference = get_conference(request.GET.get("conference", ""))
    if conference is None:
        return _bad_request(_("Unknown conference."))
    today, counts = _today_counts(conference)
    registrations = Registration.objects.filter(conference=conference).values_list(
        "pk", "status", "badge_name", "registration_type__name"
    )
    badges, refused = {}, {}
    for pk, status, badge_name, type_name in registrations.iterator(chunk_size=2000):
        badges[pk] = [badge_name, type_name]
        if status == Registration.CONFIRMED:
            continue
        if status == Registration.CANCELLED:
            refused[pk] = "cancelled"
        else:
            refused[pk] = "not_confirmed"
    checked_in = {
        registration_id: at.astimezone(conference.tzinfo).isoformat()
        for registration_id, at in CheckIn.objects.filter(conference=conference, day=today).values_list(
            "registration_id", "checked_in_at"
        )
    }
    return JsonResponse(
        {
            "conference": {
                "id": conference.pk,
                "slug": conference.slug,
                "title": conference.title,
                "time_zone": conference.time_zone,
            },
            "public_key": base64.urlsafe_b64encode(public_key_bytes(conference)).decode().rstrip("="),
            "day": today.isoformat(),
            "counts": counts,
            "badges": badges,
            "refused": refused,
            "checked_in": checked_in,
            "generated_at": timezone.now().isoformat(),
        }
    )


def _door_conferences():
    """Conferences in the default language, the ones happening now or next first."""
    today = timezone.now().date()
    conferences = list(ConferencePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE))
    conferences.sort(key=lambda c: (c.end_date < today, abs((c.start_date - today).days)))
    return conferences


def _scanner_strings():
    """Texts the scanner script shows, translated here because the script has no catalogue of its own."""
    return {
        **{result: str(label) for result, label in RESULT_LABELS.items()},
        "first_at": _("First check-in today at {time}"),
        "checked_in_at": _("Checked in at {time}"),
        "saved_offline": _("Checked on this phone; it will be sent when the network is back."),
        "unverified_offline": _(
            "Saved unchecked: this phone cannot verify badges offline. It is checked when the network is back."
        ),
        "camera_ready": _("Point the camera at a badge."),
        "camera_denied": _("The camera is blocked. Allow it in the browser's site settings, or find people by name."),
        "camera_missing": _("No camera found. Find people by name below."),
        "camera_starting": _("Starting the camera…"),
        "session_expired": _("You are signed out. Sign in again to send the saved check-ins."),
        "unsent_on_sign_out": _("Some check-ins made offline are not sent yet. Sign out and lose them?"),
        "searching": _("Searching…"),
        "nobody_found": _("Nobody found."),
        "search_failed": _("Search needs the network."),
        "check_in": _("Check in"),
        "checked_in_today": _("Checked in today"),
        "status_cancelled": _("Cancelled"),
        "status_not_confirmed": _("Not confirmed"),
    }


def _with_status_labels(results):
    labels = dict(Registration.STATUS_CHOICES)
    return [{**result, "status_label": labels.get(result["status"], result["status"])} for result in results]


@never_cache
@ensure_csrf_cookie
def scanner_page(request):
    """/checkin/: the phone scanner for door staff (camera, answers, manual search, today's counters).
    Search and manual check-in also work without JavaScript."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_door_staff(request.user):
        raise PermissionDenied
    conferences = _door_conferences()
    chosen = get_conference(request.GET.get("conference", "")) if request.GET.get("conference") else None
    conference = chosen or (conferences[0] if conferences else None)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "conference": conference,
        "conferences": conferences,
        "query": query,
        "gate": request.GET.get("gate", "")[:60],
        "strings": _scanner_strings(),
        "results": [],
    }
    if conference is not None:
        context["today"], context["counts"] = _today_counts(conference)
        if query:
            context["results"] = _with_status_labels(search_registrations(conference=conference, query=query))
    return render(request, "registration/checkin/scanner.html", context)


@require_POST
def manual_checkin_form(request):
    """The no-JavaScript manual check-in: the search result's button posts here."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("checkin:scanner"))
    if not is_door_staff(request.user):
        raise PermissionDenied
    slug = request.POST.get("conference", "")[:255]
    try:
        registration_id = int(request.POST.get("registration_id", ""))
    except ValueError:
        registration_id = 0
    if registration_id <= 0 or registration_id >= 2**31:
        messages.error(request, _("Choose someone from the search results."))
    else:
        try:
            outcome = perform_checkin(
                code=None, registration_id=registration_id, conference_slug=slug, staff=request.user
            )
        except CheckInError as error:
            outcome = CheckInOutcome(error.code, error.registration, None)
        message = _scanner_strings()[outcome.result]
        if outcome.registration is not None:
            message = f"{message}: {outcome.registration.badge_name}"
        level = messages.SUCCESS if outcome.result == "checked_in" else messages.WARNING
        messages.add_message(request, level, message)
    query = urlencode({"conference": slug, "q": request.POST.get("q", "")[:100]})
    return redirect(f"{reverse('checkin:scanner')}?{query}")


def _asset_urls():
    return [static(path) for path in SCANNER_ASSETS]


def _service_worker_source():
    path = finders.find("js/checkin/sw.js")
    if path:
        with open(path, encoding="utf-8") as source:
            return source.read()
    with staticfiles_storage.open("js/checkin/sw.js") as source:
        return source.read().decode("utf-8")


def service_worker(request):
    """/checkin/sw.js: served from under /checkin/ so that its scope is the scanner. The list of files to
    keep offline is written in here, so a new deployment (new hashed file names) installs a new worker."""
    source = _service_worker_source()
    assets = [reverse("checkin:scanner"), *_asset_urls()]
    version = hashlib.sha256((source + json.dumps(assets)).encode()).hexdigest()[:12]
    prelude = f"const CACHE_VERSION = {json.dumps(version)};\nconst OFFLINE_ASSETS = {json.dumps(assets)};\n"
    response = HttpResponse(prelude + source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("checkin:scanner")
    return response


def manifest(request):
    """/checkin/manifest.webmanifest: makes the scanner installable on a phone's home screen."""
    scope = reverse("checkin:scanner")
    data = {
        "name": _("Door check-in"),
        "short_name": _("Check-in"),
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("img/checkin-icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/checkin-icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
