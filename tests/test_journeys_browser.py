"""Issue 23's journey matrix: an attendee's whole way through the site in a real Chromium at 360 px, in English
and in Russian, through the pages only (no test client): programme, session, register by the emailed code,
/my/, star, workshop sign-up and leave, visa letter and its /verify/ page, personal data export, cancelling,
and the door's answer afterwards. Every screen stays in the chosen language and never scrolls sideways."""

import json
import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Locale

from conference.permissions import ORGANISERS
from conference.worker import drain
from programme.models import AgendaItem, SessionPage
from registration import visa, workshops
from registration.badge_tokens import issue_badge_token
from registration.enums import RegistrationStatus
from registration.models import Registration, ScanAttempt, VisaLetterRequest, WorkshopSignup
from registration.tests.checkin_factories import make_staff
from registration.tests.registration_factories import make_user

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
WORKSHOP = "costing-harm-reduction"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

# What the attendee reads, written out (not looked up through gettext, which would pass with English on a
# Russian page when a translation is missing).
TEXT = {
    "": {
        "html_lang": "en",
        "browser_locale": "en-GB",
        "confirmed_message": "Your registration is confirmed",
        "status_confirmed": "Confirmed",
        "status_cancelled": "Cancelled",
        "starred": "Remove from my agenda",
        "sign_up": "Sign up",
        "signed_up": "You are signed up.",
        "leave": "Leave this session",
        "left": "You have left this session.",
        "visa_requested": "Requested: the organisers check your request",
        "visa_download": "Download the visa invitation letter (PDF)",
        "verify_valid": "Valid: this letter was issued by the organisers.",
        "verify_withdrawn": "this letter is no longer valid.",
        "export": "Download my data (JSON)",
        "cancel": "Cancel this registration",
        "cancel_confirm": "Yes, cancel my registration",
        "cancelled_message": "Your registration is cancelled.",
        "letter_withdrawn": "Your letter has been withdrawn and is no longer valid.",
    },
    "/ru": {
        "html_lang": "ru",
        "browser_locale": "ru-RU",
        "confirmed_message": "Ваша регистрация подтверждена",
        "status_confirmed": "Подтверждена",
        "status_cancelled": "Отменена",
        "starred": "Убрать из моей программы",
        "sign_up": "Записаться",
        "signed_up": "Вы записаны.",
        "leave": "Отменить запись",
        "left": "Вы больше не записаны на эту сессию.",
        "visa_requested": "Запрошено: организаторы проверят ваш запрос",
        "visa_download": "Скачать визовое приглашение (PDF)",
        "verify_valid": "Действительно: это письмо выдано организаторами.",
        "verify_withdrawn": "письмо больше не действует.",
        "export": "Скачать мои данные (JSON)",
        "cancel": "Отменить эту регистрацию",
        "cancel_confirm": "Да, отменить мою регистрацию",
        "cancelled_message": "Ваша регистрация отменена.",
        "letter_withdrawn": "Ваше письмо отозвано и больше не действительно.",
    },
}


class Screen:
    """The browser page of one journey, with the checks every screen passes: the page's language in <html lang>
    and in the address, and no sideways scrolling at 360 px."""

    def __init__(self, page, live_server, prefix):
        self.page = page
        self.base = live_server.url
        self.prefix = prefix
        self.text = TEXT[prefix]
        self.seen = []

    def open(self, path):
        response = self.page.goto(self.base + self.prefix + path)
        assert response.status == 200, (path, response.status)
        self.check()

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        path = urlsplit(page.url).path
        self.seen.append(path)
        assert page.locator("html").get_attribute("lang") == self.text["html_lang"], path
        if self.prefix:
            assert path.startswith(self.prefix + "/"), path
        else:
            assert not path.startswith("/ru/"), path
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"{path} scrolls sideways: {scroll_width} px wide"

    def wait_for_path(self, path):
        self.page.wait_for_url(lambda url: urlsplit(url).path == self.prefix + path)
        self.check()

    def main_text(self):
        return self.page.locator("main").inner_text()


