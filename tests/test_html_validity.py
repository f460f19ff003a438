"""Valid HTML, checked by an independent validator: the Nu HTML Checker (vnu.jar from npm's vnu-jar, installed by
bin/vnu under var/vnu/) reads every public page type as the test server renders it, in English and Russian,
signed out, signed in as an attendee and as door staff, and must report 0 errors."""

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from home.models import HomePage, StandardPage
from programme import agenda
from programme.models import ProgrammePage, SessionPage, SpeakerIndexPage, SpeakerPage
from registration.tests.checkin_factories import make_staff
from registration.tests.registration_factories import make_type, make_user, register

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ru")


@pytest.fixture(scope="module")
def vnu_jar():
    """The checker's jar; skipped without Java or npm, unless REQUIRE_VNU=1 (CI, through .ci/run)."""
    missing = [tool for tool in ("java", "npm") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("REQUIRE_VNU") == "1":
            pytest.fail(f"REQUIRE_VNU=1 but {', '.join(missing)} not found")
        pytest.skip(f"the Nu HTML Checker needs {', '.join(missing)}")
    result = subprocess.run([ROOT / "bin" / "vnu"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def check_html(jar, documents, folder):
    """{name: [error messages]} for each of the {name: html} documents with an error, from one checker run."""
    files = {}
    for index, (name, html) in enumerate(documents.items()):
        path = folder / f"{index:03}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = {}
    for message in json.loads(result.stdout)["messages"]:
        name = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


class FormsWithoutSubmit(HTMLParser):
    """Counts the forms that have no submit button (HTML_CodeSniffer H32.2: a form a keyboard or screen reader
    user cannot send without a script)."""

    def __init__(self):
        super().__init__()
        self.open_forms = []
        self.without_submit = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.open_forms.append(False)
        elif self.open_forms and (
            (tag == "button" and attrs.get("type", "submit") == "submit")
            or (tag == "input" and attrs.get("type") in ("submit", "image"))
        ):
            self.open_forms[-1] = True

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.without_submit += not self.open_forms.pop()


def forms_without_submit(html):
    parser = FormsWithoutSubmit()
    parser.feed(html)
    return parser.without_submit


def first_url(model, language):
    page = model.objects.live().filter(locale__language_code=language).order_by("path").first()
    return page.url


def public_paths(conference, language):
    """One path of each public page type in one language."""
    programme = first_url(ProgrammePage, language)
    paths = [
        first_url(HomePage, language),
        first_url(type(conference), language),
        first_url(type(conference), language) + "register/",
        programme,
        programme + "?day=2017-04-05",
        programme + "?track=funding-after-transition",
        programme + "print/",
        programme + "now/?at=2017-04-05T10:00",
        programme + "changes/",
        first_url(SessionPage, language),
        first_url(SpeakerIndexPage, language),
        first_url(SpeakerPage, language),
    ]
    if StandardPage.objects.live().filter(locale__language_code=language).exists():
        paths.append(first_url(StandardPage, language))
    prefix = "" if language == "en" else f"/{language}"
    paths += [
        f"{prefix}/accounts/login/",
        f"{prefix}/accounts/signup/",
        f"{prefix}/accounts/password/reset/",
        f"{prefix}/accounts/code/",
        f"{prefix}/no-such-page/",
    ]
    return paths


def render(client, paths):
    documents = {}
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=path.startswith("/ru/") and "ru" or "en")
        assert response.status_code in (200, 404), f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        documents[path] = response.content.decode()
    return documents


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(vnu_jar, conference, tmp_path):
    attendee = make_user()
    registration = register(attendee, conference, make_type(conference, capacity=50))
    workshop = SessionPage.objects.live().descendant_of(conference).first()
    workshop.signup_capacity = 5
    workshop.save(update_fields=["signup_capacity"])
    agenda.set_starred(user=attendee, session_id=workshop.pk, starred=True)
    agenda.issue_feed(user=attendee)
    signed_in = Client()
    signed_in.force_login(attendee)
    door = Client()
    door.force_login(make_staff())

    documents = {}
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"/{language}"
        paths = public_paths(conference, language)
        documents |= {f"signed out {path}": html for path, html in render(Client(), paths).items()}
        signed_in_paths = [
            *paths[:-5],
            f"{prefix}/my/",
            f"{prefix}/my/delete-account/",
            f"{prefix}/my/registrations/{registration.pk}/edit/",
            f"{prefix}/my/registrations/{registration.pk}/cancel/",
        ]
        documents |= {f"attendee {path}": html for path, html in render(signed_in, signed_in_paths).items()}
        documents |= {f"door staff {path}": html for path, html in render(door, [f"{prefix}/checkin/"]).items()}

    assert len(documents) > 50
    assert check_html(vnu_jar, documents, tmp_path) == {}
    assert {name: count for name, html in documents.items() if (count := forms_without_submit(html))} == {}
