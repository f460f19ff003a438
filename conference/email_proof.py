"""Proving an email address without an account: a form is kept until its sender types the emailed code or opens
the emailed link (CONTRACT.md "Registration", "Call for proposals").

Each use (a registration, a proposal) subclasses `PendingEmailProof` with its own payload and calls the functions
here with its model. The code and the link token are stored only as hashes, wrong codes are counted under a row
lock, and a new form for the same address replaces the older ones, so only the newest code works. Who owns the
address once it is proven is `conference.accounts.account_for_proven_email`.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .kiosk import is_kiosk

CODE_LENGTH = 6
LIFETIME = timedelta(minutes=30)
MAX_FAILED_ATTEMPTS = 5


class ConfirmationError(Exception):
    """The code or link did not prove the address; `code` says why, `message` says it to the visitor."""

    MESSAGES = {
        "wrong_code": _("This code is not right. Check the latest email from us and try again."),
        "expired": _("This code has expired. Please fill in the form again; we will send a new code."),
        "too_many_attempts": _("Too many wrong codes. Please fill in the form again; we will send a new code."),
        "unknown": _("This confirmation link is not valid any more. Please fill in the form again."),
        "use_link": _(
            "Too many wrong codes were typed for this address today, so codes no longer work for it. Open the link "
            "in the latest email from us instead: it works as before."
        ),
    }

    def __init__(self, code, *, guessed=False):
        self.code = code
        self.guessed = guessed  # a typed code was compared (and was wrong), not refused before that
        super().__init__(str(self.MESSAGES[code]))

    @property
    def message(self):
        return self.MESSAGES[self.code]


class CodeForm(forms.Form):
    """The code typed from an email: one form for registration, proposals and sign-in."""

    label_suffix = ""
    code = forms.CharField(label=_("Code from the email"), max_length=20)


class PendingEmailProof(models.Model):
    """A form waiting for its sender to prove the email address. Concrete subclasses add what the form holds."""

    # Keys the code's hash; a subclass may keep an older salt so that codes in flight survive a rename.
    CODE_SALT = "conference.email_proof.code"

    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=10, default="en")
    code_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.email} (until {self.expires_at:%Y-%m-%d %H:%M})"

    def hash_code(self, code):
        # Keyed with SECRET_KEY and the row's own token hash: a leaked table does not give six-digit codes away by
        # a lookup table, and the same code on two rows hashes differently.
        return salted_hmac(self.CODE_SALT, f"{self.token_hash}:{code}", algorithm="sha256").hexdigest()


def normalise_email(email):
    return get_adapter().clean_email(email.strip()).lower()


def new_code():
    """The six digits every emailed code on this site has (registration, proposals, sign-in)."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def _hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def start(model, *, email, language, replace=None, now=None, **fields):
    """Keep a new form; return (pending, code, token) for the email. Rows matching `replace` (a filter, e.g. the
    same address and conference) are deleted first, so only the newest code works."""
    now = now or timezone.now()
    code, token = new_code(), secrets.token_urlsafe(32)
    with transaction.atomic():
        if replace is not None:
            model.objects.filter(**replace).delete()
        pending = model(
            email=normalise_email(email),
            language=language,
            token_hash=_hash_token(token),
            expires_at=now + LIFETIME,
            **fields,
        )
        pending.code_hash = pending.hash_code(code)
        pending.save()
    return pending, code, token


def reissue(model, *, pk, now=None):
    """A new code and link for a row still waiting (the visitor asked again): the old ones stop working. Returns
    (pending, code, token), or raises ConfirmationError when the row is gone or expired."""
    now = now or timezone.now()
    code, token = new_code(), secrets.token_urlsafe(32)
    with transaction.atomic():
        pending = model.objects.select_for_update().filter(pk=pk).first()
        if pending is None:
            raise ConfirmationError("unknown")
        if pending.expires_at <= now:
            raise ConfirmationError("expired")
        pending.token_hash = _hash_token(token)
        pending.code_hash = pending.hash_code(code)
        pending.failed_attempts = 0
        pending.expires_at = now + LIFETIME
        pending.save(update_fields=["token_hash", "code_hash", "failed_attempts", "expires_at"])
    return pending, code, token


def _check_usable(pending, now):
    if pending.expires_at <= now:
        raise ConfirmationError("expired")
    if pending.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise ConfirmationError("too_many_attempts")


