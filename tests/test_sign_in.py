"""Sign-in (CONTRACT.md): allauth's sign-in for the admin too, verified email for the admin, POST-only sign-out,
and the rate limits of settings/base.py with the real cache: slow for guessers, open for a venue."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test import Client

from conference.permissions import ORGANISERS
from conference.settings import base as base_settings

PASSWORD = "a long organiser pass phrase 7"
VENUE_ADDRESS = "203.0.113.7"

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_rate_limits(settings):
    """The production limits (tests otherwise run without them)."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS


def make_organiser(email="organiser@example.org", *, verified=True):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def is_signed_in(client):
    return client.get("/my/").status_code == 200


def test_admin_login_page_leads_to_allauth(client):
    response = client.get("/admin/login/", {"next": "/admin/pages/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fadmin%2Fpages%2F")


def test_admin_login_form_refuses_passwords(client):
    make_organiser()
    response = client.post("/admin/login/", {"username": "organiser@example.org", "password": PASSWORD})
    assert response.status_code == 405
    assert not is_signed_in(client)


def test_wagtail_front_end_login_leads_to_allauth(client):
    make_organiser()
    assert client.get("/_util/login/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert client.post("/_util/login/", {"username": "organiser@example.org", "password": PASSWORD}).status_code == 405
    assert not is_signed_in(client)


def test_anonymous_admin_visit_is_sent_to_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_wagtail_password_reset_is_off(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_organiser_signs_in_through_allauth_and_reaches_the_admin(client):
    make_organiser()
    assert sign_in(client, "organiser@example.org").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_unverified_account_cannot_sign_in(client):
    make_organiser(verified=False)
    sign_in(client, "organiser@example.org")
    assert not is_signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_unverified_account_with_a_session_cannot_reach_the_admin(client):
    client.force_login(make_organiser(verified=False))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not is_signed_in(client)


@pytest.mark.parametrize("path", ["/admin/logout/", "/accounts/logout/"])
def test_get_does_not_sign_out(client, path):
    make_organiser()
    sign_in(client, "organiser@example.org")
    client.get(path)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/logout/", "/accounts/logout/"])
def test_post_signs_out(client, path):
    make_organiser()
    sign_in(client, "organiser@example.org")
    assert client.post(path).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_password_guessing_is_stopped_per_account(real_rate_limits):
    make_organiser()
    for attempt in range(10):
        # Each guess from another address: the per-account limit holds whatever the attacker's address.
        guesser = Client(REMOTE_ADDR=f"198.51.100.{attempt + 1}")
        assert sign_in(guesser, "organiser@example.org", "wrong guess").status_code == 200
    owner = Client(REMOTE_ADDR="192.0.2.10")
    response = sign_in(owner, "organiser@example.org")
    assert response.status_code == 200  # the form again, with the "too many attempts" error
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(owner)


def test_a_few_typos_do_not_lock_the_owner_out(real_rate_limits):
    make_organiser()
    owner = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(5):
        sign_in(owner, "organiser@example.org", "typo")
    assert sign_in(owner, "organiser@example.org").status_code == 302
    assert is_signed_in(owner)


def test_500_people_sign_in_from_one_venue_address(real_rate_limits):
    password_hash = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"venue{n}@example.org", email=f"venue{n}@example.org", password=password_hash)
        for n in range(500)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    statuses = [sign_in(Client(REMOTE_ADDR=VENUE_ADDRESS), user.email).status_code for user in users]
    assert statuses.count(302) == 500


@pytest.mark.parametrize(("prefix", "my_page"), [("", "/my/"), ("/ru", "/ru/my/")])
def test_password_sign_in_lands_on_my_page_in_the_pages_language(client, prefix, my_page):
    make_organiser("attendee@example.org")
    response = client.post(f"{prefix}/accounts/login/", {"login": "attendee@example.org", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, my_page)


def test_a_russian_private_page_asks_to_sign_in_in_russian(client):
    response = client.get("/ru/my/")
    assert response["Location"] == "/ru/accounts/login/?next=/ru/my/"
