"""The mail queue against a real SMTP server (aiosmtpd) that hangs, refuses, then works: requests stay fast
throughout and every email arrives exactly once after recovery; a worker killed mid-send loses nothing."""

import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client

from conference.mail import OutboundEmail, queue_email
from conference.worker import drain
from registration.tests.registration_factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent
FAST = 1.0  # seconds a request may take while the mail server is down


class Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((tuple(envelope.rcpt_tos), message_from_bytes(envelope.content)["Subject"]))
        return "250 OK"


def free_port():
    """A port nothing listens on (a fixed one would clash with another test run on this machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hung_server(port):
    """A server that accepts connections (the kernel completes them) and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    return listener


def working_server(port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp_settings(settings):
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1
    settings.MAIL_RETRY_BASE_SECONDS = 0.2
    settings.MAIL_MAX_ATTEMPTS = 5
    return settings


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def make_requests(client_factory, conference, tag):
    """A registration, a sign-up and a password reset, each from its own browser; returns their addresses
    and the slowest answer."""
    attendee, resetter = make_user(f"attendee-{tag}@example.org"), make_user(f"reset-{tag}@example.org")
    registering = client_factory()
    registering.force_login(attendee)
    answers = [
        timed(
            lambda: registering.post(
                "/vilnius-2017/register/",
                {
                    "full_name": "Ona Test",
                    "badge_name": "Ona",
                    "organisation": "",
                    "country": "LT",
                    "registration_type": "press",
                    "consent_privacy": "on",
                },
            )
        ),
        timed(
            lambda: client_factory().post(
                "/accounts/signup/", {"email": f"new-{tag}@example.org", "password1": PASSWORD, "password2": PASSWORD}
            )
        ),
        timed(lambda: client_factory().post("/accounts/password/reset/", {"email": resetter.email})),
    ]
    assert [response.status_code for response, _ in answers] == [302, 302, 302]
    return [attendee.email, f"new-{tag}@example.org", resetter.email], max(seconds for _, seconds in answers)


@pytest.mark.django_db
def test_hung_then_refusing_then_working_server(smtp_settings, conference):
    hung = hung_server(smtp_settings.EMAIL_PORT)
    try:
        hung_addresses, slowest = make_requests(Client, conference, "hung")
        assert slowest < FAST
        drain()  # each send waits EMAIL_TIMEOUT for a greeting that never comes
    finally:
        hung.close()
    queued = OutboundEmail.objects.filter(recipients__in=hung_addresses)
    assert sorted(queued.values_list("status", "attempts")) == [("queued", 1)] * 3
    assert all("timed out" in error for error in queued.values_list("last_error", flat=True))

    # Nothing listens now: the connection is refused.
    refused_addresses, slowest = make_requests(Client, conference, "refused")
    assert slowest < FAST
    time.sleep(0.5)  # past the first backoff (0.2 s)
    drain()
    everything = OutboundEmail.objects.filter(recipients__in=hung_addresses + refused_addresses)
    assert sorted(everything.values_list("status", flat=True)) == ["queued"] * 6
    assert "ConnectionRefusedError" in everything.get(recipients=refused_addresses[0]).last_error

    controller, inbox = working_server(smtp_settings.EMAIL_PORT)
    try:
        time.sleep(0.9)  # past the longest backoff so far (0.2 s × 2²)
        drain()
        drain()  # a second worker round finds nothing more to send
    finally:
        controller.stop()
    delivered = sorted(recipients[0] for recipients, _subject in inbox.messages)
    assert delivered == sorted(hung_addresses + refused_addresses)  # every one, exactly once
    assert set(everything.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_failed_after_every_attempt_then_resent_from_the_admin(smtp_settings, client):
    email = queue_email(EmailMessage("Your badge", "Body", to=["late@example.org"]))
    for attempt in range(1, smtp_settings.MAIL_MAX_ATTEMPTS + 1):
        drain()  # nothing listens: refused
        time.sleep(smtp_settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1) + 0.1)  # past this backoff
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", smtp_settings.MAIL_MAX_ATTEMPTS)

    organiser = make_user("organiser-resend@example.org")
    organiser.is_superuser = True
    organiser.save()
    client.force_login(organiser)
    page = client.get("/admin/outgoing-email/").content.decode()
    assert "late@example.org" in page and 'name="resend"' in page
    controller, inbox = working_server(smtp_settings.EMAIL_PORT)
    try:
        assert client.post("/admin/outgoing-email/", {"resend": email.pk}).status_code == 302
        drain()
    finally:
        controller.stop()
    assert inbox.messages == [(("late@example.org",), "Your badge")]
    email.refresh_from_db()
    assert email.status == "sent"


def subprocess_database_url():
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(port, var_dir, **env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", *env.pop("args", [])],
        cwd=ROOT,
        env={
            **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "conference.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": subprocess_database_url(),
            # Its own cache and media folders, not the checkout's var/ (which another test run may use).
            "VAR_DIR": str(var_dir),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "60",
            "MAIL_LEASE_SECONDS": "3",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_send_the_email_goes_out_once(tmp_path):
    port = free_port()
    hung = hung_server(port)
    email = queue_email(EmailMessage("Badge", "Body", to=["killed@example.org"]))
    worker = start_worker(port, tmp_path)
    try:
        assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).status == "sending", 60), (
            worker.stderr.read1().decode() if worker.poll() is not None else "the worker never took the email"
        )
        worker.send_signal(signal.SIGKILL)  # stuck in the SMTP greeting: no chance to record anything
        worker.wait(10)
    finally:
        hung.close()
    assert OutboundEmail.objects.get(pk=email.pk).status == "sending"

    controller, inbox = working_server(port)
    try:
        time.sleep(3)  # the dead worker's lease (MAIL_LEASE_SECONDS) runs out
        second = start_worker(port, tmp_path, args=["--batch"])
        assert second.wait(60) == 0, second.stderr.read().decode()
    finally:
        controller.stop()
    assert inbox.messages == [(("killed@example.org",), "Badge")]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)


