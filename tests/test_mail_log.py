"""The mail log (Reports → Outgoing emails): every email kept, sent ones included, searchable by recipient and
filtered by status and conference, with attempts, last error and attachments; the text of attendee emails is
kept once sent, never that of a sign-in code."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.mail import OutboundEmail
from conference.worker import drain
from registration.models import Registration
from registration.personal_data import delete_account, export_personal_data
from registration.services import anonymise
from registration.tests.registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

LOG = "/admin/outgoing-email/"


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


def listed(admin_client, **params):
    response = admin_client.get(LOG, params)
    assert response.status_code == 200
    return [email.pk for email in response.context["page"]]


def test_sent_email_is_listed_with_its_attachments(admin_client, conference):
    registration = register(make_user("sent@example.org"), conference, make_type(conference))
    drain()
    email = OutboundEmail.objects.get(recipients="sent@example.org")
    assert email.status == "sent"
    assert email.attachment_names == ["vilnius-2017.ics", f"badge-vilnius-2017-{registration.pk}.pdf"]
    html = admin_client.get(LOG, {"q": "sent@example"}).content.decode()
    assert "sent@example.org" in html and f"badge-vilnius-2017-{registration.pk}.pdf" in html


def test_log_is_searched_by_recipient(admin_client, conference):
    register(make_user("ona@example.org"), conference, make_type(conference))
    register(make_user("petras@example.org"), conference, make_type(conference))
    drain()
    ona = OutboundEmail.objects.get(recipients="ona@example.org")
    assert listed(admin_client, q="ONA@example") == [ona.pk]


def test_log_filters_by_status(admin_client, conference, settings):
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
    register(make_user("done@example.org"), conference, make_type(conference))
    drain()
    mail.send_mail("Later", "Body", None, ["waiting@example.org"])
    failed = OutboundEmail.objects.create(recipients="failed@example.org", subject="Broken", status="failed")
    waiting = OutboundEmail.objects.get(recipients="waiting@example.org")
    sent = OutboundEmail.objects.get(recipients="done@example.org")
    assert listed(admin_client, status="failed") == [failed.pk]
    assert listed(admin_client, status="waiting") == [waiting.pk]
    assert sent.pk in listed(admin_client, status="sent")
    assert {failed.pk, waiting.pk, sent.pk} <= set(listed(admin_client))


def test_log_filters_by_conference(admin_client, conference, settings):
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
    register(make_user("about@example.org"), conference, make_type(conference))
    mail.send_mail("Not about a conference", "Body", None, ["other@example.org"])
    about = OutboundEmail.objects.get(recipients="about@example.org")
    assert listed(admin_client, conference=conference.pk) == [about.pk]


def test_attendee_email_keeps_its_text_once_sent(admin_client, conference):
    register(make_user("text@example.org"), conference, make_type(conference), badge_name="Ona")
    drain()
    email = OutboundEmail.objects.get(recipients="text@example.org")
    assert "Hello Ona," in email.sent_text
    html = admin_client.get(f"{LOG}{email.pk}/").content.decode()
    assert "Hello Ona," in html


def test_sign_in_code_text_is_never_kept(admin_client, settings):
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
    mail.send_mail("Your sign-in code", "Code: 123456", None, ["code@example.org"])
    drain()
    email = OutboundEmail.objects.get(recipients="code@example.org")
    assert (email.status, email.sent_text, email.payload) == ("sent", "", {})
    assert "123456" not in admin_client.get(f"{LOG}{email.pk}/").content.decode()


def test_log_lists_in_the_same_number_of_queries_for_few_and_many(admin_client, conference):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(LOG).status_code == 200
        return len(captured)

    OutboundEmail.objects.create(recipients="one@example.org", subject="One", conference=conference)
    few = queries()
    OutboundEmail.objects.bulk_create(
        OutboundEmail(recipients=f"a{n}@example.org", subject="Many", conference=conference) for n in range(60)
    )
    assert queries() == few


def test_personal_data_export_lists_the_persons_emails(conference):
    user = make_user("mine@example.org")
    register(user, conference, make_type(conference))
    drain()
    [email] = export_personal_data(user)["emails"]
    assert (email["to"], email["status"]) == ("mine@example.org", "sent")
    assert email["attachments"][1].endswith(".pdf")


def test_deleting_the_account_deletes_its_emails_from_the_log(conference):
    user = make_user("gone@example.org")
    register(user, conference, make_type(conference))
    register(make_user("stays@example.org"), conference, make_type(conference))
    drain()
    delete_account(user=user)
    assert list(
        OutboundEmail.objects.filter(recipients__in=["gone@example.org", "stays@example.org"]).values_list(
            "recipients", flat=True
        )
    ) == ["stays@example.org"]


def test_anonymised_registrations_leave_the_log(conference):
    user = make_user("purged@example.org")
    registration = register(user, conference, make_type(conference))
    drain()
    anonymise(registrations=Registration.objects.filter(pk=registration.pk))
    assert not OutboundEmail.objects.filter(recipients="purged@example.org").exists()
