"""Visa invitation letters (CONTRACT.md "Visa invitation letters"): request, approve, refuse, withdraw, verify.

Each decision runs in one transaction under a row lock and emails the attendee after the commit. Passport
details are kept on the request only; `erase_passport_details` blanks them with the rest of the personal data.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .attendee_emails import send_visa_decision
from .enums import RegistrationStatus
from .errors import CodedError
from .models import VisaLetterRequest


class VisaLetterError(CodedError):
    MESSAGES = {
        "not_requested": _("Only requested letters can be approved or refused."),
        "not_approved": _("Only approved letters can be withdrawn."),
        "reason_required": _("Say why the letter is refused: the attendee reads it."),
        "registration_inactive": _("The registration is cancelled."),
        "decided": _("The passport details of a decided request cannot change."),
    }


def _email_after_commit(visa_request):
    request_id = visa_request.pk
    transaction.on_commit(lambda: send_visa_decision(visa_request_id=request_id), robust=True)


def request_letter(*, registration, passport_name, passport_number, nationality, date_of_birth):
    """Ask for a letter (or update a request not yet decided) with the holder's passport details."""
    with transaction.atomic():
        visa_request, _created = VisaLetterRequest.objects.select_for_update().get_or_create(
            registration=registration,
            defaults={
                "passport_name": passport_name,
                "passport_number": passport_number,
                "nationality": nationality,
                "date_of_birth": date_of_birth,
            },
        )
        if not _created and visa_request.status in (VisaLetterRequest.REQUESTED, VisaLetterRequest.REFUSED):
            visa_request.passport_name = passport_name
            visa_request.passport_number = passport_number
            visa_request.nationality = nationality
            visa_request.date_of_birth = date_of_birth
            visa_request.status = VisaLetterRequest.REQUESTED
            visa_request.save()
    return visa_request


def initial_for_form(registration):
    """The edit form's visa fields from the registration's request; None once a letter was issued (its
    passport details can no longer change), else a dict (empty without a request)."""
    letter = VisaLetterRequest.objects.filter(registration=registration).first()
    if letter is None:
        return {}
    if letter.status in (VisaLetterRequest.APPROVED, VisaLetterRequest.WITHDRAWN):
        return None
    return {"needs_visa_letter": True, **{name: getattr(letter, name) for name in VisaLetterRequest.PASSPORT_FIELDS}}


def update_from_form(*, registration, cleaned_data):
    """The attendee ticked (or unticked) the visa letter box on the edit form: ask, update or drop the request;
    an issued letter is never touched here."""
    if cleaned_data.get("needs_visa_letter"):
        return request_letter(
            registration=registration, **{name: cleaned_data[name] for name in VisaLetterRequest.PASSPORT_FIELDS}
        )
    VisaLetterRequest.objects.filter(
        registration=registration, status__in=[VisaLetterRequest.REQUESTED, VisaLetterRequest.REFUSED]
    ).delete()
    return None


def _decide(visa_request_id, *, by, to_status, reason=""):
    with transaction.atomic():
        current = VisaLetterRequest.objects.select_for_update().select_related("registration").get(pk=visa_request_id)
        if to_status in (VisaLetterRequest.APPROVED, VisaLetterRequest.REFUSED):
            if current.status != VisaLetterRequest.REQUESTED:
                raise VisaLetterError("not_requested")
            if to_status == VisaLetterRequest.APPROVED and current.registration.status == RegistrationStatus.CANCELLED:
                raise VisaLetterError("registration_inactive")
        elif current.status != VisaLetterRequest.APPROVED:
            raise VisaLetterError("not_approved")
        current.status = to_status
        current.refusal_reason = reason
        current.decided_at = timezone.now()
        current.decided_by = by
        current.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
        if to_status != VisaLetterRequest.WITHDRAWN:
            _email_after_commit(current)
    return current


def correct_details(*, visa_request, by, **details):
    """An organiser corrects the passport details of a request still waiting for a decision (a typo the
    attendee mailed about), before the letter is printed with them."""
    with transaction.atomic():
        current = VisaLetterRequest.objects.select_for_update().get(pk=visa_request.pk)
        if current.status != VisaLetterRequest.REQUESTED:
            raise VisaLetterError("decided")
        for name in VisaLetterRequest.PASSPORT_FIELDS:
            setattr(current, name, details[name])
        current.save(update_fields=list(VisaLetterRequest.PASSPORT_FIELDS))
    return current


def approve(*, visa_request, by):
    return _decide(visa_request.pk, by=by, to_status=VisaLetterRequest.APPROVED)


def refuse(*, visa_request, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise VisaLetterError("reason_required")
    return _decide(visa_request.pk, by=by, to_status=VisaLetterRequest.REFUSED, reason=reason)


def withdraw(*, visa_request, by):
    """An issued letter stops being valid: /verify/ then says so to the consulate."""
    return _decide(visa_request.pk, by=by, to_status=VisaLetterRequest.WITHDRAWN)


def withdraw_issued(*, registrations, by=None, now=None):
    """The issued letters of `registrations` (a queryset) stop being valid: their registration was cancelled or
    its account deleted. `decided_at` becomes the withdrawal date that /verify/ and the admin show. No email: the
    attendee's cancellation or deletion email says enough. Returns how many were withdrawn."""
    return VisaLetterRequest.objects.filter(registration__in=registrations, status=VisaLetterRequest.APPROVED).update(
        status=VisaLetterRequest.WITHDRAWN, decided_at=now or timezone.now(), decided_by=by
    )


def for_verification(reference):
    """The letter a consulate checks, or None: unknown references, letters never issued (requested, refused) and
    valid letters whose holder's details were purged are all the same 'no such letter'. A withdrawn letter is
    found even once its holder's details are deleted (the account was deleted): it says when it was withdrawn."""
    if not reference or len(reference) > 64:
        return None
    return (
        VisaLetterRequest.objects.select_related("registration__conference")
        .filter(reference=reference, status__in=[VisaLetterRequest.APPROVED, VisaLetterRequest.WITHDRAWN])
        .exclude(status=VisaLetterRequest.APPROVED, passport_name="")
        .first()
    )


def export_visa_letters(user):
    """The attendee's visa letter requests, passport details included, for the data download on /my/."""
    return [
        {
            "conference": letter.registration.conference.slug,
            "status": letter.status,
            "passport_name": letter.passport_name,
            "passport_number": letter.passport_number,
            "nationality": letter.nationality,
            "date_of_birth": letter.date_of_birth.isoformat() if letter.date_of_birth else None,
            "reference": letter.reference,
            "refusal_reason": letter.refusal_reason,
            "requested_at": letter.requested_at.isoformat(),
        }
        for letter in VisaLetterRequest.objects.filter(registration__user=user)
        .select_related("registration__conference")
        .order_by("requested_at", "pk")
    ]
