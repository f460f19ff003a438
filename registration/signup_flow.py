"""Registration without an account first (CONTRACT.md "Registration"): keep a visitor's form until they prove
their email with a code or a link (conference.email_proof), then sign in the account behind that address.

No seat is taken before the confirmation: the form data waits in a PendingRegistration and is validated again
and registered through `services.register` afterwards, so a visitor who confirms after the seats went is
waitlisted. Whether an address already has an account is never shown: both cases get the same email and the
same screens. Who owns the address once it is proven: conference.accounts.account_for_proven_email.
"""

from conference import email_proof
from conference.email_proof import ConfirmationError, normalise_email

from .models import PendingRegistration

__all__ = ["ConfirmationError", "confirm_code", "confirm_token", "delete_expired", "find_by_token", "start"]


def start(*, conference, email, form_data, language, now=None):
    """Store the visitor's form (only the fields it has: `form_data` is already filtered); return (pending, code,
    token) for the email. Earlier unconfirmed forms for the same address and conference are replaced, so only the
    newest code works."""
    email = normalise_email(email)
    return email_proof.start(
        PendingRegistration,
        email=email,
        language=language,
        replace={"conference": conference, "email": email},
        now=now,
        conference=conference,
        form_data=form_data,
    )


def confirm_code(*, pending_id, code, now=None):
    return email_proof.confirm_code(PendingRegistration, pk=pending_id, code=code, now=now)


def find_by_token(token, now=None):
    return email_proof.find_by_token(PendingRegistration, token, now=now)


def confirm_token(*, token, now=None):
    return email_proof.confirm_token(PendingRegistration, token=token, now=now)


def delete_expired(now=None):
    return email_proof.delete_expired(PendingRegistration, now=now)
