"""The outgoing mail queue: every email is stored as an OutboundEmail in the caller's transaction and sent
by `manage.py worker`, with retries and backoff, ending either sent or failed (organisers can resend).

Delivery is at least once: a message is marked sent only after the SMTP server has accepted it, so a
worker that dies between the server's "250 OK" and our commit leaves it to be sent again after its lease
runs out. Duplicates need exactly that crash; a lost email needs the database to lose a commit.
"""

import base64
import logging
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task

logger = logging.getLogger(__name__)

# The TASKS alias of the durable database queue that `manage.py worker` runs (settings/base.py).
BACKGROUND = "background"
# Every email goes through this queue, ahead of any other background work (settings.TASKS): a visitor waits for
# a registration code now, nobody waits for a warmed page.
MAIL_QUEUE = "mail"
MAIL_PRIORITY = 50


def max_attempts():
    return settings.MAIL_MAX_ATTEMPTS


def lease():
    """How long a claimed message belongs to its worker; after that another worker may take it."""
    return timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def backoff(attempts):
    """Wait before the next attempt: MAIL_RETRY_BASE_SECONDS doubled per failed attempt, capped at a day."""
    return timedelta(seconds=min(settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 86400))


class OutboundEmailQuerySet(models.QuerySet):
    def unsent(self):
        """Messages still to go out: waiting, being sent or waiting for a retry."""
        return self.filter(status__in=[OutboundEmail.QUEUED, OutboundEmail.SENDING])

    def abandoned(self, now=None):
        """Claimed by a worker whose lease ran out: the worker died or hung mid-send."""
        return self.filter(status=OutboundEmail.SENDING, lease_until__lt=now or timezone.now())


class OutboundEmail(models.Model):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    STATUS_CHOICES = [
        (QUEUED, _("Queued")),
        (SENDING, _("Sending")),
        (SENT, _("Sent")),
        (FAILED, _("Failed")),
    ]

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=QUEUED, db_index=True)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=998)
    # The whole message (bodies, headers, attachments as base64); emptied once sent, since it may hold
    # a badge and personal answers that have no reason to stay in the database.
    payload = models.JSONField(_("message"), default=dict, blank=True)
    # Set for messages whose content is made by the worker at send time (a badge PDF is too slow to render
    # inside the transaction that holds the seat lock): a dotted path to a function that takes the
    # payload's "kwargs" and returns the message, or None when there is nothing to send any more.
    builder = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The mail log (conference/mail_admin.py): what went out, kept with the row for MAIL_KEEP_SENT_DAYS. The
    # plain text only of the messages queued with keep_text (the attendee emails: what they say is in the
    # registration anyway), never of sign-in codes or password links; attachments by name, never their content.
    keep_text = models.BooleanField(default=False, editable=False)
    sent_text = models.TextField(_("text sent"), blank=True)
    attachment_names = models.JSONField(_("attachments"), default=list, blank=True)
    # The conference an attendee email is about, for the organisers' figures per conference.
    conference = models.ForeignKey(
        "conference.ConferencePage",
        verbose_name=_("conference"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # /healthz asks for the oldest unsent message and the backlog every second: this index holds only the
            # unsent rows, so neither walks the sent ones (issue 25: 9 ms at 13,000 sent, growing).
            models.Index(
                fields=["created_at"], condition=Q(status__in=["queued", "sending"]), name="outboundemail_unsent_idx"
            )
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.subject} → {self.recipients}"

    def build_message(self, connection=None):
        """The stored message as a Django email, ready for any email backend (None: nothing to send)."""
        if self.builder:
            message = import_string(self.builder)(**self.payload["kwargs"])
            if message is not None:
                message.connection = connection
            return message
        data = self.payload
        message = EmailMultiAlternatives(
            subject=data["subject"],
            body=data["body"],
            from_email=data["from_email"],
            to=data["to"],
            cc=data["cc"],
            bcc=data["bcc"],
            reply_to=data["reply_to"],
            headers=data["headers"],
            connection=connection,
        )
        message.content_subtype = data["content_subtype"]
        for content, mimetype in data["alternatives"]:
            message.attach_alternative(content, mimetype)
        for attachment in data["attachments"]:
            message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
        return message


def _serialise(message):
    """Everything needed to rebuild `message`, as JSON."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):  # attach() also takes a ready MIME part
            filename, content = attachment.get_filename(), attachment.get_payload(decode=True) or b""
            mimetype = attachment.get_content_type()
        else:
            filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append(
            {"filename": filename, "content": base64.b64encode(content).decode("ascii"), "mimetype": mimetype}
        )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def queue_email(message, *, keep_text=False, conference=None):
    """Store `message` and wake a worker for it, in the caller's transaction: if the change that caused
    the email rolls back, so does the email. With `keep_text` the log keeps its text once sent; `conference`
    is the one it is about, if any."""
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            recipients=", ".join(message.recipients()),
            subject=str(message.subject)[:998],
            payload=_serialise(message),
            keep_text=keep_text,
            conference=conference,
        )
        send_stored_email.enqueue(email.pk)
    return email


class QueueingEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND for the site: whatever sends mail in a request (Wagtail's notifications, Django's
    password views, error mails to ADMINS) only queues it; the worker delivers with MAIL_DELIVERY_BACKEND."""

    def send_messages(self, email_messages):
        for message in email_messages:
            queue_email(message)
        return len(email_messages)


def delivery_connection():
    """A connection of the real backend (SMTP, files, console), bounded by EMAIL_TIMEOUT."""
    return get_connection(settings.MAIL_DELIVERY_BACKEND, timeout=settings.EMAIL_TIMEOUT)


def queue_built_email(builder, *, recipients, subject, keep_text=False, conference=None, **kwargs):
    """Store a message that the worker makes with `builder(**kwargs)` when it sends it; in the caller's
    transaction, like queue_email. `recipients` and `subject` are for the admin's list until it is sent."""
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            recipients=recipients,
            subject=str(subject)[:998],
            builder=builder,
            payload={"kwargs": kwargs},
            keep_text=keep_text,
            conference=conference,
        )
        send_stored_email.enqueue(email.pk)
    return email


