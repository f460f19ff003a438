"""The visitor's side of the one-flow registration: the form with an email field, the code screen and the
emailed link. Three screens from the form to the registration: form → code → /my/."""

from allauth.account.utils import perform_login
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conference import email_proof
from conference.accounts import account_for_proven_email
from conference.kiosk import is_kiosk

from . import signup_flow, views
from .attendee_emails import send_confirmation_code
from .forms import RegistrationForm, VisitorRegistrationForm
from .models import PendingRegistration

SESSION_KEY = "registration_pending_id"
# The form of "use another address", kept until the form shows it again (in the visitor's own session).
DRAFT_SESSION_KEY = "registration_draft"


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, *, conference):
    """/<conference>/register/: the form for everyone. A visitor without a session gets it with an email field
    and confirms the address after it; a signed-in user gets today's form (views.register)."""
    if request.user.is_authenticated:
        return views.register(request, conference=conference)
    return register_visitor(request, conference)


def posted_fields(form, data):
    """The posted values of the form's own fields (questions included), nothing else: a POST may carry any keys."""
    return {name: data.getlist(name) for name in form.fields if name in data}


def _draft_initial(form, draft):
    """Initial values for `form` from a kept draft ({field: [values]})."""
    multiple = {name for name, field in form.fields.items() if isinstance(field, forms.MultipleChoiceField)}
    return {
        name: values if len(values) > 1 or name in multiple else values[0]
        for name, values in draft.items()
        if name in form.fields and values
    }


def _email_code(pending, code, token):
    transaction.on_commit(
        lambda: send_confirmation_code(
            email=pending.email, code=code, token=token, conference=pending.conference, language=pending.language
        ),
        robust=True,
    )


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
        email = email_proof.normalise_email(form.cleaned_data["email"])
        if not email_proof.may_send_code(request, email):
            return email_proof.too_many_attempts()
        pending, code, token = signup_flow.start(
            conference=canonical, email=email, form_data=posted_fields(form, request.POST), language=get_language()
        )
        _email_code(pending, code, token)
        request.session[SESSION_KEY] = pending.pk
        return redirect("confirm_registration")
    draft = request.session.pop(DRAFT_SESSION_KEY, None) if request.method != "POST" else None
    if draft:
        form = VisitorRegistrationForm(initial=_draft_initial(form, draft), registration_types=registration_types)
        context["prefilled"] = True
    return views.render_form(request, canonical, form, registration_types, context)


def _complete(request, pending):
    """The address is proven: sign in its account and register with the stored form, validated again now."""
    user = account_for_proven_email(pending.email, request=request)
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
        if result is not None and is_kiosk(request):
            return _next_at_desk(request, conference)
        if result is not None:
            return result
    # The type closed, or the rules changed, in the minutes between: the signed-in form, filled in, says why.
    messages.info(request, _("Your email address is confirmed. Please check the form once more."))
    if not registration_types:
        return render(request, "registration/register_closed.html", context)
    return views.render_form(request, conference, form, registration_types, context)


def _next_at_desk(request, conference):
    """At a registration desk the visitor is signed out again at once, so that the next one at the same device
    never sees their page; the emails tell them the rest."""
    logout(request)
    messages.success(request, _("You are registered: we have emailed you the details. Next visitor, please."))
    return redirect(conference.url + "register/")


def _pending_in_session(request):
    pending_id = request.session.get(SESSION_KEY)
    if not pending_id:
        return None
    return PendingRegistration.objects.select_related("conference").filter(pk=pending_id).first()


def _code_page(request, *, form, pending, status=200, **extra):
    """The code screen: it names the address the code went to, with "send a new code" and "use another address"."""
    return render(
        request,
        "registration/confirm_code.html",
        {"form": form, "has_pending": pending is not None, "email": pending.email if pending else "", **extra},
        status=status,
    )


def _resend(request, pending):
    def form_expired():
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("This form has expired. Please fill it in again."))
        return redirect("confirm_registration")

    def refused():
        # Still the code screen, which says why no code came: the last code sent keeps working meanwhile.
        return _code_page(request, form=email_proof.CodeForm(), pending=pending, status=429, resend_refused=True)

    return email_proof.resend_code(
        request, pending, send=_email_code, then="confirm_registration", on_gone=form_expired, on_refused=refused
    )


def _use_another_address(request, pending):
    """Back to the form, filled in as it was, to type another address; the code sent to this one stops working."""
    draft = {name: values for name, values in pending.form_data.items() if name != "email"}
    conference = pending.conference
    pending.delete()
    request.session.pop(SESSION_KEY, None)
    request.session[DRAFT_SESSION_KEY] = draft
    return redirect(conference.localized.url + "register/")


OTHER_ACTIONS = {"resend": _resend, "change_address": _use_another_address}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration(request):
    """/register/confirm/: type the emailed code, ask for a new one, or go back to use another address."""
    pending = _pending_in_session(request)
    if pending is None:
        request.session.pop(SESSION_KEY, None)
    other_action = OTHER_ACTIONS.get(request.POST.get("action"))
    if request.method == "POST" and pending is not None and other_action is not None:
        return other_action(request, pending)
    form = email_proof.CodeForm(request.POST or None)
    if request.method == "POST" and pending is not None and form.is_valid():
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
        proven, pending = email_proof.try_typed_code(PendingRegistration, request, pending=pending, form=form)
        if proven is not None:
            return _complete(request, proven)
        if pending is None:
            request.session.pop(SESSION_KEY, None)
    return _code_page(request, form=form, pending=pending, status=400 if request.method == "POST" else 200)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_registration_link(request, token):
    """/register/confirm/<token>/: the emailed link. GET only shows a button, so that mail scanners that open
    links do not confirm (and sign in) on the attendee's behalf."""
    error = None
    if request.method == "POST":
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
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
