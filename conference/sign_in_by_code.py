"""Signing in with an emailed code instead of a password (/accounts/code/): for attendees who registered through
the one-flow form and never chose a password, and for anyone who forgot theirs.

The same six digits and link as the registration's (conference.email_proof), the same email whether or not the
address has an account, and the same owner rule once the address is proven (accounts.account_for_proven_email).
allauth's own sign-in by code is off: its codes bypassed that rule."""

from allauth.account.adapter import get_adapter
from allauth.account.utils import perform_login
from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import email_proof
from .accounts import account_for_proven_email
from .mail import queue_email
from .models import PendingSignIn
from .text_input import is_storable_text

SESSION_KEY = "sign_in_code_pending_id"


class SignInCodeRequestForm(forms.Form):
    label_suffix = ""
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _safe_next(request, url):
    if (
        url
        and is_storable_text(url)
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return url[:500]
    return ""


def email_sign_in_code(*, email, code, token, language):
    """Queue the email with the code and the link, in the language the visitor asked in."""
    with translation.override(language):
        context = {
            "code": code,
            "link": settings.SITE_URL + reverse("sign_in_code_link", args=[token]),
            "minutes": int(email_proof.LIFETIME.total_seconds() // 60),
        }
        queue_email(get_adapter().render_mail("account/email/sign_in_code", email, context))


def _send(pending, code, token):
    transaction.on_commit(
        lambda: email_sign_in_code(email=pending.email, code=code, token=token, language=pending.language),
        robust=True,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_code(request):
    """/accounts/code/: the address to send a code to."""
    form = SignInCodeRequestForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        email = email_proof.normalise_email(form.cleaned_data["email"])
        if not email_proof.may_send_code(request, email):
            return email_proof.too_many_attempts()
        pending, code, token = email_proof.start(
            PendingSignIn, email=email, language=get_language(), replace={"email": email}, next_url=next_url
        )
        _send(pending, code, token)
        request.session[SESSION_KEY] = pending.pk
        return redirect("sign_in_code_confirm")
    status = 400 if request.method == "POST" else 200
    return render(request, "account/sign_in_code_request.html", {"form": form, "next": next_url}, status=status)


def _complete(request, pending):
    user = account_for_proven_email(pending.email, request=request)
    request.session.pop(SESSION_KEY, None)
    return perform_login(request, user, redirect_url=pending.next_url or reverse("my_registrations"))


def _use_another_address(request, pending):
    pending.delete()
    request.session.pop(SESSION_KEY, None)
    query = f"?{urlencode({'next': pending.next_url})}" if pending.next_url else ""
    return redirect(reverse("sign_in_code") + query)


def _resend(request, pending):
    return email_proof.resend_code(
        request, pending, send=_send, then="sign_in_code_confirm", on_gone=lambda: redirect("sign_in_code")
    )


OTHER_ACTIONS = {"resend": _resend, "change_address": _use_another_address}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_code(request):
    """/accounts/code/confirm/: type the code, ask for a new one, or use another address."""
    pending = PendingSignIn.objects.filter(pk=request.session.get(SESSION_KEY) or 0).first()
    other_action = OTHER_ACTIONS.get(request.POST.get("action"))
    if request.method == "POST" and pending is not None and other_action is not None:
        return other_action(request, pending)
    form = email_proof.CodeForm(request.POST or None)
    if request.method == "POST" and pending is not None and form.is_valid():
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
        proven, pending = email_proof.try_typed_code(PendingSignIn, request, pending=pending, form=form)
        if proven is not None:
            return _complete(request, proven)
        if pending is None:
            request.session.pop(SESSION_KEY, None)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "has_pending": pending is not None, "email": pending.email if pending else ""}
    return render(request, "account/sign_in_code_confirm.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_link(request, token):
    """/accounts/code/<token>/: the emailed link. GET only shows a button: mail scanners open links."""
    error = None
    if request.method == "POST":
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
        try:
            return _complete(request, email_proof.confirm_token(PendingSignIn, token=token))
        except email_proof.ConfirmationError as exc:
            error = exc
    else:
        try:
            email_proof.find_by_token(PendingSignIn, token)
        except email_proof.ConfirmationError as exc:
            error = exc
    status = 404 if error and error.code == "unknown" else 400 if error else 200
    return render(request, "account/sign_in_code_link.html", {"error": error and error.message}, status=status)
