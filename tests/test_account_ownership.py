"""Accounts that only their owner holds (issue 21, finding 1): an address proven by an emailed code or link belongs
to the person who proved it, and a password chosen by someone who never proved the address does not survive."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from conference.email_proof import CODE_LENGTH
from conference.settings.base import ACCOUNT_RATE_LIMITS as PRODUCTION_RATE_LIMITS
from registration.models import PendingRegistration, Registration
from registration.tests.registration_factories import make_type

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

VICTIM = "olga.victim@example.org"
STRANGERS_PASSWORD = "the strangers own pass phrase 41"
OWN_PASSWORD = "a pass phrase of my own 12"
REGISTER = "/vilnius-2017/register/"


@pytest.fixture
def outbox(mailoutbox, deliver_mail):
    """The emails a block queues, delivered by a real worker run as soon as the request's transaction commits."""

    class Outbox:
        def last_to(self, address):
            return next(message for message in reversed(mailoutbox) if message.to == [address])

    return Outbox()


def post(client, path, data, deliver_mail, django_capture_on_commit_callbacks):
    with deliver_mail(), django_capture_on_commit_callbacks(execute=True):
        return client.post(path, data)


@pytest.fixture
def send(deliver_mail, django_capture_on_commit_callbacks):
    def send(client, path, data=None):
        return post(client, path, data or {}, deliver_mail, django_capture_on_commit_callbacks)

    return send


def code_in(message):
    return re.search(rf"\b(\d{{{CODE_LENGTH}}})\b", message.subject).group(1)


def signs_in_with(password, email=VICTIM):
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": password})
    return client.get("/my/").status_code == 200


def stranger_signs_up(send, email=VICTIM, password=STRANGERS_PASSWORD):
    stranger = Client()
    response = send(stranger, "/accounts/signup/", {"email": email, "password1": password, "password2": password})
    assert response["Location"] == "/accounts/confirm-email/"
    assert EmailAddress.objects.get(email=email).verified is False
    return stranger


def visitor_form(registration_type, email=VICTIM, **extra):
    return {
        "email": email,
        "full_name": "Olga Victim",
        "badge_name": "Olga",
        "organisation": "Street Org",
        "country": "UA",
        "registration_type": registration_type.slug,
        "consent_privacy": "on",
        **extra,
    }


def visitor_registers(send, outbox, conference, client):
    workshop = make_type(conference, capacity=5)
    assert send(client, REGISTER, visitor_form(workshop))["Location"] == "/register/confirm/"
    send(client, "/register/confirm/", {"code": code_in(outbox.last_to(VICTIM))})
    return Registration.objects.get(registration_type=workshop)


def test_signup_then_one_flow_leaves_the_stranger_without_the_account(conference, send, outbox):
    stranger_signs_up(send)
    victim = Client()
    registration = visitor_registers(send, outbox, conference, victim)
    assert victim.get("/my/").status_code == 200
    assert registration.user.email == VICTIM
    assert get_user_model().objects.filter(email__iexact=VICTIM).count() == 1
    assert not signs_in_with(STRANGERS_PASSWORD)
    assert EmailAddress.objects.get(email=VICTIM).verified is True


def test_signup_then_code_sign_in_leaves_the_stranger_without_the_account(send, outbox):
    stranger_signs_up(send)
    victim = Client()
    assert send(victim, "/accounts/code/", {"email": VICTIM})["Location"] == "/accounts/code/confirm/"
    response = send(victim, "/accounts/code/confirm/", {"code": code_in(outbox.last_to(VICTIM))})
    assert response["Location"] == "/my/"
    assert victim.get("/my/").status_code == 200
    assert not signs_in_with(STRANGERS_PASSWORD)


def test_sign_up_link_opened_in_another_browser_drops_the_strangers_password(send, mailoutbox):
    stranger_signs_up(send)
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mailoutbox[-1].body).group(1)
    victim = Client()
    response = send(victim, f"/accounts/confirm-email/{key}/")
    assert "no longer works" in victim.get(response["Location"]).content.decode()
    assert EmailAddress.objects.get(email=VICTIM).verified is True
    assert not signs_in_with(STRANGERS_PASSWORD)


def test_sign_up_confirmed_in_its_own_session_keeps_the_password(send, mailoutbox):
    person = stranger_signs_up(send, password=OWN_PASSWORD)
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mailoutbox[-1].body).group(1)
    send(person, f"/accounts/confirm-email/{key}/")
    assert person.get("/my/").status_code == 200
    assert signs_in_with(OWN_PASSWORD)


def test_one_flow_in_the_session_that_signed_up_keeps_the_password(conference, send, outbox):
    person = stranger_signs_up(send, password=OWN_PASSWORD)
    visitor_registers(send, outbox, conference, person)
    assert signs_in_with(OWN_PASSWORD)


def test_staff_made_account_keeps_its_password_after_confirming_its_address(send, mailoutbox):
    staff = get_user_model().objects.create_user(username="door", email="door@example.org", password=OWN_PASSWORD)
    client = Client()
    send(client, "/accounts/login/", {"login": staff.email, "password": OWN_PASSWORD})
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mailoutbox[-1].body).group(1)
    send(client, f"/accounts/confirm-email/{key}/")
    assert EmailAddress.objects.get(email=staff.email).verified is True
    assert signs_in_with(OWN_PASSWORD, email=staff.email)


