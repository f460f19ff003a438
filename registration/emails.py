"""The attendee's registration emails: plain text and HTML, in the registration's language, with the
conference dates as an .ics file and, once confirmed, the badge PDF; each put on the registration's page, and
sent again when an organiser asks."""

import logging
from contextlib import contextmanager
from datetime import timedelta

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from conference.mail import queue_built_email

from .badge_pdf import badge_filename, render_badge_pdf
from .enums import EmailKind, RegistrationStatus
from .errors import CodedError
from .models import Registration, RegistrationEmail

logger = logging.getLogger(__name__)

SUBJECTS = {
    EmailKind.CONFIRMED: _("Your registration for %(conference)s is confirmed"),
    EmailKind.WAITLISTED: _("You are on the waiting list for %(conference)s"),
    EmailKind.PENDING: _("We received your registration for %(conference)s"),
    EmailKind.PROMOTED: _("A seat is free: your registration for %(conference)s is confirmed"),
    EmailKind.APPROVED: _("Your registration for %(conference)s is approved"),
    EmailKind.REJECTED: _("Your registration for %(conference)s was not accepted"),
    EmailKind.CANCELLED: _("Your registration for %(conference)s is cancelled"),
    EmailKind.BADGE: _("Your badge for %(conference)s"),
}
# Emails that leave the registration confirmed carry the badge and the calendar file.
CONFIRMING = {EmailKind.CONFIRMED, EmailKind.PROMOTED, EmailKind.APPROVED, EmailKind.BADGE}
# The email each status is told with, which an organiser can have sent again.
STATUS_EMAILS = {
    RegistrationStatus.CONFIRMED: EmailKind.CONFIRMED,
    RegistrationStatus.WAITLISTED: EmailKind.WAITLISTED,
    RegistrationStatus.PENDING: EmailKind.PENDING,
    RegistrationStatus.CANCELLED: EmailKind.CANCELLED,
}
# Like the sessions' UIDs, never derived from SITE_URL: a calendar must match the event whatever the address.
UID_DOMAIN = "conferences.harm-reduction-conference"


def conference_dates_ics(conference, *, uid_suffix="dates"):
    """One all-day event spanning the conference days, for the attendee's calendar, in `conference`'s language
    (pass the translated page). No METHOD: it is a file to import, not an iTIP message (which would need an
    ORGANIZER); its UID is the same in every language and at every site address."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Harm Reduction Conferences//Registration//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"conference-{conference.translation_key}-{uid_suffix}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conference.start_date)
    event.add("dtend", conference.end_date + timedelta(days=1))
    event.add("summary", conference.title)
    place = ", ".join(part for part in [getattr(conference.venue, "name", ""), conference.city] if part)
    if place:
        event.add("location", place)
    event.add("url", settings.SITE_URL + conference.url)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return calendar.to_ical()


def _conference_in(conference, language):
    """The conference page in the registration's language, for its title and link."""
    if language == settings.LANGUAGE_CODE:
        return conference  # registrations belong to the default-language page already
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist:
        return conference
    return conference.get_translation_or_none(locale) or conference


@contextmanager
def attendee_email_context(registration):
    """Translation switched to the registration's language for the block; gives what every attendee email shows:
    the registration, the conference page in that language and the link to /my/."""
    language = registration.language or settings.LANGUAGE_CODE
    with translation.override(language):
        yield {
            "registration": registration,
            "conference": _conference_in(registration.conference, language),
            "my_url": settings.SITE_URL + reverse("my_registrations"),
        }


def build_email(*, to, subject, template, context):
    """One attendee email, plain text and HTML from `registration/emails/<template>.txt|.html`, not yet sent."""
    text = render_to_string(f"registration/emails/{template}.txt", context)
    html = render_to_string(f"registration/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def build_registration_email(registration, kind):
    """The EmailMultiAlternatives for one registration and one kind (see SUBJECTS)."""
    with attendee_email_context(registration) as context:
        conference = context["conference"]
        context |= {
            "kind": kind,
            "conference_url": settings.SITE_URL + conference.url,
            "waitlist_position": registration.waitlist_position,
        }
        subject = str(SUBJECTS[kind]) % {"conference": conference.title}
        message = build_email(to=registration.user.email, subject=subject, template=kind, context=context)
        if kind in CONFIRMING:
            message.attach(f"{conference.slug}.ics", conference_dates_ics(conference), "text/calendar")
            message.attach(badge_filename(registration), render_badge_pdf(registration), "application/pdf")
    return message


def queue_registration_email(registration, kind, *, requested_by=None):
    """Queue one email in the caller's transaction; the worker renders it (badge PDF included) when it
    sends it. A registration without an account (walk-in, anonymised) gets none."""
    if registration.user is None or not registration.user.email:
        return None
    with transaction.atomic():
        email = queue_built_email(
            "registration.emails.build_queued_registration_email",
            recipients=registration.user.email,
            subject=SUBJECTS[kind] % {"conference": registration.conference.title},
            keep_text=True,
            conference=registration.conference,
            registration_id=registration.pk,
            kind=kind,
        )
        log_registration_email(registration, email, kind, requested_by=requested_by)
    return email


def log_registration_email(registration, email, kind, *, requested_by=None):
    """Put a queued email on the registration's page (the mail log keeps the rest)."""
    RegistrationEmail.objects.create(registration=registration, email=email, kind=kind, requested_by=requested_by)


class SendAgainError(CodedError):
    MESSAGES = {
        "no_address": _("This registration has no account with an email address (anonymised or entered by staff)."),
        "no_badge": _("Only a confirmed registration has a badge."),
    }


def send_again(*, registration, what, by):
    """An organiser has the badge (`what="badge"`, confirmed registrations only) or the email of the
    registration's status (`what="status"`) sent again, through the mail queue; returns the queued email."""
    if registration.user is None or not registration.user.email:
        raise SendAgainError("no_address")
    if what == "badge":
        if registration.status != RegistrationStatus.CONFIRMED:
            raise SendAgainError("no_badge")
        kind = EmailKind.BADGE
    else:
        kind = STATUS_EMAILS[registration.status]
    return queue_registration_email(registration, kind, requested_by=by)


def build_queued_registration_email(*, registration_id, kind):
    """The message for a queued registration email, or None if the registration or its account is gone."""
    registration = (
        Registration.objects.select_related("user", "conference", "registration_type", "conference__venue")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None or not registration.user.email:
        return None
    if kind == EmailKind.BADGE and registration.status != RegistrationStatus.CONFIRMED:
        return None  # cancelled since the organiser asked: no badge goes out any more
    return build_registration_email(registration, kind)


def registration_languages(user_ids):
    """{user id: language of their latest registration}: programme's change notices write in it."""
    languages = {}
    rows = Registration.objects.filter(user_id__in=user_ids).exclude(language="").order_by("created_at")
    for user_id, language in rows.values_list("user_id", "language"):
        languages[user_id] = language
    return languages
