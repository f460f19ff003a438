"""Visa invitation letters (CONTRACT.md): request on the form, approve in the admin, download, verify, purge."""

import io
import json
import re
import subprocess
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from conference.permissions import DOOR_STAFF, ORGANISERS
from conference.worker import drain
from registration import services
from registration.models import Registration, VisaLetterRequest, VisaLetterSettings

from .registration_factories import make_type, make_user

pytestmark = pytest.mark.django_db

URL = "/vilnius-2017/register/"
ADMIN = "/admin/visa-letters/"
PASSPORT = {
    "needs_visa_letter": "on",
    "passport_name": "IVANOVA OLGA",
    "passport_number": "AB1234567",
    "nationality": "UA",
    "date_of_birth": "1985-03-21",
}


def form(chosen_type, **overrides):
    data = {
        "full_name": "Olga Ivanova",
        "badge_name": "Olga",
        "registration_type": chosen_type.slug,
        "consent_privacy": "on",
        **PASSPORT,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def attendee():
    return make_user("olga@example.org")


@pytest.fixture
def attendee_client(attendee):
    client = Client()
    client.force_login(attendee)
    return client


@pytest.fixture
def organiser_client():
    user = make_user("organiser@example.org")
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def requested(attendee_client, attendee, conference):
    attendee_client.post(URL, form(make_type(conference, capacity=5)))
    return VisaLetterRequest.objects.get(registration__user=attendee)


def approve(organiser_client, visa_request, capture):
    with capture(execute=True):
        response = organiser_client.post(
            ADMIN, {"action": "approve", "request": visa_request.pk, "conference": "vilnius-2017"}
        )
    assert response.status_code == 302
    drain()  # the decision's email goes through the mail queue
    visa_request.refresh_from_db()
    return visa_request


def pdf_text(content, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_passport_fields_are_required_only_when_the_box_is_ticked(attendee_client, conference):
    chosen = make_type(conference, capacity=5)
    response = attendee_client.post(URL, form(chosen, passport_number="", date_of_birth=""))
    assert response.status_code == 400
    assert response.content.decode().count("We need this for your visa invitation letter.") == 2
    response = attendee_client.post(URL, form(chosen, needs_visa_letter=None, passport_number=""))
    assert response.status_code == 302
    assert not VisaLetterRequest.objects.exists()


def test_request_stores_passport_details_and_my_shows_it_pending(requested, attendee_client):
    assert (requested.status, requested.passport_name, requested.nationality, requested.date_of_birth) == (
        "requested",
        "IVANOVA OLGA",
        "UA",
        date(1985, 3, 21),
    )
    html = attendee_client.get("/my/").content.decode()
    assert "Requested: the organisers check your request" in html and "visa-letter.pdf" not in html
    assert attendee_client.get(f"/my/registrations/{requested.registration_id}/visa-letter.pdf").status_code == 404


def test_approve_download_and_verify(
    requested, attendee_client, organiser_client, conference, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    VisaLetterSettings.objects.create(
        conference=conference,
        signatory_name="Daiva Example",
        signatory_title="Conference director",
        letter_text="We invite the holder to {conference}.",
        letter_text_ru="Приглашаем держателя паспорта на конференцию.",
    )
    approved = approve(organiser_client, requested, django_capture_on_commit_callbacks)
    assert approved.status == "approved"
    assert "Your visa invitation letter" in mailoutbox[-1].subject
    html = attendee_client.get("/my/").content.decode()
    link = re.search(r'href="([^"]*visa-letter[^"]*\.pdf)"', html).group(1)
    response = attendee_client.get(link)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in ["IVANOVA OLGA", "AB1234567", "Ukraine", "21 March 1985", approved.reference, "Daiva Example"]:
        assert expected in text
    assert "Приглашаем держателя" in text
    assert f"/verify/{approved.reference}/" in text
    assert len(approved.reference) >= 22  # token_urlsafe(16): 128 bits

    verify = Client().get(f"/verify/{approved.reference}/")
    assert verify.status_code == 200
    page = verify.content.decode()
    assert "IVANOVA OLGA" in page and "Valid" in page and conference.title in page
    assert "AB1234567" not in page and "1985" not in page


def test_random_reference_and_unapproved_request_are_404(requested):
    assert Client().get("/verify/Zm9vYmFyYmF6cXV4cXV1eA/").status_code == 404
    assert Client().get(f"/verify/{requested.reference}/").status_code == 404  # not issued yet


def test_withdrawn_letter_says_so(requested, organiser_client, django_capture_on_commit_callbacks):
    approve(organiser_client, requested, django_capture_on_commit_callbacks)
    organiser_client.post(ADMIN, {"action": "withdraw", "request": requested.pk, "conference": "vilnius-2017"})
    assert "Withdrawn" in Client().get(f"/verify/{requested.reference}/").content.decode()


def test_bulk_approve_and_refuse_with_reason(
    conference, organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    chosen = make_type(conference, capacity=5)
    requests = []
    for number in range(3):
        user = make_user(f"visa{number}@example.org")
        registration = services.register(
            user=user, conference=conference, registration_type=chosen, details={"full_name": "A", "badge_name": "A"}
        )
        requests.append(
            VisaLetterRequest.objects.create(
                registration=registration, passport_name=f"P{number}", passport_number="X", nationality="KZ"
            )
        )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            ADMIN,
            {"action": "approve_selected", "selected": [requests[0].pk, requests[1].pk], "conference": conference.slug},
        )
        missing_reason = organiser_client.post(ADMIN, {"action": "refuse", "request": requests[2].pk, "reason": ""})
        organiser_client.post(ADMIN, {"action": "refuse", "request": requests[2].pk, "reason": "Not a participant."})
    assert missing_reason.status_code == 400
    drain()
    assert [VisaLetterRequest.objects.get(pk=r.pk).status for r in requests] == ["approved", "approved", "refused"]
    assert "Not a participant." in mailoutbox[-1].body
    assert organiser_client.post(ADMIN, {"action": "approve", "request": "x"}).status_code == 400


def test_door_staff_and_other_attendees_cannot_see_passport_details(requested, organiser_client, conference):
    VisaLetterRequest.objects.filter(pk=requested.pk).update(status="approved")
    door = make_user("door@example.org")
    door.groups.add(Group.objects.get(name=DOOR_STAFF))
    door_client = Client()
    door_client.force_login(door)
    assert door_client.get(ADMIN).status_code in (302, 403)
    assert door_client.get(f"/my/registrations/{requested.registration_id}/visa-letter.pdf").status_code == 404
    other = Client()
    other.force_login(make_user())
    assert other.get(f"/my/registrations/{requested.registration_id}/visa-letter.pdf").status_code == 404
    assert "IVANOVA OLGA" in organiser_client.get(ADMIN).content.decode()


def test_data_export_holds_and_purge_removes_passport_details(requested, attendee_client, conference):
    data = json.loads(attendee_client.get("/my/data.json").content)
    assert data["visa_letters"][0]["passport_number"] == "AB1234567"
    type(conference).objects.filter(pk=conference.pk).update(personal_data_retention_days=0)
    call_command("purge_personal_data", stdout=io.StringIO())
    requested.refresh_from_db()
    assert (requested.passport_name, requested.passport_number, requested.nationality, requested.date_of_birth) == (
        "",
        "",
        "",
        None,
    )
    assert Registration.objects.get(pk=requested.registration_id).anonymised_at is not None
    assert Client().get(f"/verify/{requested.reference}/").status_code == 404


def test_letter_can_be_requested_later_on_the_edit_page_until_issued(attendee_client, attendee, conference):
    attendee_client.post(URL, form(make_type(conference, capacity=5), needs_visa_letter=None))
    registration = Registration.objects.get(user=attendee)
    edit = f"/my/registrations/{registration.pk}/edit/"
    assert 'name="needs_visa_letter"' in attendee_client.get(edit).content.decode()
    response = attendee_client.post(edit, {"full_name": "Olga Ivanova", "badge_name": "Olga", **PASSPORT})
    assert response.status_code == 302
    letter = VisaLetterRequest.objects.get(registration=registration)
    assert (letter.status, letter.passport_number) == ("requested", "AB1234567")
    VisaLetterRequest.objects.filter(pk=letter.pk).update(status="approved")
    assert 'name="needs_visa_letter"' not in attendee_client.get(edit).content.decode()
    attendee_client.post(edit, {"full_name": "Olga Ivanova", "badge_name": "Olga", **PASSPORT, "passport_number": "Z9"})
    letter.refresh_from_db()
    assert letter.passport_number == "AB1234567"