def resend(email):
    """Give a failed message a fresh set of attempts (the admin's "Resend")."""
    with transaction.atomic():
        claimed = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.FAILED).update(
            status=OutboundEmail.QUEUED, attempts=0, next_attempt_at=None, last_error=""
        )
        if claimed:
            send_stored_email.enqueue(email.pk)
    return bool(claimed)


def _claim(email_id):
    """Take the message for this worker, unless it is sent, failed or being sent by another worker."""
    now = timezone.now()
    return OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.QUEUED).update(
        status=OutboundEmail.SENDING, lease_until=now + lease(), attempts=models.F("attempts") + 1
    )


@task(backend=BACKGROUND, queue_name=MAIL_QUEUE, priority=MAIL_PRIORITY)
def send_stored_email(email_id):
    """Send one stored email; on failure schedule the next attempt, or mark it failed after the last."""
    if not _claim(email_id):
        return "skipped"  # sent, failed, gone, or being sent by a live worker
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        message = email.build_message(connection=delivery_connection())
        if message is None:
            logger.info("Email %s has nothing to send any more (%s); dropped", email.pk, email.builder)
            email.delete()
            return "dropped"
        message.send()
    except Exception as error:
        _record_failure(email, error)
        raise  # the task's own result shows the error too
    email.status = OutboundEmail.SENT
    email.sent_at = timezone.now()
    email.payload = {}
    email.last_error = ""
    email.lease_until = None
    _log_sent(email, message)
    email.save(update_fields=["status", "sent_at", "payload", "last_error", "lease_until", *LOGGED_FIELDS])
    return "sent"


LOGGED_FIELDS = ("recipients", "subject", "sent_text", "attachment_names")


def _log_sent(email, message):
    """What the mail log keeps of a sent message: where and what it really went as (a built message is only
    made now), its text when the queuer asked, and the names of its attachments."""
    email.recipients = ", ".join(message.recipients()) or email.recipients
    email.subject = str(message.subject)[:998]
    email.sent_text = str(message.body) if email.keep_text else ""
    email.attachment_names = [
        attachment.get_filename() if isinstance(attachment, MIMEBase) else attachment[0]
        for attachment in message.attachments
    ]


def _record_failure(email, error):
    """Schedule the next attempt, or mark the message failed after the last one. Only while this worker's
    claim holds: if its lease ran out meanwhile, another worker owns the message now."""
    last_error = f"{type(error).__name__}: {error}"[:2000]
    still_ours = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.SENDING, lease_until=email.lease_until)
    with transaction.atomic():
        if email.attempts >= max_attempts():
            failed = {"status": OutboundEmail.FAILED, "next_attempt_at": None, "lease_until": None}
            if still_ours.update(last_error=last_error, **failed):
                logger.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, last_error)
            return
        next_attempt_at = timezone.now() + backoff(email.attempts)
        if still_ours.update(
            status=OutboundEmail.QUEUED, next_attempt_at=next_attempt_at, last_error=last_error, lease_until=None
        ):
            send_stored_email.using(run_after=next_attempt_at).enqueue(email.pk)
            logger.warning("Email %s attempt %s failed, retrying: %s", email.pk, email.attempts, last_error)


def requeue_abandoned():
    """Put back every message whose worker died or hung mid-send (its lease ran out) and wake a worker."""
    count = 0
    for email_id in OutboundEmail.objects.abandoned().values_list("pk", flat=True):
        with transaction.atomic():
            # Only one of several workers doing this at once wins the row and enqueues it.
            if (
                OutboundEmail.objects.abandoned()
                .filter(pk=email_id)
                .update(status=OutboundEmail.QUEUED, lease_until=None)
            ):
                send_stored_email.enqueue(email_id)
                count += 1
    return count


def prune_sent(now=None):
    """Forget sent messages after MAIL_KEEP_SENT_DAYS: their recipients and subjects are personal data."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.MAIL_KEEP_SENT_DAYS)
    return OutboundEmail.objects.filter(status=OutboundEmail.SENT, sent_at__lt=cutoff).delete()[0]


def queue_state():
    """Backlog and age of the oldest unsent message, and the count of failed ones, for /healthz."""
    unsent = OutboundEmail.objects.unsent()
    oldest = unsent.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "backlog": unsent.count(),
        "oldest_age_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else None,
        "failed": OutboundEmail.objects.filter(status=OutboundEmail.FAILED).count(),
    }
