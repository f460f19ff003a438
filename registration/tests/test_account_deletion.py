"""Deleting an account that has no password (/my/delete-account/): confirmed with an emailed code, the same code
machinery and limits as signing in by code; an account with a password still confirms with it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from conference.email_proof import MAX_FAILED_ATTEMPTS
from registration.models import PendingAccountDeletion, Registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(django_capture_on_commit_callbacks, deliver_mail):
    """client.post that commits as a real request would and delivers the queued emails."""

    def post(client, path, data=None):
        with deliver_mail(), django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


def passwordless_registration(conference):
    """An attendee as the one-flow form leaves them: an account with no usable password, a registration."""
    user = make_user()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return register(user, conference, make_type(conference, capacity=5), dietary_needs="no nuts")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def code_in(message):
    return re.search(r"\b(\d{6})\b", message.subject).group(1)


def ask_for_code(post, client, prefix=""):
    response = post(client, f"{prefix}/my/delete-account/", {"confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, f"{prefix}/my/delete-account/code/")
    return mail.outbox[-1]


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_passwordless_account_is_asked_for_no_password(conference):
    registration = passwordless_registration(conference)
    html = signed_in(registration.user).get("/my/delete-account/").content.decode()
    assert 'name="password"' not in html
    assert 'name="confirm"' in html
    assert registration.user.email in html


def test_code_deletes_the_account_and_its_data(conference, post):
    registration = passwordless_registration(conference)
    user_id, client = registration.user_id, signed_in(registration.user)
    message = ask_for_code(post, client)
    assert message.to == [registration.user.email]
    assert get_user_model().objects.filter(pk=user_id).exists()  # asking deletes nothing

    response = post(client, "/my/delete-account/code/", {"code": code_in(message)})
    assert (response.status_code, response["Location"]) == (302, "/")
    registration.refresh_from_db()
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert (registration.user_id, registration.full_name, registration.dietary_needs) == (None, "", "")
    assert not PendingAccountDeletion.objects.exists()
    assert client.get("/my/").status_code == 302


def test_the_request_needs_the_understanding_ticked(conference, post):
    registration = passwordless_registration(conference)
    response = post(signed_in(registration.user), "/my/delete-account/", {})
    assert response.status_code == 400
    assert not PendingAccountDeletion.objects.exists()
    assert mail.outbox == []


def test_wrong_codes_lock_the_request(conference, post):
    registration = passwordless_registration(conference)
    client = signed_in(registration.user)
    code = code_in(ask_for_code(post, client))
    statuses = [
        post(client, "/my/delete-account/code/", {"code": wrong(code)}).status_code for _ in range(MAX_FAILED_ATTEMPTS)
    ]
    assert statuses == [400] * MAX_FAILED_ATTEMPTS
    response = post(client, "/my/delete-account/code/", {"code": code})  # the right one, too late
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=registration.user_id).exists()
    assert Registration.objects.get(pk=registration.pk).full_name == "Test Person"


def test_a_code_of_another_account_does_not_delete(conference, post):
    mine, theirs = passwordless_registration(conference), passwordless_registration(conference)
    my_client, their_client = signed_in(mine.user), signed_in(theirs.user)
    ask_for_code(post, my_client)
    their_code = code_in(ask_for_code(post, their_client))
    response = post(my_client, "/my/delete-account/code/", {"code": their_code})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk__in=[mine.user_id, theirs.user_id]).count() == 2


def test_another_accounts_request_is_not_reachable_by_session(conference, post):
    theirs, mine = passwordless_registration(conference), passwordless_registration(conference)
    their_client = signed_in(theirs.user)
    their_code = code_in(ask_for_code(post, their_client))
    their_client.force_login(mine.user)  # the same browser, another account: the session key stays
    response = post(their_client, "/my/delete-account/code/", {"code": their_code})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk__in=[mine.user_id, theirs.user_id]).count() == 2


def test_an_expired_code_is_refused(conference, post):
    registration = passwordless_registration(conference)
    client = signed_in(registration.user)
    code = code_in(ask_for_code(post, client))
    PendingAccountDeletion.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post(client, "/my/delete-account/code/", {"code": code})
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert get_user_model().objects.filter(pk=registration.user_id).exists()
    assert not PendingAccountDeletion.objects.exists()


def test_a_new_code_replaces_the_old_one(conference, post):
    registration = passwordless_registration(conference)
    client = signed_in(registration.user)
    old = code_in(ask_for_code(post, client))
    new = code_in(ask_for_code(post, client))
    if old != new:
        assert post(client, "/my/delete-account/code/", {"code": old}).status_code == 400
    assert post(client, "/my/delete-account/code/", {"code": new})["Location"] == "/"
    assert not get_user_model().objects.filter(pk=registration.user_id).exists()


def test_account_with_a_password_is_still_asked_for_it(conference, post):
    registration = register(make_user(), conference, make_type(conference, capacity=5))
    client = signed_in(registration.user)
    assert 'name="password"' in client.get("/my/delete-account/").content.decode()
    assert post(client, "/my/delete-account/", {"confirm": "on"}).status_code == 400
    assert mail.outbox == []
    assert get_user_model().objects.filter(pk=registration.user_id).exists()


def test_russian_pages_and_email_are_in_russian(conference, post):
    registration = passwordless_registration(conference)
    client = signed_in(registration.user)
    assert "У вашей учётной записи нет пароля" in client.get("/ru/my/delete-account/").content.decode()
    message = ask_for_code(post, client, prefix="/ru")
    assert "Ваш код для удаления учётной записи" in message.subject
    assert "/ru/my/delete-account/code/" in message.body
    page = client.get("/ru/my/delete-account/code/").content.decode()
    assert "Мы отправили письмо с шестизначным кодом" in page
    wrong_answer = post(client, "/ru/my/delete-account/code/", {"code": wrong(code_in(message))}).content.decode()
    assert "Код неверный" in wrong_answer
    response = post(client, "/ru/my/delete-account/code/", {"code": code_in(message)})
    assert response["Location"] == "/ru/"
    assert not get_user_model().objects.filter(pk=registration.user_id).exists()
