"""Template tags of the personal agenda: the state of a session's star, and the change marks on /my/."""

from django import template

from programme import agenda
from programme.page_cache import is_rendering_shared, star_marker

register = template.Library()


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
    starred = signed_in and session_id in agenda.request_starred_ids(request)
    return {"id": session_id, "starred": starred, "signed_in": signed_in, "marker": ""}


@register.filter
def change_of(changes, session_id):
    """The unseen change mark of one session from the agenda's `changes` (programme.agenda.MyAgenda), or None."""
    return changes.get(session_id)
