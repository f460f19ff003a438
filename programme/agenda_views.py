"""Views of the personal agenda: the star on each session, the import of stars kept in the browser, and the
private calendar feed with its renewal and revocation from /my/."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from conference.text_input import JsonBodyError, load_json

from . import agenda, change_notices
from .cache import etag_for
from .exporters.ical import CONTENT_TYPE

MY_AGENDA_ANCHOR = "#my-agenda"


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def my_agenda_url():
    return reverse("my_registrations") + MY_AGENDA_ANCHOR


def form_on_my_page(anchor):
    """A view behind a form on /my/: POST only, signed in; it changes the attendee's settings and says so, and the
    browser goes back to `anchor` on /my/."""

    def decorate(view):
        @require_POST
        @login_required
        @wraps(view)
        def posted(request):
            view(request)
            return HttpResponseRedirect(reverse("my_registrations") + anchor)

        return posted

    return decorate


@require_POST
def star_session(request, session_id):
    """Set the star of one session (field `starred`: 1 or 0). Answers JSON to fetch, a redirect back otherwise."""
    back = safe_next(request, my_agenda_url())
    if not request.user.is_authenticated:
        if wants_json(request):
            return JsonResponse({"error": "not_signed_in"}, status=401)
        return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": back}))
    starred = request.POST.get("starred", "1") != "0"
    try:
        starred = agenda.set_starred(user=request.user, session_id=session_id, starred=starred)
    except agenda.AgendaError as error:
        if wants_json(request):
            return JsonResponse({"error": error.code}, status=404)
        raise Http404(str(error)) from error
    if wants_json(request):
        return JsonResponse({"session": session_id, "starred": starred})
    messages.success(request, _("Added to your agenda.") if starred else _("Removed from your agenda."))
    return HttpResponseRedirect(back)


@require_POST
@login_required
def import_stars(request):
    """Keep the stars an anonymous visitor made in this browser: form field `session` (repeated) or JSON
    {"sessions": [ids]}."""
    if request.content_type == "application/json":
        try:
            session_ids = load_json(request.body)["sessions"]
            if not isinstance(session_ids, list):
                raise TypeError
        except (JsonBodyError, KeyError, TypeError):
            return JsonResponse({"error": 'Send {"sessions": [session numbers]}.'}, status=400)
    else:
        session_ids = request.POST.getlist("session")
    added = agenda.import_stars(user=request.user, session_ids=session_ids)
    if wants_json(request):
        return JsonResponse({"added": added})
    messages.success(request, _("Your starred sessions are now in your agenda."))
    return HttpResponseRedirect(my_agenda_url())


@form_on_my_page(MY_AGENDA_ANCHOR)
def issue_feed(request):
    """Create or renew the private subscription link; a renewed link replaces the old one everywhere."""
    renewing = hasattr(request.user, "agenda_feed")
    agenda.issue_feed(user=request.user)
    if renewing:
        messages.success(request, _("Your calendar link is renewed. The old link no longer works."))
    else:
        messages.success(request, _("Your calendar link is ready."))


@form_on_my_page(MY_AGENDA_ANCHOR)
def revoke_feed(request):
    agenda.revoke_feed(user=request.user)
    messages.success(request, _("Your calendar link is switched off. Calendars that used it stop updating."))


@require_safe
def agenda_feed(request, token):
    """The agenda as an .ics subscription: the token in the address is the only key (no session cookie). Calendar
    apps poll it: an ETag (a hash of the file) lets them ask "changed?" and get 304 instead of the whole file."""
    feed = agenda.feed_for_token(token)
    if feed is None:
        raise Http404("Unknown or revoked calendar link.")
    calendar = agenda.agenda_calendar(user=feed.user, language=get_language(), name=_("My agenda"))
    if calendar is None:
        raise Http404("No conference.")
    now = timezone.now()
    # Calendar apps poll often; a write per hour is enough to show "last used" on /my/.
    if feed.last_fetched_at is None or now - feed.last_fetched_at > timedelta(hours=1):
        type(feed).objects.filter(pk=feed.pk).update(last_fetched_at=now)
    response = HttpResponse(calendar, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="my-agenda.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    # Personal: kept by the subscriber only (private), and asked again at every poll (no-cache).
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = etag_for(calendar)
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    if conditional is not response:
        for header in ("X-Robots-Tag", "Referrer-Policy", "Cache-Control"):
            conditional[header] = response[header]
    return conditional


@form_on_my_page(MY_AGENDA_ANCHOR)
def mark_changes_seen(request):
    """The attendee has read the changes of their starred sessions: /my/ stops marking them."""
    change_notices.mark_seen(user=request.user)
    messages.success(request, _("The changes are marked as seen."))


@form_on_my_page("#change-notices")
def change_notice_preference(request):
    """Turn the change-notice emails on or off (field `schedule_changes`: present and "1" means on)."""
    enabled = request.POST.get("schedule_changes") == "1"
    change_notices.set_schedule_change_emails(user=request.user, enabled=enabled, language=get_language())
    messages.success(
        request,
        _("We will email you when a session in your agenda changes.")
        if enabled
        else _("We will not email you about changes to your agenda."),
    )
