"""POST <session-url>signup/ and <session-url>signup/cancel/ (CONTRACT.md "Workshop sign-up"), in front of
Wagtail's page serving, so that the programme app needs no knowledge of registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from programme.models import SessionPage

from . import workshops
from .models import WorkshopSignup


def _session(request, path):
    page = Page.find_for_request(request, "/" + path)
    if page is None or not isinstance(page.specific, SessionPage) or not page.live:
        raise Http404
    return page.specific


@require_POST
@login_required
def session_signup(request, path):
    session = _session(request, path)
    registration = workshops.confirmed_registration(user=request.user, session=session)
    if registration is None:
        messages.error(request, workshops.SignupError.MESSAGES["not_confirmed"])
        return redirect(session.url)
    try:
        signup = workshops.sign_up(registration=registration, session=session)
    except workshops.SignupError as error:
        messages.error(request, error.message)
    else:
        if signup.status == WorkshopSignup.CONFIRMED:
            messages.success(request, _("You are signed up for this session."))
        else:
            messages.info(
                request, _("The session is full: you are on its waiting list. We email you if a place frees.")
            )
    return redirect(session.url)


@require_POST
@login_required
def session_signup_cancel(request, path):
    session = _session(request, path)
    registration = workshops.confirmed_registration(user=request.user, session=session)
    try:
        if registration is None:
            raise workshops.SignupError("not_signed_up")
        workshops.cancel(registration=registration, session=session)
    except workshops.SignupError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _("You have left this session."))
    return redirect(session.url)