def worker_sending_to_a_hung_server(tmp_path, timeout_seconds):
    """A worker stuck in an SMTP greeting that never comes, until EMAIL_TIMEOUT ends the attempt."""
    port = free_port()
    hung = hung_server(port)
    email = queue_email(EmailMessage("Badge", "Body", to=["stopping@example.org"]))
    worker = start_worker(port, tmp_path, EMAIL_TIMEOUT=str(timeout_seconds))
    if not wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).status == "sending", 60):
        log = worker.stderr.read1().decode() if worker.poll() is not None else "the worker never took the email"
        worker.kill()
        hung.close()
        pytest.fail(log)
    return worker, hung, email


@pytest.mark.django_db(transaction=True)
def test_a_stop_signal_delivered_twice_at_once_lets_the_current_task_finish(tmp_path):
    """Ctrl+C on bin/serve reaches the worker from the terminal and again from bin/serve's trap: one request to stop,
    so the send in progress ends by itself (here: the server's timeout) and the worker exits cleanly."""
    worker, hung, email = worker_sending_to_a_hung_server(tmp_path, timeout_seconds=3)
    try:
        worker.send_signal(signal.SIGINT)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        hung.close()
    log = worker.stderr.read().decode()
    assert log.count("Received") == 1 and "terminating current task" not in log, log
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)  # the attempt ended and was recorded, to be retried


@pytest.mark.django_db(transaction=True)
def test_a_second_stop_signal_later_ends_the_current_task_at_once(tmp_path):
    worker, hung, _email = worker_sending_to_a_hung_server(tmp_path, timeout_seconds=60)
    try:
        worker.send_signal(signal.SIGTERM)
        time.sleep(1.5)
        assert worker.poll() is None  # still in the send, as asked the first time
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        assert time.monotonic() - started < 10  # not the 60 s of the server's timeout
    finally:
        hung.close()
    assert "terminating current task" in worker.stderr.read().decode()
