"""Emails that carry everything: the confirmation has the venue, map link, start time, what to bring, programme,
contact, visa status, badge and calendar file; account emails are branded, without host name or stock text."""

import re
from datetime import time

import pytest
from django.core import mail

from conference.models import Venue
from registration.models import VisaLetterRequest

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def practical_conference(conference):
    venue = Venue.objects.create(name="Test Venue Hall", address="Konstitucijos pr. 20", city="Vilnius", country="LT")
    type(conference).objects.filter(pk=conference.pk).update(
        venue=venue,
        contact_email="help@conference.example",
        first_day_starts_at=time(9, 0),
        what_to_bring="Your passport and badge",
        directions="Trolleybus 2 to the stop in front of the venue.",
    )
    conference.refresh_from_db()
    return conference


def test_confirmation_email_carries_the_practical_details(practical_conference, deliver_mail):
    user = make_user()
    chosen = make_type(practical_conference, capacity=5)
    with deliver_mail():  # queued in the registration's transaction, rendered by the worker
        registration = register(user, practical_conference, chosen)
        VisaLetterRequest.objects.create(registration=registration, passport_name="X", nationality="UA")
    message = mail.outbox[-1]
    for expected in [
        "Test Venue Hall",
        "Konstitucijos pr. 20",
        "https://www.openstreetmap.org/search?query=Konstitucijos",
        "09:00",
        "Your passport and badge",
        "/vilnius-2017/programme/",
        "help@conference.example",
    ]:
        assert expected in message.body, expected
    assert {attachment[2] for attachment in message.attachments} == {"text/calendar", "application/pdf"}


def test_conference_page_and_footer_show_contact_and_directions(client, practical_conference):
    html = client.get("/vilnius-2017/").content.decode()
    assert 'href="mailto:help@conference.example"' in html
    assert "Trolleybus 2" in html and "openstreetmap.org/search" in html
    programme = client.get("/vilnius-2017/programme/").content.decode()
    assert 'class="footer-contact"' in programme and "help@conference.example" in programme


def test_account_emails_are_branded_without_host_or_stock_text(client, conference, deliver_mail):
    with deliver_mail():  # allauth's emails go through the queue too
        client.post(
            "/ru/accounts/signup/",
            {"email": "brand@example.org", "password1": "a long pass phrase 99", "password2": "a long pass phrase 99"},
        )
    message = mail.outbox[-1]
    assert re.search(r"/ru/accounts/confirm-email/", message.body)
    text = re.sub(r"https?://\S+", "", message.subject + message.body)  # the link itself names the host
    assert "Конференции по снижению вреда" in text
    assert "127.0.0.1" not in text and "testserver" not in text and "example.com" not in text
    assert "has given your email" not in text and "Благодарим вас за использование" not in text
