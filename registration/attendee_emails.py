"""The attendee emails of the one-flow registration and the visa letters: the confirmation code, and the
organisers' decision on a visa letter. One function per email, so that each can move onto the queue alone."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conference.mail import queue_email

from .emails import _conference_in, attendee_email_context, build_email, log_registration_email
from .enums import EmailKind
from .models import VisaLetterRequest, WorkshopSignup

CODE_SUBJECT = _("Your code for %(conference)s: %(code)s")
WORKSHOP_PROMOTED_SUBJECT = _("A place is free for you: %(session)s")
VISA_SUBJECTS = {
    VisaLetterRequest.APPROVED: _("Your visa invitation letter for %(conference)s is ready"),
    VisaLetterRequest.REFUSED: _("About your visa invitation letter for %(conference)s"),
}


def _send(*, to, subject, template, context):
    build_email(to=to, subject=subject, template=template, context=context).send()


def _queue_about(registration, kind, *, subject, template, context):
    """Queue an email about `registration`, its text kept in the mail log and listed on its page."""
    message = build_email(to=registration.user.email, subject=subject, template=template, context=context)
    with transaction.atomic():
        email = queue_email(message, keep_text=True, conference=registration.conference)
        log_registration_email(registration, email, kind)


def send_confirmation_code(*, email, code, token, conference, language):
    """The code and the link that confirm a visitor's address. The same email goes whether or not the address
    has an account, so the form never tells a stranger which addresses are registered."""
    with translation.override(language):
        conference = _conference_in(conference, language)
        context = {
            "conference": conference,
            "code": code,
            "confirm_url": settings.SITE_URL + reverse("confirm_registration_link", args=[token]),
        }
        subject = str(CODE_SUBJECT) % {"conference": conference.title, "code": code}
        _send(to=email, subject=subject, template="confirmation_code", context=context)


def send_visa_decision(*, visa_request_id):
    """Tell the attendee that their letter is ready, or why it was refused."""
    visa_request = (
        VisaLetterRequest.objects.select_related("registration__user", "registration__conference")
        .filter(pk=visa_request_id)
        .first()
    )
    if visa_request is None or visa_request.status not in VISA_SUBJECTS:
        return False
    registration = visa_request.registration
    if registration.user is None or not registration.user.email:
        return False
    with attendee_email_context(registration) as context:
        context["visa_request"] = visa_request
        subject = str(VISA_SUBJECTS[visa_request.status]) % {"conference": context["conference"].title}
        _queue_about(registration, EmailKind.VISA_DECISION, subject=subject, template="visa_decision", context=context)
    return True


def send_workshop_promoted(*, signup_id):
    """Tell the person at the head of a workshop's queue that the freed place is theirs."""
    signup = (
        WorkshopSignup.objects.select_related("registration__user", "registration__conference", "session")
        .filter(pk=signup_id, status=WorkshopSignup.CONFIRMED)
        .first()
    )
    if signup is None or signup.registration.user is None or not signup.registration.user.email:
        return False
    registration = signup.registration
    with attendee_email_context(registration) as context:
        session = _conference_in(signup.session, translation.get_language())
        context |= {"session": session, "session_url": settings.SITE_URL + session.url}
        subject = str(WORKSHOP_PROMOTED_SUBJECT) % {"session": session.title}
        _queue_about(
            registration, EmailKind.WORKSHOP_PROMOTED, subject=subject, template="workshop_promoted", context=context
        )
    return True
