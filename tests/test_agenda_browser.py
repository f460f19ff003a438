"""The agenda's JavaScript in Chromium: a signed-in star saves without a reload; an anonymous star is kept in the
browser and /my/ offers to keep it after signing in. (Here, not in programme/, because it needs registration's
accounts.)"""

from datetime import datetime, timedelta

import icalendar
import pytest
from django.test import Client

from programme.models import AgendaItem, SessionPage
from registration.tests.registration_factories import make_user

pytestmark = [pytest.mark.browser]

DAY_ONE = "/vilnius-2017/programme/?day=2017-04-04"


def session_cookie(live_server, user):
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def naloxone():
    return SessionPage.objects.get(slug="naloxone-in-every-pocket", locale__language_code="en")


def test_signed_in_star_is_saved_without_reloading_the_page(browser, live_server, demo_tx):
    user = make_user()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([session_cookie(live_server, user)])
    page = context.new_page()
    page.goto(live_server.url + DAY_ONE)
    page.evaluate("window.notReloaded = true")
    star = page.locator(f"form[data-agenda-star='{naloxone().pk}']")
    star.locator("button").click()
    star.locator(".star-button__label", has_text="Remove from my agenda").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert list(AgendaItem.objects.filter(user=user).values_list("session_id", flat=True)) == [naloxone().pk]
    star.locator("button").click()
    star.locator(".star-button__label", has_text="Add to my agenda").wait_for()
    assert AgendaItem.objects.filter(user=user).count() == 0
    context.close()


def test_anonymous_star_is_kept_in_the_browser_and_offered_after_sign_in(browser, live_server, demo_tx):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + DAY_ONE)
    star = page.locator(f"form[data-agenda-star='{naloxone().pk}']")
    star.locator("button").click()
    star.locator(".star-button__label", has_text="Remove from my agenda").wait_for()
    assert page.url == live_server.url + DAY_ONE
    assert page.evaluate("localStorage.getItem('hrne.agenda.stars')") == f'["{naloxone().pk}"]'
    assert AgendaItem.objects.count() == 0

    user = make_user()
    context.add_cookies([session_cookie(live_server, user)])
    page.goto(live_server.url + "/my/")
    offer = page.locator("[data-agenda-offer]")
    assert offer.is_visible()
    offer.get_by_role("button", name="Keep them").click()
    page.wait_for_load_state()
    assert page.locator("#my-agenda .agenda-item").count() == 1
    assert list(AgendaItem.objects.filter(user=user).values_list("session_id", flat=True)) == [naloxone().pk]
    assert page.evaluate("localStorage.getItem('hrne.agenda.stars')") is None
    assert not page.locator("[data-agenda-offer]").is_visible()
    context.close()


def test_offer_can_be_declined(browser, live_server, demo_tx):
    user = make_user()
    context = browser.new_context()
    context.add_cookies([session_cookie(live_server, user)])
    page = context.new_page()
    page.goto(live_server.url + "/my/")
    page.evaluate(f"localStorage.setItem('hrne.agenda.stars', '[\"{naloxone().pk}\"]')")
    page.reload()
    page.get_by_role("button", name="No, forget them").click()
    assert not page.locator("[data-agenda-offer]").is_visible()
    assert page.evaluate("localStorage.getItem('hrne.agenda.stars')") is None
    assert AgendaItem.objects.count() == 0
    context.close()


def test_russian_attendee_stars_subscribes_and_sees_a_moved_session_move(browser, live_server, demo_tx, settings):
    """The issue's "done when", in Russian: star on the programme, make the calendar link on /ru/my/, read the
    feed without any cookie, and see the session move after an organiser publishes a new time."""
    settings.SITE_URL = live_server.url  # the calendar link is built from SITE_URL: here, the test's own server
    user = make_user()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    context.add_cookies([session_cookie(live_server, user)])
    page = context.new_page()
    page.goto(live_server.url + "/ru" + DAY_ONE)
    star = page.locator(f"form[data-agenda-star='{naloxone().pk}']")
    star.locator("button").click()
    star.locator(".star-button__label", has_text="Убрать из моей программы").wait_for()
    page.goto(live_server.url + "/ru/my/")
    page.get_by_role("button", name="Создать ссылку для календаря").click()
    page.wait_for_load_state()
    webcal = page.get_by_role("link", name="Подписаться в приложении календаря").get_attribute("href")
    assert webcal.startswith("webcal://")
    feed_url = page.locator("#agenda-feed-url").input_value()
    assert feed_url == "http:" + webcal.removeprefix("webcal:")
    assert feed_url.startswith(live_server.url + "/")

    anonymous = browser.new_context()  # a calendar app: no session cookie

    def event():
        response = anonymous.request.get(feed_url)
        assert response.status == 200
        return next(iter(icalendar.Calendar.from_ical(response.body()).walk("VEVENT")))

    before = event()
    assert str(before["summary"]) == "Налоксон в каждом кармане"
    session = naloxone()
    session.start = session.start + timedelta(days=1)
    session.end = session.end + timedelta(days=1)
    session.save_revision().publish()
    after = event()
    assert after["uid"] == before["uid"]
    assert after["dtstart"].dt - before["dtstart"].dt == timedelta(days=1)
    assert after["sequence"] > before["sequence"]
    assert isinstance(after["dtstart"].dt, datetime)
    anonymous.close()
    context.close()
