"""/my/: the answers given (in the visitor's language), "register again" after a cancellation, the badge's QR full
screen on a phone, and the same number of queries for one registration, star and sign-up as for many."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conference.models import ConferencePage
from programme import agenda
from programme.models import AgendaItem, SessionPage
from programme.release_models import ScheduleChange, ScheduleRelease
from registration import questions, services, workshops
from registration.models import RegistrationQuestion

from .registration_factories import PASSWORD, make_type, make_user, register

URL = "/my/"


@pytest.mark.django_db
def test_my_shows_answers_and_offers_register_again_after_cancelling(conference):
    user = make_user()
    registration = register(user, conference, make_type(conference, capacity=5), dietary_needs="Vegan, no nuts")
    client = Client()
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Vegan, no nuts" in html and "Register again" not in html
    services.cancel(registration=registration, by=user)
    html = client.get(URL).content.decode()
    assert 'href="/vilnius-2017/register/">Register again</a>' in html


def ask_questions(registration_type):
    """A text, a one-choice and a several-choices question, the choices in English and Russian; with an answer each."""
    return {
        RegistrationQuestion.objects.create(
            registration_type=registration_type, text="Where from?", text_ru="Откуда?", sort_order=1
        ): "Vilnius",
        RegistrationQuestion.objects.create(
            registration_type=registration_type,
            text="Meal",
            text_ru="Еда",
            kind=RegistrationQuestion.ONE_CHOICE,
            choices="Meat\nVegetarian",
            choices_ru="Мясо\nВегетарианская",
            sort_order=2,
        ): "Vegetarian",
        RegistrationQuestion.objects.create(
            registration_type=registration_type,
            text="Topics",
            text_ru="Темы",
            kind=RegistrationQuestion.SEVERAL_CHOICES,
            choices="Policy\nServices\nResearch",
            choices_ru="Политика\nУслуги\nИсследования",
            sort_order=3,
        ): ["Policy", "Research"],
    }


@pytest.mark.django_db
def test_my_shows_choice_answers_in_the_visitors_language(conference):
    user = make_user()
    registration_type = make_type(conference, capacity=5)
    registration = register(user, conference, registration_type)
    questions.save_answers(registration=registration, answers=ask_questions(registration_type))
    client = Client()
    client.force_login(user)
    english = client.get(URL).content.decode()
    assert "<dt>Meal</dt><dd>Vegetarian</dd>" in english
    assert "<dt>Topics</dt><dd>Policy, Research</dd>" in english
    russian = client.get("/ru" + URL).content.decode()
    assert "<dt>Откуда?</dt><dd>Vilnius</dd>" in russian
    assert "<dt>Еда</dt><dd>Вегетарианская</dd>" in russian
    assert "<dt>Темы</dt><dd>Политика, Исследования</dd>" in russian


def sessions_of(conference):
    return list(SessionPage.objects.live().descendant_of(conference).filter(locale=conference.locale).order_by("pk"))


def attendee(conference, others, *, cancelled, workshop_count, stars, changed):
    """A signed-in client of an attendee with a confirmed registration in the demo `conference` and `cancelled`
    cancelled ones, all with three answers; a waitlisted registration in each of `others`; sign-ups for
    `workshop_count` workshops; `stars`, of which the first `changed` have an unseen programme change; a feed."""
    user = make_user()
    registration_type = make_type(conference, capacity=50)
    answers = ask_questions(registration_type)
    for _number in range(cancelled):
        registration = register(user, conference, registration_type)
        questions.save_answers(registration=registration, answers=answers)
        services.cancel(registration=registration, by=user)
    registration = register(user, conference, registration_type)
    questions.save_answers(registration=registration, answers=answers)
    for other in others:
        waitlisted = register(user, other, make_type(other, capacity=0))
        assert waitlisted.status == "waitlisted"
    offered = [session for session in sessions_of(conference) if session.signup_capacity is not None]
    for session in offered[:workshop_count]:
        workshops.sign_up(registration=registration, session=session)
    for session in stars:
        agenda.set_starred(user=user, session_id=session.pk, starred=True)
    release = ScheduleRelease.objects.create(conference=conference, number=900 + user.pk, name=f"v{user.pk}")
    for session in stars[:changed]:
        ScheduleChange.objects.create(
            release=release,
            kind="moved",
            session=session,
            translation_key=session.translation_key,
            title=session.title,
            old_start=session.start,
            old_end=session.end,
            new_start=session.start,
            new_end=session.end,
        )
    AgendaItem.objects.filter(user=user, session__in=stars[:changed]).update(changed_in=release)
    agenda.issue_feed(user=user)
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_my_costs_the_same_queries_for_one_of_everything_or_many(conference):
    for slug, size in (("my-small", 1), ("my-big", 600)):
        call_command("make_scale_conference", slug=slug, sessions=size, speakers=5, registrations=0, verbosity=0)
    small, big = (ConferencePage.objects.get(slug=slug) for slug in ("my-small", "my-big"))
    demo_sessions = sessions_of(conference)
    one = attendee(conference, [small], cancelled=0, workshop_count=1, stars=demo_sessions[:1], changed=1)
    stars = demo_sessions[:10] + sessions_of(big)[:60] + sessions_of(small)
    many = attendee(conference, [small, big], cancelled=5, workshop_count=4, stars=stars, changed=5)
    counts = {(path, who): count_queries(client, path) for path in (URL, "/ru" + URL) for who, client in
              (("one", one), ("many", many))}  # fmt: skip
    assert (
        counts[(URL, "one")] == counts[(URL, "many")] == counts[("/ru" + URL, "one")] == counts[("/ru" + URL, "many")]
    )
    # Session, user, registrations, answers, waiting-list places, sign-ups, stars, feed, change marks, e-mail
    # preference, and the two permission queries of the Wagtail user bar in base.html.
    assert counts[(URL, "many")] <= 12, counts
    html = many.get("/ru" + URL).content.decode()
    assert html.count('class="card registration-card"') == 8  # 1 confirmed, 5 cancelled, 2 waitlisted
    assert html.count("номер 1 в листе ожидания") == 2
    assert html.count('class="agenda-item__time"') == len(stars) > 70
    assert html.count("agenda-item--changed") == 5
    assert html.count('<li><a href="/ru/vilnius-2017/programme/') == 4  # the sign-ups, in Russian


@pytest.mark.browser
def test_tapping_the_qr_shows_it_full_screen(page, live_server, demo_tx):
    user = make_user("qr.phone@example.org")
    register(user, demo_tx, make_type(demo_tx, capacity=5))
    page.goto(f"{live_server.url}/accounts/login/?next=/my/")
    page.fill("[name=login]", "qr.phone@example.org")
    page.fill("[name=password]", PASSWORD)
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_url("**/my/")
    full = page.locator(".qr-fullscreen img")
    assert not full.is_visible()
    page.locator(".badge-preview__enlarge").click()
    assert full.is_visible()
    box = full.bounding_box()
    assert box["width"] >= 320  # of a 360 px wide screen
    page.locator(".qr-fullscreen__close").click()
    assert not full.is_visible()