def english_workshop():
    return SessionPage.objects.get(slug=WORKSHOP, locale=Locale.get_default())


def organiser():
    user = make_user("journey.organiser@example.org")
    user.groups.add(Group.objects.get(name=ORGANISERS))
    return user


def session_cookie(live_server, user):
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def wait_until(page, expression, timeout=10.0):
    """Poll a JavaScript expression (page.wait_for_function needs 'unsafe-eval', which our CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


@pytest.mark.parametrize("prefix", ["", "/ru"], ids=["english", "russian"])
def test_attendee_journey_from_programme_to_the_door(browser, live_server, demo_tx, mailoutbox, prefix):  # noqa: PLR0915 (one story, step after step)
    text = TEXT[prefix]
    email = f"journey{prefix.replace('/', '.')}@example.org"
    workshop = english_workshop()
    workshop_path = f"/vilnius-2017/programme/{WORKSHOP}/"
    context = browser.new_context(viewport=PHONE, locale=text["browser_locale"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    screen = Screen(page, live_server, prefix)

    # The programme, then the workshop from it.
    screen.open("/vilnius-2017/programme/")
    page.locator(f"main a[href='{prefix}{workshop_path}']").first.click()
    screen.wait_for_path(workshop_path)
    assert page.locator("section.workshop-signup").is_visible()

    # Register through the one-flow form, asking for a visa letter.
    page.goto(f"{live_server.url}{prefix}/vilnius-2017/register/")
    screen.check()
    page.fill("[name=email]", email)
    page.check("#type-participant")
    page.fill("[name=full_name]", "Olena Journey")
    page.fill("[name=badge_name]", "Olena")
    page.check("[name=needs_visa_letter]")
    page.fill("[name=passport_name]", "OLENA JOURNEY")
    page.fill("[name=passport_number]", "FX1234567")
    page.select_option("[name=nationality]", "UA")
    page.fill("[name=date_of_birth]", "1985-03-21")
    screen.check()  # the passport fields shown do not widen the page either
    page.check("[name=consent_privacy]")
    page.locator("main form[method=post] [type=submit]").last.click()
    screen.wait_for_path("/register/confirm/")
    assert email in screen.main_text()
    assert not Registration.objects.filter(user__email=email).exists()

    # The code from the email, then /my/ in the same language.
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].subject).group(1)
    assert mailoutbox[-1].to == [email]
    page.fill("[name=code]", code)
    page.locator("main form.confirm-code-form [type=submit]").click()
    screen.wait_for_path("/my/")
    registration = Registration.objects.get(user__email=email)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert text["confirmed_message"] in page.locator("body").inner_text()
    card = page.locator(f"#registration-{registration.pk}")
    assert card.locator(".status--confirmed").inner_text() == text["status_confirmed"]
    assert text["visa_requested"] in card.locator(".visa-letter-panel").inner_text()

    # Star the workshop, signed in now.
    screen.open(workshop_path)
    star = page.locator("main form.star-form[data-signed-in='1']").first
    star.locator("button").click()
    star.locator(".star-button__label", has_text=text["starred"]).wait_for()
    screen.check()
    assert list(AgendaItem.objects.filter(user=registration.user).values_list("session_id", flat=True)) == [workshop.pk]

    # Sign up for the workshop, leave it, and sign up again (the seat that cancelling must free).
    places = workshop.signup_capacity - WorkshopSignup.objects.filter(session=workshop, status="confirmed").count()
    signup_section = page.locator("section.workshop-signup")
    signup_section.get_by_role("button", name=text["sign_up"], exact=True).click()
    screen.wait_for_path(workshop_path)
    assert signup_section.get_by_role("status").inner_text() == text["signed_up"]
    assert workshops.places_left(workshop) == places - 1
    signup_section.get_by_role("button", name=text["leave"], exact=True).click()
    screen.wait_for_path(workshop_path)
    assert text["left"] in page.locator("body").inner_text()
    assert workshops.places_left(workshop) == places
    signup_section.get_by_role("button", name=text["sign_up"], exact=True).click()
    screen.wait_for_path(workshop_path)
    assert signup_section.get_by_role("status").inner_text() == text["signed_up"]
    assert workshops.places_left(workshop) == places - 1

    # The visa letter: requested on the form; once an organiser approves it, /my/ links it and /verify/ says valid.
    letter = VisaLetterRequest.objects.get(registration=registration)
    assert letter.status == VisaLetterRequest.REQUESTED
    assert (letter.passport_name, letter.nationality) == ("OLENA JOURNEY", "UA")
    visa.approve(visa_request=letter, by=organiser())
    screen.open("/my/")
    download = card.get_by_role("link", name=text["visa_download"])
    href = download.get_attribute("href")
    assert "visa-letter" in href and href.endswith(".pdf")
    pdf = context.request.get(live_server.url + href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    screen.open(f"/verify/{letter.reference}/")
    assert page.locator(".verify-status--valid").inner_text() == text["verify_valid"]

    # The personal data export: a JSON file that holds the registration and the star.
    screen.open("/my/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=text["export"]).click()
    exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert [(each["id"], each["status"]) for each in exported["registrations"]] == [(registration.pk, "confirmed")]
    assert exported["registrations"][0]["conference"]["slug"] == "vilnius-2017"
    assert exported["account"]["email"] == email
    screen.check()

    # Cancel the registration: /my/ says so, the letter is withdrawn and the workshop seat is free.
    card.get_by_role("link", name=text["cancel"]).click()
    screen.wait_for_path(f"/my/registrations/{registration.pk}/cancel/")
    page.get_by_role("button", name=text["cancel_confirm"]).click()
    screen.wait_for_path("/my/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert card.locator(".status--cancelled").inner_text() == text["status_cancelled"]
    assert text["cancelled_message"] in page.locator("body").inner_text()
    assert text["letter_withdrawn"] in card.locator(".visa-letter-panel").inner_text()
    assert card.get_by_role("link", name=text["visa_download"]).count() == 0
    assert workshops.places_left(workshop) == places
    assert set(WorkshopSignup.objects.filter(registration=registration).values_list("status", flat=True)) == {
        WorkshopSignup.CANCELLED
    }
    screen.open(f"/verify/{letter.reference}/")
    withdrawn = page.locator(".verify-status--withdrawn")
    assert withdrawn.inner_text().endswith(text["verify_withdrawn"])
    assert page.locator(".verify-status--valid").count() == 0
    context.close()
    # Every email the attendee got (code, confirmation, letter, cancellation) speaks the page's language. The code
    # went out at once; the others wait in the mail queue for a worker.
    drain()
    subjects = [message.subject for message in mailoutbox if message.to == [email]]
    assert len(subjects) >= 3, subjects
    assert [subject for subject in subjects if bool(CYRILLIC.search(subject)) != bool(prefix)] == []

    # At the door, in the same language: the badge now answers "cancelled".
    door = browser.new_context(viewport=PHONE, locale=text["browser_locale"])
    door.set_default_timeout(10_000)
    door.add_cookies([session_cookie(live_server, make_staff())])
    door_screen = Screen(door.new_page(), live_server, prefix)
    door_screen.open("/checkin/")
    door_page = door_screen.page
    wait_until(door_page, "window.checkinScanner !== undefined")
    door_page.evaluate("code => window.checkinScanner.checkCode(code)", issue_badge_token(registration))
    door_page.wait_for_selector('#result[data-result="cancelled"]', timeout=10_000)
    door_screen.check()
    assert door_page.get_attribute("#result", "data-offline") != "true"  # answered by the check-in API
    attempt = ScanAttempt.objects.get(registration=registration)
    assert (attempt.result, attempt.offline) == ("cancelled", False)
    door.close()
