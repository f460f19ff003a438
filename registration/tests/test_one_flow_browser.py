"""A new visitor in Chromium at 360 px, in English and Russian: from the conference page's Register button to a
registration in at most three screens (form → code → /my/); the emailed link works too."""

import re
from urllib.parse import urlsplit

import pytest

from registration.models import Registration

pytestmark = pytest.mark.browser


def fill_form(page, email):
    page.fill("[name=email]", email)
    page.check("#type-participant")
    page.fill("[name=full_name]", "Olena Browser")
    page.fill("[name=badge_name]", "Olena")
    page.check("[name=consent_privacy]")
    page.locator("main form[method=post] [type=submit]").last.click()


def count_screens(page):
    screens = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and screens.append(frame.url))
    return screens


@pytest.mark.parametrize(
    ("prefix", "registered_text"),
    [("", "Your registration is confirmed"), ("/ru", "Ваша регистрация подтверждена")],
)
def test_new_visitor_registers_in_three_screens(page, live_server, demo_tx, mailoutbox, prefix, registered_text):
    email = f"one.flow{prefix.replace('/', '.')}@example.org"
    page.goto(f"{live_server.url}{prefix}/vilnius-2017/")
    screens = count_screens(page)
    page.locator(f"main a[href='{prefix}/vilnius-2017/register/']").first.click()
    page.wait_for_url(f"**{prefix}/vilnius-2017/register/")
    fill_form(page, email)
    page.wait_for_url(f"**{prefix}/register/confirm/")
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].subject).group(1)
    page.fill("[name=code]", code)
    page.locator("main form.confirm-code-form [type=submit]").click()
    page.wait_for_url(f"**{prefix}/my/")
    assert page.get_by_text(registered_text).first.is_visible()
    assert len(screens) == 3, screens
    assert Registration.objects.get(user__email=email).status == "confirmed"


def test_emailed_link_and_wrong_code(page, live_server, demo_tx, mailoutbox):
    page.goto(f"{live_server.url}/vilnius-2017/register/")
    fill_form(page, "link.visitor@example.org")
    page.wait_for_url("**/register/confirm/")
    page.fill("[name=code]", "12345x")
    page.locator("main form.confirm-code-form [type=submit]").click()
    assert page.get_by_text("This code is not right").is_visible()
    link = re.search(r"https?://\S+/register/confirm/[\w-]+/", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    page.get_by_role("button", name="Confirm and register").click()
    page.wait_for_url("**/my/")
    assert Registration.objects.get(user__email="link.visitor@example.org").status == "confirmed"
