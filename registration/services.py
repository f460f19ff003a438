"""Registration processes: register, cancel, approve, reject, change type, edit, anonymise.

Each function takes keyword arguments, runs in one transaction, writes a RegistrationStatusChange for
every status it changes, queues the attendee's emails in the same transaction and raises RegistrationError
with a code when the rule says no. Seats are counted under a row lock on the RegistrationType
(select_for_update), so concurrent registrations on PostgreSQL never confirm more than the capacity; the type's
confirmed_seats counter moves in the same transaction, so deciding a seat reads one row.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conference.mail import OutboundEmail

from . import visa, workshops
from .badge_pdf import forget_stored_badges
from .emails import queue_registration_email
from .enums import ACTIVE_STATUSES, EmailKind, RegistrationStatus
from .errors import CodedError
from .models import Registration, RegistrationStatusChange, RegistrationType, VisaLetterRequest

PERSONAL_FIELDS = (
    "full_name",
    "badge_name",
    "organisation",
    "dietary_needs",
    "accessibility_needs",
    "search_name",  # made of the names
)
EDITABLE_FIELDS = Registration.ANSWER_FIELDS


class RegistrationError(CodedError):
    """A registration rule said no; `code` tells which, `registration` is the one concerned if any."""

    MESSAGES = {
        "already_registered": _("You are already registered for this conference."),
        "closed": _("Registration for this conference is closed."),
        "type_closed": _("This registration type is not open for registration now."),
        "wrong_conference": _("This registration type belongs to another conference."),
        "not_active": _("This registration is cancelled."),
        "not_pending": _("Only registrations awaiting approval can be approved or rejected."),
        "same_type": _("The registration already has this type."),
        "anonymised": _("This registration has been anonymised."),
    }

    def __init__(self, code, *, registration=None):
        super().__init__(code)
        self.registration = registration


def _lock_type(registration_type_id):
    return RegistrationType.objects.select_for_update().get(pk=registration_type_id)


def has_free_seat(registration_type):
    """Call with the type's row locked."""
    return registration_type.count_free_seats() > 0


def _set_status(registration, status, *, by, note=""):
    previous = registration.status
    registration.status = status
    registration.save(update_fields=["status", "updated_at"])
    RegistrationType.add_confirmed_seats(registration.registration_type_id, _seat_delta(previous, status))
    RegistrationStatusChange.objects.create(
        registration=registration, from_status=previous or "", to_status=status, changed_by=by, note=note
    )


def _seat_delta(previous, status):
    return (status == RegistrationStatus.CONFIRMED) - (previous == RegistrationStatus.CONFIRMED)


def _queue_email_in_transaction(registration, kind):
    """`kind` is an EmailKind; a status names the email of the same name. Queued in the caller's transaction
    (conference/mail.py): a worker sends it once that commits; it is gone if that rolls back."""
    queue_registration_email(registration, kind)


