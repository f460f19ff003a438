"""The visitor's one-flow registration (CONTRACT.md "Registration"): form with email → code or link → registered."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from conference.email_proof import MAX_FAILED_ATTEMPTS
from conference.settings.base import ACCOUNT_RATE_LIMITS as PRODUCTION_RATE_LIMITS
from registration.models import PendingRegistration, Registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """client.post that runs the after-commit callbacks (the emails) as a real commit would."""

    def post(path, data=None, *, using=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(path, data or {}, **kwargs)

    return post


URL = "/vilnius-2017/register/"
EMAIL = "new.visitor@example.org"


def visitor_post(chosen_type, /, **overrides):
    data = {
        "email": EMAIL,
        "full_name": "Nina Visitor",
        "badge_name": "Nina",
        "organisation": "Street Org",
        "country": "GE",
        "registration_type": chosen_type.slug,
        "consent_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def code_from(message):
    return re.search(r"\b(\d{6})\b", message.subject).group(1)


def link_from(message):
    return re.search(r"https?://\S+/register/confirm/[\w-]+/", message.body).group(0)


def test_visitor_gets_the_form_with_an_email_field(client, conference):
    html = client.get(URL).content.decode()
    assert 'name="email"' in html and 'name="full_name"' in html and 'name="needs_visa_letter"' in html
    assert '<label for="id_email"' in html


def test_visitor_post_takes_no_seat_and_emails_a_code(client, post, conference):
    workshop = make_type(conference, capacity=1)
    response = post(URL, visitor_post(workshop))
    assert (response.status_code, response["Location"]) == (302, "/register/confirm/")
    assert not Registration.objects.filter(registration_type=workshop).exists()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    pending = PendingRegistration.objects.get(email=EMAIL)
    assert code_from(mail.outbox[0]) not in pending.code_hash


def test_code_confirms_creates_verified_account_signs_in_and_registers(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post(URL, visitor_post(workshop))
    response = post("/register/confirm/", {"code": code_from(mail.outbox[0])})
    assert (response.status_code, response["Location"]) == (302, "/my/")
    user = get_user_model().objects.get(email=EMAIL)
    assert EmailAddress.objects.get(user=user).verified
    registration = Registration.objects.get(user=user)
    assert (registration.status, registration.badge_name, registration.country) == ("confirmed", "Nina", "GE")
    assert client.get("/my/").status_code == 200
    assert not PendingRegistration.objects.exists()


def test_link_confirms_in_another_browser(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post(URL, visitor_post(workshop))
    other = Client()
    path = link_from(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert other.get("/" + path).status_code == 200
    assert not Registration.objects.filter(
        user__email=EMAIL
    ).exists()  # opening the link alone (a mail scanner) does nothing
    response = post("/" + path, using=other)
    assert response["Location"] == "/my/"
    assert Registration.objects.get(user__email=EMAIL).status == "confirmed"
    assert post("/" + path, using=other).status_code == 404  # used up


def test_seats_gone_before_confirmation_means_waitlisted_and_told(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post(URL, visitor_post(workshop))
    register(make_user(), conference, workshop)
    response = post("/register/confirm/", {"code": code_from(mail.outbox[0])}, follow=True)
    assert Registration.objects.get(user__email=EMAIL).status == "waitlisted"
    assert "you are on the waiting list" in response.content.decode()


def test_wrong_code_is_refused_with_a_message_and_attempts_are_limited(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post(URL, visitor_post(workshop))
    right = code_from(mail.outbox[0])
    wrong = "000000" if right != "000000" else "111111"
    response = post("/register/confirm/", {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    for _attempt in range(MAX_FAILED_ATTEMPTS - 1):
        response = post("/register/confirm/", {"code": wrong})
    assert "Too many wrong codes" in response.content.decode()
    post("/register/confirm/", {"code": right})
    assert not Registration.objects.filter(user__email=EMAIL).exists()


def test_expired_code_is_refused(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post(URL, visitor_post(workshop))
    PendingRegistration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post("/register/confirm/", {"code": code_from(mail.outbox[0])})
    assert "This code has expired" in response.content.decode()
    assert not Registration.objects.filter(user__email=EMAIL).exists()


def test_existing_account_gets_the_same_screens_and_is_signed_in_by_the_code(client, post, conference):
    workshop = make_type(conference, capacity=2)
    owner = make_user(EMAIL)
    response = post(URL, visitor_post(workshop))
    assert (response.status_code, response["Location"]) == (302, "/register/confirm/")
    post("/register/confirm/", {"code": code_from(mail.outbox[-1])})
    assert Registration.objects.get(registration_type=workshop).user == owner
    assert get_user_model().objects.filter(email=EMAIL).count() == 1


def test_existing_registration_is_shown_not_duplicated(client, post, conference):
    workshop = make_type(conference, capacity=2)
    owner = make_user(EMAIL)
    first = register(owner, conference, workshop)
    post(URL, visitor_post(workshop))
    response = post("/register/confirm/", {"code": code_from(mail.outbox[-1])})
    assert "You already have a registration" in response.content.decode()
    assert list(Registration.objects.filter(user=owner)) == [first]


def test_invalid_visitor_form_is_a_400_without_email(client, post, conference):
    workshop = make_type(conference, capacity=1)
    response = post(URL, visitor_post(workshop, email="not-an-address"))
    assert response.status_code == 400
    assert not mail.outbox


def test_russian_visitor_gets_russian_code_email(client, post, conference):
    workshop = make_type(conference, capacity=1)
    post("/ru" + URL, visitor_post(workshop))
    assert "Ваш код" in mail.outbox[0].body
    post("/ru/register/confirm/", {"code": code_from(mail.outbox[0])})
    assert Registration.objects.get(user__email=EMAIL).language == "ru"


def test_codes_to_one_address_are_rate_limited(client, post, conference, settings):
    settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS  # the test settings switch the limits off
    workshop = make_type(conference, capacity=5)
    statuses = [post(URL, visitor_post(workshop)).status_code for _attempt in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
