"""Everything we hold about one person: the JSON export on /my/ and the deletion of the account.

Other apps add what they keep about a user with `register_section` (call it from their AppConfig.ready):

    from registration.personal_data import register_section
    register_section("starred_sessions", export=lambda user: [...], erase=None)

`export(user)` returns JSON-serialisable data that appears under that name in the download; `erase(user)`,
if given, runs before the account is deleted (rows with on_delete=CASCADE to the user need none).
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conference.mail import OutboundEmail

from . import services, visa
from .enums import ACTIVE_STATUSES
from .models import CheckIn, Registration

FORMAT = "hrne-personal-data/1"


@dataclass(frozen=True)
class Section:
    name: str
    export: object
    erase: object = None


_sections = {}


def register_section(name, *, export, erase=None):
    """Add (or replace) a named part of the personal-data export and, optionally, of the deletion."""
    _sections[name] = Section(name=name, export=export, erase=erase)


def registered_sections():
    return list(_sections.values())


def _iso(value):
    return value.isoformat() if value else None


def export_account(user):
    return {
        "email": user.email,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def export_registrations(user):
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("conference", "registration_type")
        .prefetch_related("status_changes")
        .order_by("created_at", "pk")
    )
    checkins = {}
    for checkin in CheckIn.objects.filter(registration__user=user).order_by("day"):
        checkins.setdefault(checkin.registration_id, []).append(
            {"day": checkin.day.isoformat(), "checked_in_at": _iso(checkin.checked_in_at), "gate": checkin.gate}
        )
    return [
        {
            "id": registration.pk,
            "conference": {
                "title": registration.conference.title,
                "slug": registration.conference.slug,
                "start_date": registration.conference.start_date.isoformat(),
                "end_date": registration.conference.end_date.isoformat(),
            },
            "registration_type": {
                "name": registration.registration_type.name,
                "slug": registration.registration_type.slug,
            },
            "status": registration.status,
            "waitlist_position": registration.waitlist_position,
            "full_name": registration.full_name,
            "badge_name": registration.badge_name,
            "organisation": registration.organisation,
            "country": registration.country,
            "role": registration.role,
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "interpretation_language": registration.interpretation_language,
            "photo_consent": registration.photo_consent,
            "privacy_consent_at": _iso(registration.privacy_consent_at),
            "privacy_notice_version": registration.privacy_notice_version,
            "language": registration.language,
            "created_at": _iso(registration.created_at),
            "updated_at": _iso(registration.updated_at),
            "status_history": [
                {"from": change.from_status, "to": change.to_status, "at": _iso(change.changed_at), "note": change.note}
                for change in registration.status_changes.all()
            ],
            "check_ins": checkins.get(registration.pk, []),
        }
        for registration in registrations
    ]


def _emails_to(user):
    """The mail log's emails to any of the user's addresses, or about their registrations."""
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)} - {""}
    to_them = Q(registration_link__registration__user=user)
    for address in addresses:
        to_them |= Q(recipients__iexact=address)
    return OutboundEmail.objects.filter(to_them)


def export_emails(user):
    return [
        {
            "subject": email.subject,
            "to": email.recipients,
            "status": email.status,
            "queued_at": _iso(email.created_at),
            "sent_at": _iso(email.sent_at),
            "attachments": email.attachment_names,
            "text": email.sent_text,
        }
        for email in _emails_to(user).order_by("created_at", "pk")
    ]


def erase_emails(user):
    _emails_to(user).delete()


register_section("account", export=export_account)
register_section("registrations", export=export_registrations)
register_section("emails", export=export_emails, erase=erase_emails)


def export_personal_data(user):
    """The download on /my/: every registered section, by name."""
    data = {"format": FORMAT, "exported_at": _iso(timezone.now())}
    for section in registered_sections():
        data[section.name] = section.export(user)
    return data


def delete_account(*, user):
    """Delete the account. Active registrations of conferences still to come are cancelled first (the seat
    goes to the waiting list, workshop places and visa letters go with them); every issued visa letter is
    withdrawn; then every registration is anonymised, keeping status and type for counts."""
    with transaction.atomic():
        today = timezone.now().date()
        upcoming = Registration.objects.filter(user=user, status__in=ACTIVE_STATUSES, conference__end_date__gte=today)
        for registration in upcoming:
            services.cancel(registration=registration, by=None, notify=False, note="account deleted")
        # Letters of past conferences too: a consulate checking one learns that its holder's account is gone.
        visa.withdraw_issued(registrations=Registration.objects.filter(user=user))
        for section in registered_sections():
            if section.erase is not None:
                section.erase(user)
        services.anonymise(registrations=Registration.objects.filter(user=user))
        user.delete()
