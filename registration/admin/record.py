"""What a registration's page in the admin shows: everything the site holds about it, read in a constant number
of queries (the registration, its answers and questions, status history, visa letter, workshop places,
check-ins and emails), worded for an organiser."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationQuestion, VisaLetterRequest
from registration.widgets import country_name

from .display import EMPTY, local_time, readable_value, status_label, yes_no


@dataclass
class RegistrationRecord:
    registration: Registration
    attendee: list = field(default_factory=list)  # [(label, value)]
    registration_facts: list = field(default_factory=list)
    answers: list = field(default_factory=list)  # [(question, answer or EMPTY)]
    history: list = field(default_factory=list)  # [{at, from, to, by, note}]
    visa_letter: VisaLetterRequest | None = None
    workshops: list = field(default_factory=list)  # [WorkshopSignup]
    checkins: list = field(default_factory=list)  # [{day, at, gate}]
    emails: list = field(default_factory=list)  # [RegistrationEmail], newest first
    may_send_badge: bool = False
    send_status_label: str = ""  # the button that has the status email sent again; empty without an address


def _shown(value):
    if isinstance(value, bool):
        return yes_no(value)
    if value in ("", None):
        return EMPTY
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def _label(name):
    return Registration._meta.get_field(name).verbose_name


def registration_record(registration):
    """The RegistrationRecord of `registration` (fetched with its user, type and conference)."""
    conference = registration.conference
    record = RegistrationRecord(registration=registration)
    record.attendee = [
        (_label(name), _shown(readable_value(registration, name))) for name in Registration.ANSWER_FIELDS
    ]
    record.registration_facts = [
        (_("Account email"), registration.email or _("no account (anonymised or entered by staff)")),
        (_label("registration_type"), registration.registration_type.localized_name),
        (_label("status"), registration.get_status_display()),
        *(
            [(_("Place on the waiting list"), registration.waitlist_position)]
            if registration.status == RegistrationStatus.WAITLISTED
            else []
        ),
        (_label("language"), _shown(readable_value(registration, "language"))),
        (_label("created_at"), _shown(readable_value(registration, "created_at"))),
        (_label("updated_at"), _shown(readable_value(registration, "updated_at"))),
        (_label("privacy_consent_at"), _shown(readable_value(registration, "privacy_consent_at"))),
        (_label("privacy_notice_version"), _shown(registration.privacy_notice_version)),
        (_label("anonymised_at"), _shown(readable_value(registration, "anonymised_at"))),
    ]
    answers = {answer.question_id: answer for answer in registration.answers.select_related("question")}
    questions = RegistrationQuestion.objects.filter(registration_type_id=registration.registration_type_id)
    # Answers to another type's questions (the type was changed since) stay shown after the type's own.
    asked = list(questions.order_by("sort_order", "pk"))
    asked += [answer.question for answer in answers.values() if answer.question not in asked]
    record.answers = [
        (question.localized_text, answers[question.pk].display_value() if question.pk in answers else EMPTY)
        for question in asked
    ]
    record.history = [
        {
            "at": local_time(change.changed_at, conference),
            "from": status_label(change.from_status) if change.from_status else EMPTY,
            "to": status_label(change.to_status),
            "by": change.changed_by.email if change.changed_by else _("attendee or system"),
            "note": change.note,
        }
        for change in registration.status_changes.select_related("changed_by").order_by("changed_at", "pk")
    ]
    record.visa_letter = VisaLetterRequest.objects.filter(registration=registration).first()
    if record.visa_letter is not None:
        record.visa_letter.nationality_name = country_name(record.visa_letter.nationality)
    record.workshops = list(registration.workshop_signups.select_related("session").order_by("created_at", "pk"))
    record.checkins = [
        {"day": checkin.day, "at": local_time(checkin.checked_in_at, conference), "gate": checkin.gate}
        for checkin in registration.checkins.order_by("day")
    ]
    record.emails = list(
        registration.emails.select_related("email", "requested_by").order_by("-email__created_at", "-pk")
    )
    has_address = bool(registration.email)
    record.may_send_badge = has_address and registration.status == RegistrationStatus.CONFIRMED
    if has_address:
        record.send_status_label = str(SEND_STATUS_LABELS[registration.status])
    return record


SEND_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: gettext_lazy("Send the confirmation again"),
    RegistrationStatus.WAITLISTED: gettext_lazy("Send the waiting-list email again"),
    RegistrationStatus.PENDING: gettext_lazy("Send the “awaiting approval” email again"),
    RegistrationStatus.CANCELLED: gettext_lazy("Send the cancellation again"),
}