def confirm_code(model, *, pk, code, now=None):
    """Check a typed code; on success the row is used up and returned. Each wrong code counts, under a row lock,
    so parallel guesses cannot exceed MAX_FAILED_ATTEMPTS."""
    now = now or timezone.now()
    code = "".join(ch for ch in str(code) if ch.isdigit())
    with transaction.atomic():
        pending = model.objects.select_for_update().filter(pk=pk).first()
        if pending is None:
            raise ConfirmationError("unknown")
        _check_usable(pending, now)
        right = hmac.compare_digest(pending.code_hash, pending.hash_code(code))
        if right:
            pending.delete()
        else:
            pending.failed_attempts += 1
            pending.save(update_fields=["failed_attempts"])
    # Raised after the commit: inside the block it would roll back the count it just made.
    if not right:
        exhausted = pending.failed_attempts >= MAX_FAILED_ATTEMPTS
        raise ConfirmationError("too_many_attempts" if exhausted else "wrong_code", guessed=True)
    return pending


def find_by_token(model, token, now=None):
    """The row of an emailed link, still usable; raises ConfirmationError otherwise."""
    pending = model.objects.filter(token_hash=_hash_token(token)).first()
    if pending is None:
        raise ConfirmationError("unknown")
    _check_usable(pending, now or timezone.now())
    return pending


def confirm_token(model, *, token, now=None):
    """The emailed link proves the address like the code does; the row is used up on success."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = model.objects.select_for_update().filter(token_hash=_hash_token(token)).first()
        if pending is None:
            raise ConfirmationError("unknown")
        _check_usable(pending, now)
        pending.delete()
    return pending


def delete_expired(model, now=None):
    """Forms never confirmed hold personal data for nothing; purge_personal_data calls this per model."""
    return model.objects.filter(expires_at__lte=(now or timezone.now())).delete()[0]


# Rate limits (ACCOUNT_RATE_LIMITS, docs/security.md). None of them counts per target address alone: a stranger's
# forms for your address never stop your own (issue: a targeted lockout). A typed code is six digits, so guessing is
# bounded per row (MAX_FAILED_ATTEMPTS), per requester, and per address a day; past that last bound only the
# emailed link (256 random bits, not guessable) confirms the address, so the owner is never locked out.


def may_send_code(request, email):
    """Whether this requester may have a code emailed to `email` now: per requesting network address, and per
    requesting address and email together."""
    requester = get_adapter().get_client_ip(request)
    action = "email_code_send_at_desk" if is_kiosk(request) else "email_code_send"
    return ratelimit.consume(request, action=action, key=f"{requester} {normalise_email(email)}")


def may_check_code(request):
    """Whether this requester may try a code or link now (per network address; a registration desk is not limited
    per address: each pending form still locks after MAX_FAILED_ATTEMPTS, each email after its daily wrong codes)."""
    return is_kiosk(request) or ratelimit.consume(request, action="email_code_check")


def typed_codes_work_for(request, email):
    """False once too many wrong codes were typed for `email` today, by anyone: then only the link confirms."""
    return ratelimit.consume(request, action="email_code_wrong", key=normalise_email(email), dry_run=True)


def count_wrong_code(request, email):
    ratelimit.consume(request, action="email_code_wrong", key=normalise_email(email))


def check_typed_code(model, request, *, pk, code):
    """`confirm_code` behind the per-address bound of wrong codes; the row on success."""
    pending = model.objects.filter(pk=pk).only("email").first()
    if pending is None:
        raise ConfirmationError("unknown")
    if not typed_codes_work_for(request, pending.email):
        raise ConfirmationError("use_link")
    try:
        return confirm_code(model, pk=pk, code=code)
    except ConfirmationError as error:
        if error.guessed:
            count_wrong_code(request, pending.email)
        raise


def try_typed_code(model, request, *, pending, form):
    """A code screen's POST with a valid `form`: (proven row, None) when the code was right; otherwise (None, the
    row still waiting for a code, or None once it is used up or expired), with the reason on the form."""
    try:
        return check_typed_code(model, request, pk=pending.pk, code=form.cleaned_data["code"]), None
    except ConfirmationError as error:
        form.add_error("code", error.message)
        return None, (pending if error.code in {"wrong_code", "use_link"} else None)


def too_many_attempts():
    """The answer when a limit stops a code being sent or checked."""
    return HttpResponse(_("Too many attempts. Please wait a few minutes and try again."), status=429)


def resend_code(request, pending, *, send, then, on_gone, on_refused=too_many_attempts):
    """The "send me a new code" step every code page offers. Limited per address like the first code; the new code
    and link replace the old ones, and the visitor is told where they went. `send(pending, code, token)` queues the
    email; `then` is where to go once it is queued; `on_gone()` answers when the row expired meanwhile."""
    if not may_send_code(request, pending.email):
        return on_refused()
    try:
        pending, code, token = reissue(type(pending), pk=pending.pk)
    except ConfirmationError:
        return on_gone()
    send(pending, code, token)
    message = _("We have sent a new code to %(email)s. The earlier codes no longer work.")
    messages.success(request, message % {"email": pending.email})
    return redirect(then)