def test_unproven_second_address_of_another_account_goes_to_its_prover(send, outbox):
    holder = get_user_model().objects.create_user(username="holder", email="holder@example.org", password=OWN_PASSWORD)
    EmailAddress.objects.create(user=holder, email="holder@example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=holder, email=VICTIM, verified=False, primary=False)
    victim = Client()
    send(victim, "/accounts/code/", {"email": VICTIM})
    send(victim, "/accounts/code/confirm/", {"code": code_in(outbox.last_to(VICTIM))})
    owner = EmailAddress.objects.get(email=VICTIM).user
    assert owner != holder and owner.email == VICTIM
    assert signs_in_with(OWN_PASSWORD, email="holder@example.org")


def test_allauths_own_sign_in_by_code_is_off(client):
    assert client.get("/accounts/login/code/").status_code == 404
    assert "/accounts/code/" in client.get("/accounts/login/").content.decode()


def test_sign_in_by_code_from_a_russian_page_lands_on_russian_my_page(send, outbox):
    visitor = Client()
    assert send(visitor, "/ru/accounts/code/", {"email": VICTIM})["Location"] == "/ru/accounts/code/confirm/"
    message = outbox.last_to(VICTIM)
    assert "Ваш код для входа" in message.subject
    assert "/ru/accounts/code/" in message.body
    response = send(visitor, "/ru/accounts/code/confirm/", {"code": code_in(message)})
    assert response["Location"] == "/ru/my/"


def test_sign_in_link_signs_in_with_a_post_and_not_with_a_get(send, outbox):
    visitor = Client()
    send(visitor, "/accounts/code/", {"email": VICTIM})
    link = re.search(r"https?://\S+(/accounts/code/[\w-]+/)", outbox.last_to(VICTIM).body).group(1)
    assert visitor.get(link).status_code == 200
    assert visitor.get("/my/").status_code == 302  # the GET signed nobody in
    assert send(visitor, link)["Location"] == "/my/"
    assert visitor.get("/my/").status_code == 200


def test_sign_in_by_code_keeps_a_safe_next_and_drops_an_outside_one(send, outbox):
    visitor = Client()
    send(visitor, "/accounts/code/", {"email": VICTIM, "next": REGISTER})
    assert send(visitor, "/accounts/code/confirm/", {"code": code_in(outbox.last_to(VICTIM))})["Location"] == REGISTER
    other = Client()
    send(other, "/accounts/code/", {"email": "someone@example.org", "next": "https://evil.example/"})
    response = send(other, "/accounts/code/confirm/", {"code": code_in(outbox.last_to("someone@example.org"))})
    assert response["Location"] == "/my/"


class TestLimitsCannotBeTurnedAgainstAPerson:
    """Finding 4: a stranger's forms for somebody's address must not lock that person's own form."""

    @pytest.fixture(autouse=True)
    def _production_limits(self, settings):
        settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS

    def test_strangers_forms_for_an_address_do_not_lock_its_owner(self, conference, send):
        workshop = make_type(conference, capacity=5)
        stranger = Client(REMOTE_ADDR="198.51.100.66")
        statuses = [send(stranger, REGISTER, visitor_form(workshop)).status_code for _attempt in range(5)]
        assert statuses == [302, 302, 302, 429, 429]  # the stranger is slowed down ...
        owner = Client(REMOTE_ADDR="203.0.113.10")
        assert send(owner, REGISTER, visitor_form(workshop)).status_code == 302  # ... the owner is not

    def test_wrong_codes_for_an_address_leave_the_link_working(self, conference, send, outbox, settings):
        settings.ACCOUNT_RATE_LIMITS = {**PRODUCTION_RATE_LIMITS, "email_code_wrong": "4/d/key"}
        workshop = make_type(conference, capacity=5)
        stranger = Client(REMOTE_ADDR="198.51.100.66")
        send(stranger, REGISTER, visitor_form(workshop))
        for guess in ["000000", "000001", "000002", "000003"]:
            send(stranger, "/register/confirm/", {"code": guess})
        owner = Client(REMOTE_ADDR="203.0.113.10")
        send(owner, REGISTER, visitor_form(workshop))
        message = outbox.last_to(VICTIM)
        response = send(owner, "/register/confirm/", {"code": code_in(message)})
        assert "Open the link in the latest email" in response.content.decode()
        assert not Registration.objects.filter(registration_type=workshop).exists()
        link = re.search(r"https?://\S+(/register/confirm/[\w-]+/)", message.body).group(1)
        assert send(owner, link)["Location"] == "/my/"
        assert Registration.objects.filter(registration_type=workshop, user__email=VICTIM).exists()


def test_a_new_code_replaces_the_old_one(conference, send, outbox, client):
    workshop = make_type(conference, capacity=5)
    send(client, REGISTER, visitor_form(workshop))
    first = code_in(outbox.last_to(VICTIM))
    page = client.get("/register/confirm/").content.decode()
    assert VICTIM in page and 'value="resend"' in page and 'value="change_address"' in page
    send(client, "/register/confirm/", {"action": "resend"})
    second = code_in(outbox.last_to(VICTIM))
    if first != second:  # one chance in a million that the new code is the old one
        assert "not right" in send(client, "/register/confirm/", {"code": first}).content.decode()
    assert send(client, "/register/confirm/", {"code": second})["Location"] == "/my/"


def test_use_another_address_goes_back_to_the_filled_in_form(conference, send, outbox, client):
    workshop = make_type(conference, capacity=5)
    send(client, REGISTER, visitor_form(workshop, email="typo@exmaple.org", unknown_junk_field="x" * 1000))
    assert "unknown_junk_field" not in PendingRegistration.objects.get().form_data  # only the form's own fields
    response = send(client, "/register/confirm/", {"action": "change_address"})
    assert not PendingRegistration.objects.exists()
    assert response["Location"] == REGISTER
    html = client.get(REGISTER).content.decode()
    assert 'value="Olga Victim"' in html and 'value="Street Org"' in html
    assert "typo@exmaple.org" not in html
    assert client.get("/register/confirm/").content.decode().count("typo@exmaple.org") == 0
