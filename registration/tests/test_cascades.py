"""Issue 23, point 2: when a registration ends (cancelled on /my/, its account deleted) what it held ends with it,
in either language: its workshop places go to the waiting list, its visa letter is withdrawn (and /verify/ and the
admin say since when), and the door answers "cancelled"."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from conference.models import ConferencePage
from conference.permissions import ORGANISERS
from programme.models import SessionPage
from registration import services, visa, workshops
from registration.badge_tokens import issue_badge_token
from registration.models import Registration, VisaLetterRequest, WorkshopSignup

from .checkin_factories import make_staff
from .registration_factories import PASSWORD, make_type, make_user, register

pytestmark = pytest.mark.django_db

PASSPORT = {"passport_name": "IVANOVA OLGA", "passport_number": "AB1234567", "nationality": "UA"}


@pytest.fixture
def workshop_session(conference):
    session = SessionPage.objects.live().descendant_of(conference).first()
    session.signup_capacity = 1
    session.save(update_fields=["signup_capacity"])
    return session


@pytest.fixture
def holder(conference, workshop_session):
    """A confirmed attendee with the workshop's only place and an issued visa letter; another waits for the place."""
    user = make_user()
    registration = register(user, conference, make_type(conference, capacity=50))
    workshops.sign_up(registration=registration, session=workshop_session)
    letter = visa.request_letter(registration=registration, date_of_birth=date(1985, 3, 21), **PASSPORT)
    visa.approve(visa_request=letter, by=None)
    waiting = register(make_user(), conference, make_type(conference, capacity=50))
    assert workshops.sign_up(registration=waiting, session=workshop_session).status == "waitlisted"
    client = Client()
    client.force_login(user)
    return registration, letter, waiting, client


def scan(registration):
    door = Client()
    door.force_login(make_staff())
    body = json.dumps({"code": issue_badge_token(registration), "conference": "vilnius-2017"})
    return door.post("/checkin/api/scan/", body, content_type="application/json").json()["result"]


def verify_page(letter, prefix=""):
    response = Client().get(f"{prefix}/verify/{letter.reference}/")
    return response.status_code, response.content.decode()


def shown_date(moment, language):
    with translation.override(language):
        return date_format(timezone.localtime(moment), "DATE_FORMAT")


def test_an_issued_letter_verifies_before_anything_ends(holder):
    _registration, letter, _waiting, _client = holder
    status, html = verify_page(letter)
    assert status == 200 and "Valid: this letter was issued by the organisers." in html and "IVANOVA OLGA" in html


@pytest.mark.parametrize(
    ("prefix", "language", "withdrawn"),
    [
        ("", "en", "Withdrawn on {date}: this letter is no longer valid."),
        ("/ru", "ru", "Отозвано {date}: письмо больше не действует."),
    ],
)
def test_cancelling_on_my_page_frees_the_place_withdraws_the_letter_and_the_door_says_cancelled(
    holder, workshop_session, prefix, language, withdrawn
):
    registration, letter, waiting, client = holder
    response = client.post(f"{prefix}/my/registrations/{registration.pk}/cancel/")
    assert response["Location"] == f"{prefix}/my/"
    assert WorkshopSignup.objects.get(registration=registration).status == "cancelled"
    assert WorkshopSignup.objects.get(registration=waiting).status == "confirmed"  # promoted from the queue
    assert workshops.places_left(workshop_session) == 0
    letter.refresh_from_db()
    assert letter.status == "withdrawn" and letter.decided_at.date() == timezone.localdate()
    status, html = verify_page(letter, prefix)
    assert status == 200 and withdrawn.format(date=shown_date(letter.decided_at, language)) in html
    my_page = client.get(f"{prefix}/my/").content.decode()
    assert f"/my/registrations/{registration.pk}/visa-letter.pdf" not in my_page
    assert client.get(f"/my/registrations/{registration.pk}/visa-letter.pdf").status_code == 404
    assert scan(registration) == "cancelled"


def test_an_organisers_cancel_releases_the_same(holder, workshop_session):
    """The rule lives in services.cancel: the admin's cancel takes the same path as the attendee's."""
    registration, letter, waiting, _client = holder
    services.cancel(registration=registration, by=None)
    assert WorkshopSignup.objects.get(registration=waiting).status == "confirmed"
    assert VisaLetterRequest.objects.get(pk=letter.pk).status == "withdrawn"


@pytest.mark.parametrize(("prefix", "upcoming"), [("", True), ("/ru", False)])
def test_a_deleted_accounts_letter_answers_withdrawn_without_the_holders_details(holder, conference, prefix, upcoming):
    """An upcoming conference's registration is cancelled (its place goes to the queue); a past one's sign-ups stay
    as history, but every issued letter is withdrawn."""
    registration, letter, waiting, client = holder
    end = timezone.localdate() + timedelta(days=30 if upcoming else -30)
    ConferencePage.objects.filter(pk=conference.pk).update(end_date=end, start_date=end - timedelta(days=2))
    form = {"password": PASSWORD, "confirm": "on"}
    assert client.post(f"{prefix}/my/delete-account/", form).status_code == 302
    assert not Registration.objects.filter(pk=registration.pk, user__isnull=False).exists()
    expected_status = "confirmed" if upcoming else "waitlisted"
    assert WorkshopSignup.objects.get(registration=waiting).status == expected_status
    status, html = verify_page(letter, prefix)
    assert status == 200 and "IVANOVA" not in html
    expected = {"": ("Withdrawn on", "Details deleted at the holder"), "/ru": ("Отозвано", "Данные удалены по просьбе")}
    assert all(text in html for text in expected[prefix])
    assert scan(registration) == "cancelled"


@pytest.mark.parametrize(
    ("prefix", "text"),
    [("", "No valid letter has this reference."), ("/ru", "Нет действующего письма с этим номером.")],
)
def test_an_unknown_reference_is_a_404_on_the_sites_own_page(client, prefix, text):
    response = client.get(f"{prefix}/verify/Zm9vYmFyYmF6cXV4cXV1eA/")
    html = response.content.decode()
    assert response.status_code == 404 and text in html and "<header" in html


def test_organisers_see_when_a_letter_was_withdrawn(holder):
    registration, letter, _waiting, client = holder
    client.post(f"/my/registrations/{registration.pk}/cancel/")
    organiser = make_user()
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    admin = Client()
    admin.force_login(organiser)
    html = admin.get("/admin/visa-letters/", {"conference": "vilnius-2017", "status": "withdrawn"}).content.decode()
    letter.refresh_from_db()
    row = html[html.index(f'id="visa-request-{letter.pk}"') :].split("</tr>")[0]
    assert "Withdrawn" in row and "the registration is cancelled" in row
    assert str(letter.decided_at.year) in row
