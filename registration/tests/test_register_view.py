"""The registration form at /vilnius-2017/register/ (docs/contract.md, "Registration")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from registration.models import Registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

URL = "/vilnius-2017/register/"


def valid_post(chosen_type, /, **overrides):
    data = {
        "full_name": "Test Person",
        "badge_name": "Testy",
        "organisation": "Example Org",
        "country": "LT",
        "registration_type": chosen_type.slug,
        "consent_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def attendee(client):
    user = make_user()
    client.force_login(user)
    return user


def test_anonymous_gets_the_form_with_email_and_a_sign_in_link(client, conference):
    html = client.get(URL).content.decode()
    assert 'name="email"' in html
    assert 'href="/accounts/login/?next=/vilnius-2017/register/"' in html


def test_anonymous_russian_gets_the_russian_form(client, conference):
    html = client.get("/ru" + URL).content.decode()
    assert 'name="email"' in html and 'href="/ru/accounts/login/?next=/ru/vilnius-2017/register/"' in html


def test_login_page_links_to_signup_with_next(client, conference):
    response = client.get("/accounts/login/?next=/vilnius-2017/register/")
    assert 'href="/accounts/signup/?next=%2Fvilnius-2017%2Fregister%2F"' in response.content.decode()


def test_unverified_email_gets_verification_page_not_form(client, conference, deliver_mail):
    client.force_login(make_user(verified=False))
    with deliver_mail():
        response = client.get(URL)
    assert response.status_code == 200
    assert 'name="full_name"' not in response.content.decode()
    assert len(mail.outbox) == 1


def test_form_has_contract_field_names_and_labels(client, conference, attendee):
    html = client.get(URL).content.decode()
    for name in ["full_name", "badge_name", "organisation", "country", "registration_type", "consent_privacy"]:
        assert f'name="{name}"' in html
    for field_id in ["id_full_name", "id_badge_name", "id_organisation", "id_country", "id_consent_privacy"]:
        assert f'<label for="{field_id}"' in html
    assert 'value="community-skills-workshop"' in html


def type_note(html, registration_type):
    """The seats note under one type's radio button."""
    about = html[html.index(f'id="type-{registration_type.slug}-about"') :]
    return about[about.index('<p class="meta">') : about.index("</p>", about.index('<p class="meta">'))]


def test_form_shows_seats_left_per_type_and_full_types(client, conference, attendee):
    open_type, full_type = make_type(conference, capacity=7), make_type(conference, capacity=1)
    for registration_type in (open_type, open_type, full_type):
        register(make_user(), conference, registration_type)
    html = client.get(URL).content.decode()
    assert "5 seats left." in type_note(html, open_type)
    assert "Full: you will join the waiting list" in type_note(html, full_type)


def test_valid_post_registers_and_redirects_to_my(client, conference, attendee):
    workshop = make_type(conference, capacity=3)
    response = client.post(URL, valid_post(workshop))
    registration = Registration.objects.get(user=attendee)
    assert (response.status_code, response["Location"]) == (302, "/my/")
    assert (registration.registration_type_id, registration.status, registration.country) == (
        workshop.pk,
        "confirmed",
        "LT",
    )


def test_second_submit_shows_the_existing_registration(client, conference, attendee):
    workshop = make_type(conference, capacity=3)
    client.post(URL, valid_post(workshop))
    response = client.post(URL, valid_post(workshop, badge_name="Again"))
    assert response.status_code == 200
    assert "You are registered for" in response.content.decode()
    assert Registration.objects.filter(user=attendee).count() == 1


def test_get_after_registering_shows_the_existing_registration(client, conference, attendee):
    client.post(URL, valid_post(make_type(conference)))
    assert "You already have a registration" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("full_name", "", "This field is required."),
        ("full_name", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("badge_name", "x" * 61, "Ensure this value has at most 60 characters (it has 61)."),
        ("organisation", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("country", "XX", "Select a valid choice. XX is not one of the available choices."),
        ("registration_type", "no-such-type", "Choose one of the registration types listed."),
        ("consent_privacy", None, "We can only register you with your agreement to the privacy notice."),
        ("dietary_needs", "x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
        ("badge_name", "bad\x00name", "Null characters are not allowed."),
    ],
)
def test_bad_field_gets_a_message_and_saves_nothing(client, conference, attendee, field, value, message):
    response = client.post(URL, valid_post(make_type(conference), **{field: value}))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not Registration.objects.filter(user=attendee).exists()


def test_ten_megabyte_field_is_refused(client, conference, attendee):
    response = client.post(URL, valid_post(make_type(conference), full_name="x" * 10_000_000))
    assert response.status_code == 400
    assert not Registration.objects.filter(user=attendee).exists()


def test_closed_type_is_neither_offered_nor_accepted(client, conference, attendee):
    closed = make_type(conference, closes_at=timezone.now() - timedelta(seconds=1))
    assert f'value="{closed.slug}"' not in client.get(URL).content.decode()
    response = client.post(URL, valid_post(closed))
    assert response.status_code == 400
    assert not Registration.objects.filter(user=attendee).exists()


def test_russian_form_registers_on_the_canonical_conference_in_russian(client, conference, attendee):
    response = client.post("/ru" + URL, valid_post(make_type(conference)))
    registration = Registration.objects.get(user=attendee)
    assert response["Location"] == "/ru/my/"
    assert (registration.conference_id, registration.language) == (conference.pk, "ru")


def test_email_on_form_is_the_accounts(client, conference, attendee):
    assert attendee.email in client.get(URL).content.decode()


def test_consent_links_the_privacy_notice(client, conference, attendee):
    assert 'href="/vilnius-2017/privacy/">Read the privacy notice</a>' in client.get(URL).content.decode()
