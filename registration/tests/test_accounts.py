"""Accounts (django-allauth): pages in the site's layout, sign-up → verification → back at the form,
password reset, and allauth's rate limits."""

import re

import pytest
from django.test import override_settings

from conference.worker import drain

from .registration_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEXT = "/vilnius-2017/register/"


def test_signup_page_uses_the_site_layout_with_labels(client):
    html = client.get(f"/accounts/signup/?next={NEXT}").content.decode()
    assert '<header class="site-header">' in html
    for field_id in ["id_email", "id_password1", "id_password2"]:
        assert f'<label for="{field_id}">' in html
    assert f'<input type="hidden" name="next" value="{NEXT}">' in html


def test_signup_errors_are_tied_to_their_field(client):
    response = client.post("/accounts/signup/", {"email": "not-an-email", "password1": "x", "password2": "y"})
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_signup_verify_and_come_back_to_the_form(client, conference, mailoutbox, deliver_mail):
    with deliver_mail():
        response = client.post(
            "/accounts/signup/",
            {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD, "next": NEXT},
        )
    assert response["Location"] == "/accounts/confirm-email/"
    assert 'name="email"' in client.get(NEXT).content.decode()  # not signed in yet: the visitor form
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mailoutbox[-1].body).group(1)
    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response["Location"] == NEXT
    assert 'name="full_name"' in client.get(NEXT).content.decode()


def test_sign_in_returns_to_the_form(client, conference):
    user = make_user()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD, "next": NEXT})
    assert response["Location"] == NEXT


def test_password_reset_sends_an_email(client, mailoutbox):
    user = make_user()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert mailoutbox == []  # queued, not sent inside the request
    drain()
    assert mailoutbox[-1].to == [user.email]
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_failed_logins_are_rate_limited(client):
    user = make_user()
    pages = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).content.decode() for _ in range(4)
    ]
    limited = ["Too many failed login attempts" in page for page in pages]
    assert limited == [False, False, False, True]
    # Even the right password is refused while the limit holds.
    page = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).content.decode()
    assert "Too many failed login attempts" in page
