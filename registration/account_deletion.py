"""Deleting one's own account (/my/delete-account/): an account with a password confirms with it; an account made
by the one-flow form, which never had one, confirms with a code emailed to its address, the same six digits, limits
and code form as signing in by code (conference.email_proof, conference.sign_in_by_code)."""

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conference import email_proof
from conference.mail import queue_email

from . import personal_data
from .forms import DeleteAccountForm
from .models import PendingAccountDeletion

SESSION_KEY = "account_deletion_pending_id"

# With no emailed link to fall back on, email_proof's "open the link instead" would send the owner nowhere.
CODES_STOPPED = gettext_lazy(
    "Too many wrong codes were typed for this account today, so codes no longer work for it. Please try again tomorrow."
)


class DeleteAccountByCodeForm(forms.Form):
    """The first step for an account without a password: the same understanding as with one, then a code."""

    label_suffix = ""
    confirm = DeleteAccountForm.base_fields["confirm"]


def email_deletion_code(*, email, code, language):
    """Queue the email with the code, in the language the owner asked in."""
    with translation.override(language):
        context = {
            "code": code,
            "page": settings.SITE_URL + reverse("delete_account_confirm"),
            "minutes": int(email_proof.LIFETIME.total_seconds() // 60),
        }
        queue_email(get_adapter().render_mail("account/email/delete_account_code", email, context))


def _send(pending, code):
    transaction.on_commit(
        lambda: email_deletion_code(email=pending.email, code=code, language=pending.language), robust=True
    )


def delete_and_sign_out(request):
    personal_data.delete_account(user=request.user)
    request.session.pop(SESSION_KEY, None)
    logout(request)
    messages.success(request, _("Your account is deleted and your registrations are anonymised."))
    return redirect("wagtail_serve", "")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """/my/delete-account/: what deleting does, then the password, or for an account without one a code."""
    user = request.user
    by_code = not user.has_usable_password()
    form = (
        DeleteAccountByCodeForm(request.POST or None) if by_code else DeleteAccountForm(request.POST or None, user=user)
    )
    if request.method == "POST" and form.is_valid():
        if not by_code:
            return delete_and_sign_out(request)
        if not email_proof.may_send_code(request, user.email):
            return email_proof.too_many_attempts()
        pending, code, _token = email_proof.start(
            PendingAccountDeletion, email=user.email, language=get_language(), replace={"user": user}, user=user
        )
        _send(pending, code)
        request.session[SESSION_KEY] = pending.pk
        return redirect("delete_account_confirm")
    context = {"form": form, "by_code": by_code}
    return render(request, "registration/delete_account.html", context, status=400 if request.method == "POST" else 200)


def _resend(request, pending):
    return email_proof.resend_code(
        request,
        pending,
        send=lambda pending, code, _token: _send(pending, code),
        then="delete_account_confirm",
        on_gone=lambda: redirect("delete_account"),
    )


def _check_code(request, pending, form):
    """None when the typed code is right; otherwise the reason's code, said to the visitor on the form."""
    try:
        email_proof.check_typed_code(PendingAccountDeletion, request, pk=pending.pk, code=form.cleaned_data["code"])
    except email_proof.ConfirmationError as error:
        form.add_error("code", CODES_STOPPED if error.code == "use_link" else error.message)
        return error.code
    return None


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_code(request):
    """/my/delete-account/code/: type the emailed code (only this account's own request counts), or ask again."""
    pending = PendingAccountDeletion.objects.filter(pk=request.session.get(SESSION_KEY) or 0, user=request.user).first()
    if request.method == "POST" and pending is not None and request.POST.get("action") == "resend":
        return _resend(request, pending)
    form = email_proof.CodeForm(request.POST or None)
    if request.method == "POST" and pending is not None and form.is_valid():
        if not email_proof.may_check_code(request):
            return email_proof.too_many_attempts()
        refused = _check_code(request, pending, form)
        if refused is None:
            return delete_and_sign_out(request)
        if refused not in {"wrong_code", "use_link"}:
            pending.delete()  # expired or used up: the owner asks for a new code
            pending = None
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "has_pending": pending is not None, "email": request.user.email}
    return render(request, "registration/delete_account_code.html", context, status=status)


def delete_expired(now=None):
    """Requests never confirmed; purge_personal_data calls this."""
    return email_proof.delete_expired(PendingAccountDeletion, now=now)
