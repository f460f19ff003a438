"""The door scanner's HTML pages: /checkin/ (camera, answers, search, today's counters) and its no-JavaScript
manual check-in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from conference.text_input import is_storable_text

from .checkin import (
    CheckInError,
    CheckInOutcome,
    DoorNotAssigned,
    door_conferences,
    door_counts,
    get_conference,
    has_door_rights,
    may_work_door,
    perform_checkin,
    search_registrations,
)
from .enums import RegistrationStatus, ScanResult


def _scanner_strings():
    """Texts the scanner script shows, translated here because the script has no catalogue of its own."""
    return {
        **{result: str(label) for result, label in ScanResult.choices},
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
        "queue_dropped": _("Removed from the queue, refused by the server: {count}. Last reason: {reason}"),
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
    labels = dict(RegistrationStatus.choices)
    return [{**result, "status_label": labels.get(result["status"], result["status"])} for result in results]


@never_cache
@ensure_csrf_cookie
def scanner_page(request):
    """/checkin/: the phone scanner for door staff (camera, answers, manual search, today's counters).
    Search and manual check-in also work without JavaScript."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_door_rights(request.user):
        raise PermissionDenied
    conferences = door_conferences(request.user)
    chosen = get_conference(request.GET.get("conference", "")) if request.GET.get("conference") else None
    if chosen is not None and not may_work_door(request.user, chosen):
        raise PermissionDenied
    conference = chosen or (conferences[0] if conferences else None)
    query = request.GET.get("q", "").strip()[:100]
    if not is_storable_text(query):
        query = ""
    context = {
        "conference": conference,
        "conferences": conferences,
        "query": query,
        "gate": request.GET.get("gate", "")[:60] if is_storable_text(request.GET.get("gate", "")) else "",
        "strings": _scanner_strings(),
        "results": [],
    }
    if conference is not None:
        # The door works on the canonical conference; its heading reads in the scanner's language.
        context["conference_title"] = conference.localized.title
        context["today"] = conference.today()
        context["counts"] = door_counts(conference=conference, day=context["today"])
        if query:
            context["results"] = _with_status_labels(search_registrations(conference=conference, query=query))
    return render(request, "registration/checkin/scanner.html", context)


@require_POST
def manual_checkin_form(request):
    """The no-JavaScript manual check-in: the search result's button posts here."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("checkin:scanner"))
    if not has_door_rights(request.user):
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
        except DoorNotAssigned:
            raise PermissionDenied from None
        except CheckInError as error:
            outcome = CheckInOutcome(error.code, error.registration, None)
        message = _scanner_strings()[outcome.result]
        if outcome.registration is not None:
            message = f"{message}: {outcome.registration.badge_name}"
        level = messages.SUCCESS if outcome.result == ScanResult.CHECKED_IN else messages.WARNING
        messages.add_message(request, level, message)
    query = urlencode({"conference": slug, "q": request.POST.get("q", "")[:100]}, errors="replace")
    return redirect(f"{reverse('checkin:scanner')}?{query}")