def _promote_waitlisted(registration_type, *, by):
    """Confirm the oldest waitlisted registrations while seats are free; the type's row must be locked."""
    promoted = []
    free = registration_type.count_free_seats()
    if free <= 0:
        return promoted
    queue = (
        Registration.objects.select_for_update()
        .filter(registration_type=registration_type, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    for registration in queue:
        _set_status(registration, RegistrationStatus.CONFIRMED, by=by, note="promoted from the waiting list")
        _queue_email_in_transaction(registration, EmailKind.PROMOTED)
        promoted.append(registration)
    return promoted


def register(*, user, conference, registration_type, details, language=None, by=None):
    """Register `user` (None for an organiser's walk-in entry) for `conference` with `details` (a dict of
    the registration's own fields). Confirmed while seats remain, else waitlisted; pending for types that
    need approval. Raises RegistrationError('already_registered', registration=the_existing_one)."""
    conference = conference.canonical
    if registration_type.conference_id != conference.pk:
        raise RegistrationError("wrong_conference")
    if by is None and not conference.registration_is_open():
        raise RegistrationError("closed")
    if by is None and not registration_type.is_open():
        raise RegistrationError("type_closed")
    try:
        with transaction.atomic():
            locked_type = _lock_type(registration_type.pk)
            if user is not None:
                existing = _active_registration(user=user, conference=conference)
                if existing is not None:
                    raise RegistrationError("already_registered", registration=existing)
            if locked_type.needs_approval and by is None:
                status = RegistrationStatus.PENDING
            elif has_free_seat(locked_type):
                status = RegistrationStatus.CONFIRMED
            else:
                status = RegistrationStatus.WAITLISTED
            fields = {name: details[name] for name in EDITABLE_FIELDS if name in details}
            registration = Registration(
                user=user,
                conference=conference,
                registration_type=locked_type,
                status=status,
                privacy_consent_at=timezone.now(),
                privacy_notice_version=conference.privacy_notice_version,
                language=language or translation.get_language() or "en",
                **fields,
            )
            # A concurrent double submit (two tabs, two types) that slips past the check above meets the
            # partial unique constraint here; the except below turns it into already_registered.
            registration.save()
            RegistrationType.add_confirmed_seats(locked_type.pk, _seat_delta(None, status))
            RegistrationStatusChange.objects.create(
                registration=registration, from_status="", to_status=status, changed_by=by or user
            )
            _queue_email_in_transaction(registration, status)
    except IntegrityError:
        existing = _active_registration(user=user, conference=conference)
        if existing is None:
            raise
        # The unique constraint caught a second active registration: the coded error tells the caller all of it.
        raise RegistrationError("already_registered", registration=existing) from None
    return registration


def _active_registration(*, user, conference):
    return (
        Registration.objects.filter(user=user, conference=conference, status__in=ACTIVE_STATUSES)
        .select_related("registration_type")
        .first()
    )


def _lock_registration(registration_id):
    return Registration.objects.select_for_update().select_related("conference").get(pk=registration_id)


def _lock_type_and_registration(registration_id):
    """Lock the registration's type, then the registration (always in that order, as register does). The type
    is read inside the transaction, so a concurrent change_type cannot make us count seats of the old one."""
    while True:
        type_id = Registration.objects.values_list("registration_type_id", flat=True).get(pk=registration_id)
        locked_type = _lock_type(type_id)
        current = _lock_registration(registration_id)
        if current.registration_type_id == type_id:
            return locked_type, current


@contextmanager
def _status_change(registration):
    """One transaction that holds the locks of _lock_type_and_registration and gives (type, registration); once it
    commits, `registration` shows the new state."""
    with transaction.atomic():
        yield _lock_type_and_registration(registration.pk)
    registration.refresh_from_db()


def _release_holdings(registration, *, by):
    """What a registration holds ends with it: its workshop places (promoting their queues) and its issued visa
    letter. The one home of that rule, for every way a registration ends (cancel, reject, account deletion)."""
    workshops.release_registration(registration)
    visa.withdraw_issued(registrations=Registration.objects.filter(pk=registration.pk), by=by)


def cancel(*, registration, by, notify=True, note=""):
    """Cancel an active registration; a confirmed one frees its seat for the oldest waitlisted person, and its
    workshop places and visa letter go with it."""
    with _status_change(registration) as (locked_type, current):
        if not current.is_active:
            raise RegistrationError("not_active", registration=current)
        _set_status(current, RegistrationStatus.CANCELLED, by=by, note=note)
        _release_holdings(current, by=by)
        if notify:
            _queue_email_in_transaction(current, EmailKind.CANCELLED)
        _promote_waitlisted(locked_type, by=by)
    return registration


def approve(*, registration, by):
    """An organiser accepts a pending registration: confirmed if a seat is free, otherwise waitlisted."""
    with _status_change(registration) as (locked_type, current):
        if current.status != RegistrationStatus.PENDING:
            raise RegistrationError("not_pending", registration=current)
        if has_free_seat(locked_type):
            _set_status(current, RegistrationStatus.CONFIRMED, by=by, note="approved")
            _queue_email_in_transaction(current, EmailKind.APPROVED)
        else:
            _set_status(current, RegistrationStatus.WAITLISTED, by=by, note="approved, no seat free")
            _queue_email_in_transaction(current, EmailKind.WAITLISTED)
    return registration


def reject(*, registration, by):
    """An organiser turns down a pending registration; it ends cancelled, and the attendee is told."""
    with _status_change(registration) as (_locked_type, current):
        if current.status != RegistrationStatus.PENDING:
            raise RegistrationError("not_pending", registration=current)
        _set_status(current, RegistrationStatus.CANCELLED, by=by, note="rejected")
        _release_holdings(current, by=by)
        _queue_email_in_transaction(current, EmailKind.REJECTED)
    return registration


def change_type(*, registration, registration_type, by):
    """Move an active registration to another type of the same conference. An organiser's move counts as
    approval (a pending one is placed too), unless the new type also needs approval. The seat it leaves
    goes to the old type's waiting list."""
    if registration_type.pk == registration.registration_type_id:
        raise RegistrationError("same_type", registration=registration)
    if registration_type.conference_id != registration.conference_id:
        raise RegistrationError("wrong_conference", registration=registration)
    with transaction.atomic():
        while True:
            old_type_id = Registration.objects.values_list("registration_type_id", flat=True).get(pk=registration.pk)
            if old_type_id == registration_type.pk:
                raise RegistrationError("same_type", registration=registration)
            # Both types in a fixed order, then the registration, so that two opposite moves cannot deadlock.
            locked = {
                t.pk: t
                for t in RegistrationType.objects.select_for_update()
                .filter(pk__in=[old_type_id, registration_type.pk])
                .order_by("pk")
            }
            current = _lock_registration(registration.pk)
            if current.registration_type_id == old_type_id:
                break
        old_type, new_type = locked[old_type_id], locked[registration_type.pk]
        if not current.is_active:
            raise RegistrationError("not_active", registration=current)
        previous_status = current.status
        # Counted before the move, so the registration itself is not yet among the new type's seats.
        if previous_status == RegistrationStatus.PENDING and new_type.needs_approval:
            status = RegistrationStatus.PENDING
        elif has_free_seat(new_type):
            status = RegistrationStatus.CONFIRMED
        else:
            status = RegistrationStatus.WAITLISTED
        current.registration_type = new_type
        current.status = status
        current.save(update_fields=["registration_type", "status", "updated_at"])
        RegistrationType.add_confirmed_seats(old_type.pk, _seat_delta(previous_status, None))
        RegistrationType.add_confirmed_seats(new_type.pk, _seat_delta(None, status))
        RegistrationStatusChange.objects.create(
            registration=current,
            from_status=previous_status,
            to_status=status,
            changed_by=by,
            note=f"type changed from {old_type.slug} to {new_type.slug}",
        )
        _queue_email_in_transaction(current, status)
        if previous_status == RegistrationStatus.CONFIRMED:
            _promote_waitlisted(old_type, by=by)
    registration.refresh_from_db()
    return registration


def fill_free_seats(*, registration_type, by=None):
    """After an organiser raises a capacity: promote waitlisted people into the new seats."""
    with transaction.atomic():
        locked_type = _lock_type(registration_type.pk)
        return _promote_waitlisted(locked_type, by=by)


def update_details(*, registration, details, by):
    """The attendee (or an organiser) corrects the registration's own fields; the status stays."""
    with transaction.atomic():
        current = _lock_registration(registration.pk)
        if current.anonymised_at is not None:
            raise RegistrationError("anonymised", registration=current)
        if by is not None and by == current.user and not current.is_active:
            raise RegistrationError("not_active", registration=current)
        changed = []
        for name in EDITABLE_FIELDS:
            if name in details and getattr(current, name) != details[name]:
                setattr(current, name, details[name])
                changed.append(name)
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
    registration.refresh_from_db()
    return registration


def anonymise(*, registrations, now=None):
    """Blank the personal fields of `registrations` (a queryset) and detach them from their accounts.
    Status, type, country and role stay, for counts in reports. Returns how many were anonymised."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = registrations.filter(anonymised_at__isnull=True)
        VisaLetterRequest.objects.filter(registration__in=pending).update(
            passport_name="", passport_number="", nationality="", date_of_birth=None
        )
        # The mail log's copies name the person (address, subject, text): they go with the registration's details.
        OutboundEmail.objects.filter(registration_link__registration__in=pending).delete()
        forget_stored_badges(pending.values_list("pk", flat=True))  # they show the person's names
        return pending.update(
            user=None,
            photo_consent=False,
            anonymised_at=now,
            updated_at=now,
            **dict.fromkeys(PERSONAL_FIELDS, ""),
        )
