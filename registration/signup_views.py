"""The visitor's side of the one-flow registration: the form with an email field, the code screen and the
emailed link. Three screens from the form to the registration: form → code → /my/."""

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import signup_flow, views
from .attendee_emails import send_confirmation_code
from .forms import ConfirmCodeForm, RegistrationForm, VisitorRegistrationForm

SESSION_KEY = "registration_pending_id"


def _too_many(request):
    return HttpResponse(_("Too many attempts. Please wait a few minutes and try again."), status=429)


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, *, conference):
    """/<conference>/register/: the form for everyone. A visitor without a session gets it with an email field
    and confirms the address after it; a signed-in user gets today's form (views.register)."""
    if request.user.is_authenticated:
        return views.register(request, conference=conference)
    return register_visitor(request, conference)


@never_cache
def register_visitor(request, conference):
    """The registration form for a visitor: a valid POST keeps the form server-side and emails a code."""
    canonical = conference.canonical
    context = {"page": conference, "conference": conference, "route_suffix": "register/"}
    if not canonical.registration_is_open():
        return render(request, "registration/register_closed.html", context)
    registration_types = views.open_registration_types(canonical)
    if not registration_types:
        return render(request, "registration/register_closed.html", context)
    form = VisitorRegistrationForm(request.POST or None, registration_types=registration_types)
    if request.method == "POST" and form.is_valid():
        email = signup_flow.normalise_email(form.cleaned_data["email"])
        # Both limits: one address cannot be flooded with codes, one client cannot flood many addresses.
        if not ratelimit.consume(request, action="registration_code_email", key=email):
            return _too_many(request)
        language = get_language()
        pending, code, token = signup_flow.start(
            conference=canonical, email=email, form_data=dict(request.POST.lists()), language=language
        )
        transaction.on_commit(
            lambda: send_confirmation_code(
                email=email, code=code, token=token, conference=canonical, language=language
            ),
            robust=True,
        )
        request.session[SESSION_KEY] = pending.pk
        return redirect("confirm_registration")
    return views.render_form(request, canonical, form, registration_types, context)


def _complete(request, pending):
    """The address is proven: sign in its account and register with the stored form, validated again now."""
    user = signup_flow.account_for(pending.email)
    request.session.pop(SESSION_KEY, None)
    response = perform_login(request, user, redirect_url=reverse("my_registrations"))
    if not request.user.is_authenticated:
        return response  # a login stage (e.g. an inactive account) answers instead
    conference = pending.conference
    context = {"page": conference, "conference": conference, "route_suffix": "register/"}
    registration_types = views.open_registration_types(conference)
    form = RegistrationForm(MultiValueDict(pending.form_data), registration_types=registration_types)
    if form.is_valid():
        result = views.submit_form(request, conference, form, context)
        if result is not None:
            return result
    # The type closed, or the rules changed, in the minutes between: the signed-in form, filled in, says why.
    messages.info(request, _("Your email address is confirmed. Please check the form once more."))
    if not registration_types:
        return render(request, "registration/register_closed.html", context)
    return views.render_form(request, conference, form, registration_types, context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration(request):
    """/register/confirm/: type the emailed code."""
    pending_id = request.session.get(SESSION_KEY)
    form = ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and pending_id and form.is_valid():
        if not ratelimit.consume(request, action="registration_code_check"):
            return _too_many(request)
        try:
            pending = signup_flow.confirm_code(pending_id=pending_id, code=form.cleaned_data["code"])
        except signup_flow.ConfirmationError as error:
            if error.code != "wrong_code":
                request.session.pop(SESSION_KEY, None)
            form.add_error("code", error.message)
        else:
            return _complete(request, pending)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registration/confirm_code.html", {"form": form, "has_pending": bool(pending_id)}, status=status
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration_link(request, token):
    """/register/confirm/<token>/: the emailed link. GET only shows a button, so that mail scanners that open
    links do not confirm (and sign in) on the attendee's behalf."""
    error = None
    if request.method == "POST":
        if not ratelimit.consume(request, action="registration_code_check"):
            return _too_many(request)
        try:
            pending = signup_flow.confirm_token(token=token)
        except signup_flow.ConfirmationError as exc:
            error = exc
        else:
            return _complete(request, pending)
    else:
        try:
            signup_flow.find_by_token(token)
        except signup_flow.ConfirmationError as exc:
            error = exc
    return render(
        request,
        "registration/confirm_link.html",
        {"error": error and error.message},
        status=404 if error and error.code == "unknown" else 400 if error else 200,
    )
