"""The emails of the call for proposals: the code and link that confirm a visitor's address."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conference import email_proof


def send_proposal_code(*, email, code, token, conference, language):
    """Queue the code and the link, in the language the visitor wrote in. The same email goes whether or not the
    address has an account, so the form never tells a stranger which addresses are known."""
    with translation.override(language):
        conference = conference.localized
        context = {
            "conference": conference,
            "code": code,
            "link": settings.SITE_URL + reverse("proposal_confirm_link", args=[token]),
            "minutes": int(email_proof.LIFETIME.total_seconds() // 60),
        }
        # Sent through EMAIL_BACKEND, which queues it for the worker (conference.mail), like the registration's code.
        get_adapter().render_mail("proposals/email/code", email, context).send()
