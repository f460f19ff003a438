"""Template tags of the personal agenda: the state of a session's star, and the agenda shown on /my/."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from programme import agenda, change_notices
from programme.page_cache import is_rendering_shared, star_marker

register = template.Library()


def request_starred_ids(request):
    """The signed-in user's starred session pks, read once per request however many stars the page shows."""
    if not hasattr(request, "_agenda_starred_ids"):
        request._agenda_starred_ids = agenda.starred_session_ids(getattr(request, "user", None))
    return request._agenda_starred_ids


@register.simple_tag(takes_context=True)
def agenda_star(context, session):
    """{"id", "starred", "signed_in", "marker"} for the star of `session` (a SessionEntry or a SessionPage). In a
    page kept for every signed-in visitor the state is a marker (`marker`) that each request fills in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    session_id = agenda.canonical_session_id(session)
    if signed_in and session_id is not None and is_rendering_shared(request):
        return {"id": session_id, "starred": False, "signed_in": True, "marker": star_marker(session_id)}
    starred = signed_in and session_id in request_starred_ids(request)
    return {"id": session_id, "starred": starred, "signed_in": signed_in, "marker": ""}


def feed_urls(request, feed):
    """The https (or http) address of the private feed and the same as webcal:// for calendar apps."""
    url = request.build_absolute_uri(reverse("agenda_feed", kwargs={"token": feed.token}))
    return url, "webcal://" + url.split("://", 1)[1]


@register.simple_tag(takes_context=True)
def my_agenda(context):
    """The signed-in user's agenda by conference and day, with clashes, and their feed links if any."""
    request = context["request"]
    user = request.user
    feed = getattr(user, "agenda_feed", None) if user.is_authenticated else None
    if not user.is_authenticated:
        return {"conferences": [], "feed": None}
    result = {
        "conferences": agenda.personal_agenda(user=user, language=get_language()),
        "feed": feed,
        "changes": change_notices.unseen_changes(user),
        "notices_on": change_notices.wants_schedule_change_emails(user),
    }
    if feed is not None:
        result["feed_url"], result["webcal_url"] = feed_urls(request, feed)
    return result


@register.simple_tag(takes_context=True)
def agenda_feed_url(context):
    """The private feed's address for <link rel="alternate" type="text/calendar">, or ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return ""
    feed = getattr(user, "agenda_feed", None)
    return feed_urls(request, feed)[0] if feed is not None else ""


@register.filter
def change_of(changes, session_id):
    """The unseen change mark of one session from my_agenda's `changes`, or None."""
    return changes.get(session_id)
