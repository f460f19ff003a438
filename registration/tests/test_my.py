"""/my/: the attendee's own registrations, editing, cancelling, the data download and account deletion."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from registration import personal_data, services
from registration.models import CheckIn, Registration
from registration.personal_data import delete_account, export_personal_data, register_section

from .registration_factories import PASSWORD, make_type, make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(conference):
    return register(make_user(), conference, make_type(conference, capacity=5), dietary_needs="no nuts")


@pytest.fixture
def own_client(client, registration):
    client.force_login(registration.user)
    return client


def test_my_needs_sign_in(client):
    response = client.get("/my/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/my/")


def test_my_lists_own_registration_with_status_and_actions(own_client, registration):
    html = own_client.get("/my/").content.decode()
    assert 'class="status status--confirmed"' in html
    assert f'href="/my/registrations/{registration.pk}/edit/"' in html
    assert f'href="/my/registrations/{registration.pk}/cancel/"' in html
    assert 'href="/my/data.json"' in html


def test_my_shows_the_waiting_list_place(client, conference):
    workshop = make_type(conference, capacity=0)
    register(make_user(), conference, workshop)
    second = register(make_user(), conference, workshop)
    client.force_login(second.user)
    assert "number 2 on the waiting list" in client.get("/my/").content.decode()


def test_my_never_shows_anothers_registration(client, registration):
    client.force_login(make_user())
    assert registration.badge_name not in client.get("/my/").content.decode()


@pytest.mark.parametrize("action", ["edit", "cancel"])
def test_guessing_anothers_registration_id_is_404(client, registration, action):
    client.force_login(make_user())
    url = f"/my/registrations/{registration.pk}/{action}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "Hijack", "badge_name": "Hijack"}).status_code == 404
    registration.refresh_from_db()
    assert (registration.status, registration.full_name) == ("confirmed", "Test Person")


def test_edit_saves_details_and_keeps_status(own_client, registration):
    response = own_client.post(
        f"/my/registrations/{registration.pk}/edit/",
        {"full_name": "New Name", "badge_name": "Newbie", "country": "UA", "interpretation_language": "ru"},
    )
    registration.refresh_from_db()
    assert response["Location"] == "/my/"
    assert (registration.full_name, registration.country, registration.interpretation_language) == (
        "New Name",
        "UA",
        "ru",
    )
    assert registration.status == "confirmed"


def test_edit_with_bad_input_saves_nothing(own_client, registration):
    response = own_client.post(f"/my/registrations/{registration.pk}/edit/", {"full_name": "", "badge_name": "x" * 61})
    registration.refresh_from_db()
    assert response.status_code == 400
    assert registration.badge_name == "Testy"


def test_edit_after_registration_closed_is_refused(own_client, registration, conference):
    conference.registration_closes_at = timezone.now() - timedelta(minutes=1)
    conference.save(update_fields=["registration_closes_at"])
    response = own_client.post(f"/my/registrations/{registration.pk}/edit/", {"full_name": "Late", "badge_name": "L"})
    registration.refresh_from_db()
    assert response["Location"] == "/my/"
    assert registration.full_name == "Test Person"


def test_cancel_asks_for_confirmation_first(own_client, registration):
    response = own_client.get(f"/my/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert "Yes, cancel my registration" in response.content.decode()
    assert registration.status == "confirmed"


def test_cancel_post_cancels(own_client, registration):
    own_client.post(f"/my/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancel_twice_is_harmless(own_client, registration):
    own_client.post(f"/my/registrations/{registration.pk}/cancel/")
    response = own_client.post(f"/my/registrations/{registration.pk}/cancel/")
    assert response["Location"] == "/my/"
    assert registration.status_changes.filter(to_status="cancelled").count() == 1


def test_download_holds_registrations_history_and_checkins(own_client, registration, conference):
    CheckIn.objects.create(
        registration=registration, conference=conference, day=conference.start_date, checked_in_at=timezone.now()
    )
    response = own_client.get("/my/data.json")
    data = json.loads(response.content)
    [exported] = data["registrations"]
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert data["account"]["email"] == registration.user.email
    assert (exported["id"], exported["dietary_needs"], exported["status"]) == (registration.pk, "no nuts", "confirmed")
    assert [(c["from"], c["to"]) for c in exported["status_history"]] == [("", "confirmed")]
    assert [c["day"] for c in exported["check_ins"]] == ["2017-04-04"]


def test_download_includes_registered_sections(registration):
    register_section("test_extra", export=lambda user: {"email_again": user.email})
    try:
        data = export_personal_data(registration.user)
    finally:
        personal_data._sections.pop("test_extra")
    assert data["test_extra"] == {"email_again": registration.user.email}


def test_download_never_holds_another_persons_data(client, registration):
    client.force_login(make_user())
    assert json.loads(client.get("/my/data.json").content)["registrations"] == []


def test_delete_account_needs_the_password(own_client, registration):
    response = own_client.post("/my/delete-account/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=registration.user_id).exists()


def test_delete_account_anonymises_and_signs_out(own_client, registration):
    user_id = registration.user_id
    response = own_client.post("/my/delete-account/", {"password": PASSWORD, "confirm": "on"})
    registration.refresh_from_db()
    assert response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert (registration.user_id, registration.full_name, registration.dietary_needs) == (None, "", "")
    assert registration.anonymised_at is not None
    assert own_client.get("/my/").status_code == 302


def test_delete_account_cancels_upcoming_and_promotes(conference):
    conference.end_date = timezone.now().date() + timedelta(days=30)
    conference.save(update_fields=["end_date"])
    workshop = make_type(conference, capacity=1)
    holder = register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)

    delete_account(user=holder.user)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == ("cancelled", "confirmed")


def test_delete_account_keeps_status_of_past_conference(registration):
    delete_account(user=registration.user)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_cancelled_registration_has_no_edit_link(own_client, registration):
    services.cancel(registration=registration, by=registration.user)
    html = own_client.get("/my/").content.decode()
    assert f"/my/registrations/{registration.pk}/edit/" not in html
    assert 'class="status status--cancelled"' in html
