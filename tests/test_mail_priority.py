"""Emails never wait behind page rendering (issue 22.1): with one real `manage.py worker` busy warming the stored
pages of a large conference, a registration code posted meanwhile reaches a real SMTP server (aiosmtpd) within
seconds, while the warm-up still runs."""

import os
import re
import signal
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from programme.warming import warm_stored_pages
from registration.tests.registration_factories import make_type

from .test_mail_faults import ROOT, free_port, subprocess_database_url, wait_for, working_server

# The address the code goes to, and how long a visitor may wait for it (issue 22: "within 10 s of the POST").
VISITOR = "priority.visitor@example.org"
CODE_WITHIN = 10
WARM_UP = "programme.warming.warm_stored_pages"


def worker_env(smtp_port, var_dir):
    return {
        # The worker's cache is its own folder (VAR_DIR), as in the other worker tests.
        **{key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "conference.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": subprocess_database_url(),
        "VAR_DIR": str(var_dir),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "10",
    }


def start_worker(env, log):
    """One worker for every queue, as bin/serve starts it."""
    # Production settings render hashed static names from a manifest: collect them, as a deployment does.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


def warm_up_unfinished():
    return DBTaskResult.objects.filter(task_path=WARM_UP, status__in=["READY", "RUNNING"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_code_email_arrives_within_seconds_while_a_full_warm_up_runs(demo_tx, tmp_path, settings):
    # The site's backend, which queues for the worker (Django's test set-up points EMAIL_BACKEND at locmem).
    settings.EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
    # 300 sessions and 100 speakers: about 1,600 addresses to render, minutes of one worker's time on this machine.
    call_command("make_scale_conference", slug="scale", sessions=300, speakers=100, registrations=0, verbosity=0)
    workshop = make_type(demo_tx, capacity=5)
    smtp_port = free_port()
    controller, inbox = working_server(smtp_port)
    warm_stored_pages.enqueue()
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = start_worker(worker_env(smtp_port, tmp_path), log)
    try:
        assert wait_for(lambda: DBTaskResult.objects.filter(task_path=WARM_UP, status="RUNNING").exists(), 60), (
            log_path.read_text()[-2000:]
        )
        response = Client().post(
            "/vilnius-2017/register/",
            {
                "email": VISITOR,
                "full_name": "Nina Visitor",
                "badge_name": "Nina",
                "organisation": "",
                "country": "GE",
                "registration_type": workshop.slug,
                "consent_privacy": "on",
            },
        )
        assert (response.status_code, response["Location"]) == (302, "/register/confirm/")
        arrived = wait_for(lambda: inbox.messages, CODE_WITHIN)
        # Read at once: the warm-up has not ended when the code is there (it is the one the code had to pass).
        still_warming = warm_up_unfinished()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        controller.stop()
    assert arrived, f"no email within {CODE_WITHIN} s; worker log: {log_path.read_text()[-2000:]}"
    [(recipients, subject)] = inbox.messages
    assert recipients == (VISITOR,)
    assert re.search(r"\b\d{6}\b", subject), subject
    assert still_warming, "the warm-up ended before the code was sent: make the conference larger"
