"""/my/: the answers given (in the visitor's language), "register again" after a cancellation, and the badge's QR
full screen on a phone."""

import pytest
from django.test import Client

from registration import questions, services
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
