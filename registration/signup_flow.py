"""Registration without an account first (CONTRACT.md "Registration"): keep a visitor's form until they prove
their email with a code or a link, then find or create the account behind that address.

No seat is taken before the confirmation: the form data waits in a PendingRegistration and is validated again
and registered through `services.register` afterwards, so a visitor who confirms after the seats went is
waitlisted. Whether an address already has an account is never shown: both cases get the same email and the
same screens, and proving the address is what signs them in to the existing account.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .errors import CodedError
from .models import PendingRegistration

CODE_LENGTH = 6
LIFETIME = timedelta(minutes=30)
MAX_FAILED_ATTEMPTS = 5
# Only the fields a form posts; the CSRF token would be stale when the form is rebuilt after confirmation.
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


class ConfirmationError(CodedError):
    """The code or link did not confirm the address; `code` says why."""

    MESSAGES = {
        "wrong_code": _("This code is not right. Check the latest email from us and try again."),
        "expired": _("This code has expired. Please fill in the form again; we will send a new code."),
        "too_many_attempts": _("Too many wrong codes. Please fill in the form again; we will send a new code."),
        "unknown": _("This confirmation link is not valid any more. Please fill in the form again."),
    }


def _hash_code(pending_token_hash, code):
    # Keyed with SECRET_KEY and the row's own token hash: a leaked table does not reveal six-digit codes by a
    # simple lookup table, and the same code on two rows hashes differently.
    return salted_hmac("registration.signup_flow.code", f"{pending_token_hash}:{code}", algorithm="sha256").hexdigest()


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email):
    return get_adapter().clean_email(email.strip()).lower()


def start(*, conference, email, form_data, language, now=None):
    """Store the visitor's form; return (pending, code, token) for the email. Earlier unconfirmed forms for the
    same address and conference are replaced, so only the newest code works."""
    now = now or timezone.now()
    email = normalise_email(email)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    token = secrets.token_urlsafe(32)
    token_hash = _hash_token(token)
    data = {key: values for key, values in form_data.items() if key not in SKIPPED_FIELDS}
    with transaction.atomic():
        PendingRegistration.objects.filter(conference=conference, email=email).delete()
        pending = PendingRegistration.objects.create(
            conference=conference,
            email=email,
            form_data=data,
            language=language,
            token_hash=token_hash,
            code_hash=_hash_code(token_hash, code),
            expires_at=now + LIFETIME,
        )
    return pending, code, token


def _check_usable(pending, now):
    if pending.expires_at <= now:
        raise ConfirmationError("expired")
    if pending.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise ConfirmationError("too_many_attempts")


def confirm_code(*, pending_id, code, now=None):
    """Check a typed code against the pending registration; on success it is used up and returned. Each wrong
    code counts, under a row lock, so parallel guesses cannot exceed MAX_FAILED_ATTEMPTS."""
    now = now or timezone.now()
    code = "".join(ch for ch in str(code) if ch.isdigit())
    with transaction.atomic():
        pending = PendingRegistration.objects.select_for_update().filter(pk=pending_id).first()
        if pending is None:
            raise ConfirmationError("unknown")
        _check_usable(pending, now)
        right = hmac.compare_digest(pending.code_hash, _hash_code(pending.token_hash, code))
        if right:
            pending.delete()
        else:
            pending.failed_attempts += 1
            pending.save(update_fields=["failed_attempts"])
    # Raised after the commit: inside the block it would roll back the count it just made.
    if not right:
        raise ConfirmationError("too_many_attempts" if pending.failed_attempts >= MAX_FAILED_ATTEMPTS else "wrong_code")
    return pending


def find_by_token(token, now=None):
    """The pending registration of an emailed link, still usable; raises ConfirmationError otherwise."""
    pending = PendingRegistration.objects.filter(token_hash=_hash_token(token or "")).first()
    if pending is None:
        raise ConfirmationError("unknown")
    _check_usable(pending, now or timezone.now())
    return pending


def confirm_token(*, token, now=None):
    """The emailed link proves the address like the code does; it is used up on success."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = PendingRegistration.objects.select_for_update().filter(token_hash=_hash_token(token or "")).first()
        if pending is None:
            raise ConfirmationError("unknown")
        _check_usable(pending, now)
        pending.delete()
    return pending


def account_for(email):
    """The account that owns `email` (now proven), with the address marked verified; created without a password
    when there is none (the attendee signs in by code or sets a password later)."""
    email = normalise_email(email)
    with transaction.atomic():
        address = EmailAddress.objects.select_related("user").filter(email__iexact=email).order_by("-verified").first()
        user = address.user if address is not None else get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = get_adapter().new_user(None)
            user.email = email
            get_adapter().populate_username(None, user)
            user.set_unusable_password()
            user.save()
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email__iexact=email, defaults={"email": email}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        if not EmailAddress.objects.filter(user=user, primary=True).exists():
            address.set_as_primary()
    return user


def delete_expired(now=None):
    """Forms never confirmed hold personal data for nothing; purge_personal_data calls this."""
    return PendingRegistration.objects.filter(expires_at__lte=(now or timezone.now())).delete()[0]
