"""A registration's page in the admin shows everything about it (account, answers one a row, visa letter with its
actions, workshop places, check-ins, emails, history), sends the badge or the confirmation again through the mail
queue, and edits the country with a chooser of names; in the same number of queries for a little or a lot."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.mail import OutboundEmail
from conference.worker import drain
from registration import services
from registration.models import CheckIn, RegistrationEmail, VisaLetterRequest
from tests.admin_page_data import rich_registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/snippets/registration/registration/"


def page_of(registration):
    return f"{REGISTRATIONS}inspect/{registration.pk}/"


def text(html):
    """The page's text with tags and runs of white space as single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_page_shows_everything_about_the_registration(client, organiser, conference):
    registration = rich_registration()
    drain()
    html = client.get(page_of(registration)).content.decode()
    shown = text(html)
    assert "Account email ona.rich@example.org" in shown
    assert "Country Lithuania" in shown and ">LT<" not in html
    assert '<th scope="row">Why do you come?</th><td>To learn about naloxone</td>' in html
    assert '<th scope="row">T-shirt size</th><td>M</td>' in html
    assert "Nationality Ukraine" in shown and "ONA RICHARDSON" in shown and "Requested" in shown
    assert 'name="action" value="approve"' in html
    signup = registration.workshop_signups.get()
    assert signup.session.title in shown
    assert "Wednesday 5 April 2017 09:05 Main door" in shown
    email = OutboundEmail.objects.get(registration_link__registration=registration)
    assert email.subject in shown and f"badge-vilnius-2017-{registration.pk}.pdf" in shown and "Sent" in shown
    assert "Send the badge again" in shown and "Send the confirmation again" in shown


def test_listing_names_lead_to_the_registrations_page(client, organiser, conference):
    registration = register(make_user("listed@example.org"), conference, make_type(conference), full_name="Listed One")
    html = client.get(REGISTRATIONS, {"q": "listed@example"}).content.decode()
    assert re.search(rf'<a href="{page_of(registration)}">\s*<span[^>]*>Listed One</span>', html)


def test_badge_is_sent_again_through_the_mail_queue(client, organiser, conference, deliver_mail, mailoutbox):
    registration = register(make_user("again@example.org"), conference, make_type(conference))
    with deliver_mail():
        response = client.post(page_of(registration), {"send_again": "badge"})
        assert response.status_code == 302
        assert mailoutbox == []  # queued, not sent inside the request
    [message] = mailoutbox
    assert message.to == ["again@example.org"] and message.subject.startswith("Your badge for")
    assert [name for name, _content, _type in message.attachments][1] == f"badge-vilnius-2017-{registration.pk}.pdf"
    link = RegistrationEmail.objects.get(registration=registration, kind="badge")
    assert (link.requested_by, link.email.status) == (organiser, "sent")


def test_confirmation_is_sent_again(client, organiser, conference, deliver_mail, mailoutbox):
    registration = register(make_user("confirm@example.org"), conference, make_type(conference))
    with deliver_mail():
        client.post(page_of(registration), {"send_again": "status"})
    [message] = mailoutbox
    assert "is confirmed" in message.subject


def test_no_badge_is_sent_for_a_waiting_registration(client, organiser, conference, deliver_mail, mailoutbox):
    full = make_type(conference, capacity=0)
    waiting = register(make_user("wait@example.org"), conference, full)
    assert "Send the badge again" not in text(client.get(page_of(waiting)).content.decode())
    with deliver_mail():
        response = client.post(page_of(waiting), {"send_again": "badge"}, follow=True)
    assert "Only a confirmed registration has a badge." in response.content.decode()
    assert mailoutbox == []


def test_a_badge_asked_for_before_a_cancellation_is_not_sent(client, organiser, conference, mailoutbox):
    registration = register(make_user("late@example.org"), conference, make_type(conference))
    drain()
    client.post(page_of(registration), {"send_again": "badge"})
    services.cancel(registration=registration, by=organiser)
    del mailoutbox[:]
    drain()
    assert [message.subject for message in mailoutbox] == [f"Your registration for {conference.title} is cancelled"]


