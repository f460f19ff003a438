"""{% workshop_signup page %} on a session page: places left and the sign-up form for confirmed attendees.
Loaded by the programme's template, so that the programme app does not import the registration app."""

from django import template

from programme.page_cache import keep_personal

from .. import workshops

register = template.Library()


@register.inclusion_tag("registration/includes/workshop_signup.html", takes_context=True)
def workshop_signup(context, page):
    session = workshops.canonical_session(page)
    if session.signup_capacity is None:
        return {"enabled": False}
    request = context.get("request")
    keep_personal(request)
    user = getattr(request, "user", None)
    # No pk: anonymous, or the warm-up's signed-in visitor who is nobody (the page is not kept for others anyway).
    registration = workshops.confirmed_registration(user=user, session=session) if user and user.pk else None
    signup = workshops.active_signup(registration=registration, session=session) if registration else None
    return {
        "enabled": True,
        "page": page,
        "places_left": workshops.places_left(session),
        "capacity": session.signup_capacity,
        "registration": registration,
        "signup": signup,
        "signed_in": bool(user and user.is_authenticated),
        "csrf_token": context.get("csrf_token"),
    }
