"""Workshop sign-up (CONTRACT.md): confirmed attendees sign up on the session page up to its capacity, the rest
queue in order and are promoted (and emailed) when a place frees; /my/ lists the sign-ups."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Locale

from conference.worker import drain
from programme.models import SessionPage
from registration import workshops
from registration.attendee_emails import send_workshop_promoted
from registration.models import Registration, WorkshopSignup

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop_session(conference):
    session = SessionPage.objects.live().descendant_of(conference).first()
    session.signup_capacity = 1
    session.save(update_fields=["signup_capacity"])
    return session


def attendee(conference, email=None):
    user = make_user(email)
    registration = register(user, conference, make_type(conference, capacity=50))
    client = Client()
    client.force_login(user)
    return user, registration, client


def test_confirmed_attendee_sees_the_form_and_signs_up(conference, workshop_session):
    _user, registration, client = attendee(conference)
    html = client.get(workshop_session.url).content.decode()
    assert f'action="{workshop_session.url}signup/"' in html and "1 place left." in html
    response = client.post(workshop_session.url + "signup/")
    assert response.status_code == 302
    assert WorkshopSignup.objects.get(registration=registration).status == "confirmed"
    assert workshop_session.title in client.get("/my/").content.decode()


def test_full_session_queues_and_cancel_promotes_in_order_with_email(
    conference, workshop_session, django_capture_on_commit_callbacks
):
    first = attendee(conference)
    second = attendee(conference, "second@example.org")
    third = attendee(conference, "third@example.org")
    for _user, _registration, client in (first, second, third):
        client.post(workshop_session.url + "signup/")
    statuses = [WorkshopSignup.objects.get(registration=r).status for _u, r, _c in (first, second, third)]
    assert statuses == ["confirmed", "waitlisted", "waitlisted"]
    with django_capture_on_commit_callbacks(execute=True):
        first[2].post(workshop_session.url + "signup/cancel/")
    assert WorkshopSignup.objects.get(registration=second[1], status__in=["confirmed", "waitlisted"]).status == (
        "confirmed"
    )
    assert WorkshopSignup.objects.get(registration=third[1]).status == "waitlisted"
    drain()
    assert mail.outbox[-1].to == ["second@example.org"] and workshop_session.title in mail.outbox[-1].subject


def test_unconfirmed_or_anonymous_cannot_sign_up(client, conference, workshop_session):
    assert client.post(workshop_session.url + "signup/").status_code == 302  # to sign in
    user = make_user()
    client.force_login(user)
    assert (
        "Sign-up is open to attendees with a confirmed registration."
        in client.get(workshop_session.url).content.decode()
    )
    client.post(workshop_session.url + "signup/")
    assert not WorkshopSignup.objects.exists()


def test_signup_on_session_without_capacity_or_unknown_path(conference):
    _user, _registration, client = attendee(conference)
    session = SessionPage.objects.live().descendant_of(conference).filter(signup_capacity__isnull=True).first()
    client.post(session.url + "signup/")
    assert not WorkshopSignup.objects.exists()
    assert client.post("/vilnius-2017/programme/no-such-session/signup/").status_code == 404
    assert client.get(session.url + "signup/").status_code == 405


def test_signing_up_twice_keeps_one(conference, workshop_session):
    _user, registration, _client = attendee(conference)
    first = workshops.sign_up(registration=registration, session=workshop_session)
    assert workshops.sign_up(registration=registration, session=workshop_session) == first


def test_one_attendees_sign_up_never_shows_to_another(conference, workshop_session):
    """Session pages come from the shared page cache; a workshop's panel is personal, so its page is never kept."""
    _user, _registration, first = attendee(conference)
    first.post(workshop_session.url + "signup/")
    first.get(workshop_session.url)  # shows (and so clears) the "signed up" message
    _user, _registration, second = attendee(conference, "second@example.org")
    html = second.get(workshop_session.url).content.decode()
    assert f'action="{workshop_session.url}signup/cancel/"' not in html
    assert f'action="{workshop_session.url}signup/cancel/"' in first.get(workshop_session.url).content.decode()


def test_promoted_email_speaks_the_attendees_language(conference, workshop_session):
    """A Russian-speaking attendee hears of the freed place in Russian, with the Russian session's title and link."""
    _user, registration, _client = attendee(conference, "ru@example.org")
    Registration.objects.filter(pk=registration.pk).update(language="ru")
    signup = workshops.sign_up(registration=registration, session=workshop_session)
    russian = workshop_session.get_translation(Locale.objects.get(language_code="ru"))
    assert russian.title != workshop_session.title
    assert send_workshop_promoted(signup_id=signup.pk)
    drain()  # through the mail queue
    email = mail.outbox[-1]
    assert email.to == ["ru@example.org"]
    assert russian.title in email.subject and "Для вас освободилось место" in email.subject
    assert russian.url in email.body


def russian(page):
    return page.get_translation(Locale.objects.get(language_code="ru"))


def test_signup_and_leave_on_the_russian_page(conference, workshop_session):
    """Issue 23: the Russian session's tree has other paths than the English conference, where registrations are."""
    _user, registration, client = attendee(conference)
    page = russian(workshop_session)
    assert page.url.startswith("/ru/")
    assert f'action="{page.url}signup/"' in client.get(page.url).content.decode()
    response = client.post(page.url + "signup/", follow=True)
    assert response.redirect_chain[0][0] == page.url
    assert "Вы записаны на эту сессию." in response.content.decode()
    signup = WorkshopSignup.objects.get(registration=registration)
    assert (signup.status, signup.session_id) == ("confirmed", workshop_session.pk)  # the default-language session
    response = client.post(page.url + "signup/cancel/", follow=True)
    assert "Вы больше не записаны на эту сессию." in response.content.decode()
    assert WorkshopSignup.objects.get(pk=signup.pk).status == "cancelled"


@pytest.mark.parametrize(("sign_up_on", "leave_on"), [("en", "ru"), ("ru", "en")])
def test_a_signup_made_in_one_language_is_left_in_the_other(conference, workshop_session, sign_up_on, leave_on):
    _user, registration, client = attendee(conference)
    pages = {"en": workshop_session, "ru": russian(workshop_session)}
    client.post(pages[sign_up_on].url + "signup/")
    assert f'action="{pages[leave_on].url}signup/cancel/"' in client.get(pages[leave_on].url).content.decode()
    client.post(pages[leave_on].url + "signup/cancel/")
    assert WorkshopSignup.objects.get(registration=registration).status == "cancelled"