def test_visa_letter_is_approved_from_the_registrations_page(client, organiser, conference):
    registration = rich_registration()
    letter = VisaLetterRequest.objects.get(registration=registration)
    response = client.post(
        "/admin/visa-letters/",
        {"action": "approve", "request": letter.pk, "conference": "vilnius-2017", "next": page_of(registration)},
    )
    assert response.status_code == 302 and response["Location"] == page_of(registration)
    letter.refresh_from_db()
    assert letter.status == "approved"


def test_visa_action_never_leads_outside_the_admin(client, organiser, conference):
    letter = VisaLetterRequest.objects.get(registration=rich_registration())
    response = client.post(
        "/admin/visa-letters/",
        {
            "action": "approve",
            "request": letter.pk,
            "conference": "vilnius-2017",
            "next": "https://evil.example/admin/",
        },
    )
    assert response["Location"].startswith("/admin/visa-letters/")


def test_visa_letters_list_names_the_nationality(client, organiser, conference):
    rich_registration()
    html = client.get("/admin/visa-letters/", {"conference": "vilnius-2017"}).content.decode()
    assert "<td>Ukraine</td>" in html and "<td>UA</td>" not in html


def test_country_is_chosen_by_name(client, organiser, conference):
    registration = register(make_user("edit@example.org"), conference, make_type(conference), country="UA")
    html = client.get(f"{REGISTRATIONS}edit/{registration.pk}/").content.decode()
    assert '<option value="UA" selected>Ukraine</option>' in html
    assert '<option value="KZ">Kazakhstan</option>' in html


def test_country_outside_the_list_is_refused(client, organiser, conference):
    registration = register(make_user("forged@example.org"), conference, make_type(conference), country="UA")
    data = {
        "registration_type": registration.registration_type_id,
        "full_name": "Forged",
        "badge_name": "Forged",
        "country": "ZZ",
    }
    response = client.post(f"{REGISTRATIONS}edit/{registration.pk}/", data)
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    registration.refresh_from_db()
    assert registration.country == "UA"


def test_page_takes_the_same_queries_for_a_little_and_a_lot(client, organiser, conference):
    def queries(registration):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_of(registration)).status_code == 200
        return len(captured)

    little = register(make_user("little@example.org"), conference, make_type(conference))
    lot = rich_registration()
    for day in conference.days[::2]:
        CheckIn.objects.create(
            registration=lot, conference=conference, day=day, checked_in_at=conference.local_datetime(day)
        )
    for _ in range(5):
        client.post(page_of(little), {"send_again": "status"})
        client.post(page_of(lot), {"send_again": "status"})
    assert queries(lot) == queries(little)


def test_passport_details_are_corrected_with_a_nationality_chooser(client, organiser, conference):
    registration = rich_registration()
    html = client.get(page_of(registration)).content.decode()
    assert '<option value="UA" selected>Ukraine</option>' in html
    letter = VisaLetterRequest.objects.get(registration=registration)
    details = {"passport_name": "ONA RICHARDSON-KOVAL", "passport_number": "LT7654321", "date_of_birth": "1990-05-17"}
    response = client.post(
        "/admin/visa-letters/",
        {"action": "correct", "request": letter.pk, "nationality": "MD", "next": page_of(registration), **details},
    )
    assert response["Location"] == page_of(registration)
    letter.refresh_from_db()
    assert (letter.passport_name, letter.nationality, letter.status) == ("ONA RICHARDSON-KOVAL", "MD", "requested")


def test_passport_details_of_an_issued_letter_stay(client, organiser, conference):
    letter = VisaLetterRequest.objects.get(registration=rich_registration())
    letter.status = VisaLetterRequest.APPROVED
    letter.save()
    data = {"passport_name": "X", "passport_number": "1", "nationality": "MD", "date_of_birth": "1990-05-17"}
    response = client.post("/admin/visa-letters/", {"action": "correct", "request": letter.pk, **data}, follow=True)
    assert "The passport details of a decided request cannot change." in response.content.decode()
    letter.refresh_from_db()
    assert letter.passport_name == "ONA RICHARDSON"
