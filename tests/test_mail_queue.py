"""Mail sent the plain Django way inside a request (as Wagtail's notifications and error mails are) is only
queued by the site's EMAIL_BACKEND, and the worker delivers it with MAIL_DELIVERY_BACKEND."""

import pytest
from django.core import mail

from conference.mail import OutboundEmail
from conference.worker import drain

pytestmark = pytest.mark.django_db


def test_send_mail_only_queues_and_the_worker_delivers(settings, mailoutbox):
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"  # as in base.py; Django's tests use locmem
    html = "<p>Please <b>review</b> this page.</p>"
    assert mail.send_mail("Review", "Please review.", None, ["moderator@example.org"], html_message=html) == 1
    assert mailoutbox == []
    queued = OutboundEmail.objects.get(recipients="moderator@example.org")
    assert (queued.status, queued.subject) == ("queued", "Review")
    drain()
    [message] = mailoutbox
    assert (message.to, message.subject, message.body) == (["moderator@example.org"], "Review", "Please review.")
    assert message.alternatives[0][0] == html
    queued.refresh_from_db()
    assert (queued.status, queued.payload) == ("sent", {})


def test_attachments_survive_the_queue(settings, mailoutbox):
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
    message = mail.EmailMessage("Badge", "Attached.", to=["a@example.org"])
    message.attach("badge.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf")
    message.attach("notes.txt", "текст", "text/plain")
    message.send()
    drain()
    [delivered] = mailoutbox
    assert [(name, content) for name, content, _type in delivered.attachments] == [
        ("badge.pdf", b"%PDF-1.4 \x00\xff binary"),
        ("notes.txt", "текст"),
    ]
