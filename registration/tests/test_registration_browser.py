"""The attendee's whole journey in a real Chromium at phone width: sign up, verify the email, register,
see /my/, edit, download the data, cancel, delete the account."""

import json
import re
from urllib.parse import urlsplit

import pytest

from conference.worker import drain
from registration.models import Registration

from .registration_factories import PASSWORD as KNOWN_PASSWORD
from .registration_factories import make_user

pytestmark = pytest.mark.browser

EMAIL = "browser.attendee@example.org"
PASSWORD = "correct horse battery staple 17"


def confirmation_link(outbox):
    for message in reversed(outbox):
        match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body)
        if match:
            return match.group(0)
    raise AssertionError("no confirmation email")


def sign_up_from_the_form(page, base, mailoutbox):
    """The register link sends a stranger to sign up; the link in the email, opened in the same browser,
    signs the person in and returns to the form."""
    page.goto(base + "/vilnius-2017/register/")
    page.get_by_role("link", name="I already have an account: sign in").click()
    assert "/accounts/login/" in page.url
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    drain()  # the worker sends the queued confirmation email
    link = confirmation_link(mailoutbox)
    page.goto(base + urlsplit(link).path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(base + "/vilnius-2017/register/")


def test_attendee_journey(page, live_server, demo_tx, mailoutbox, settings):
    base = live_server.url
    sign_up_from_the_form(page, base, mailoutbox)

    page.get_by_label("Participant").check()
    page.get_by_label("Full name").fill("Browser Attendee")
    page.get_by_label("Name on your badge").fill("Bee")
    page.get_by_label("Country where you work or live").select_option("LT")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(base + "/my/")
    assert page.get_by_text("Your registration is confirmed.").is_visible()
    assert page.locator(".status--confirmed").inner_text() == "Confirmed"
    registration = Registration.objects.get(user__email=EMAIL)
    assert registration.status == "confirmed"
    drain()
    assert any("is confirmed" in message.subject for message in mailoutbox)

    page.get_by_role("link", name="Change my details").click()
    page.get_by_label("Name on your badge").fill("Bea")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(base + "/my/")
    assert page.get_by_text("Your details are saved.").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["registrations"][0]["badge_name"] == "Bea"

    page.get_by_role("link", name="Cancel this registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url(base + "/my/")
    assert page.locator(".status--cancelled").inner_text() == "Cancelled"

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(base + "/")
    assert page.get_by_text("Your account is deleted").is_visible()
    registration.refresh_from_db()
    assert (registration.user_id, registration.full_name, registration.status) == (None, "", "cancelled")
    page.goto(base + "/my/")
    assert "/accounts/login/" in page.url


def test_two_tabs_submitting_make_one_registration(page, live_server, demo_tx):
    user = make_user("two.tabs@example.org")
    base = live_server.url
    page.goto(base + "/accounts/login/?next=/vilnius-2017/register/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(KNOWN_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(base + "/vilnius-2017/register/")
    second_tab = page.context.new_page()
    second_tab.goto(base + "/vilnius-2017/register/")
    for tab, type_label in ((page, "Participant"), (second_tab, "Press")):
        tab.get_by_label(type_label).check()
        tab.get_by_label("Full name").fill("Two Tabs")
        tab.get_by_label("Name on your badge").fill("Tabby")
        tab.get_by_label("I have read the privacy notice").check()

    def is_form_post(response):
        return response.request.method == "POST" and response.url.endswith("/vilnius-2017/register/")

    with page.expect_response(is_form_post) as first, second_tab.expect_response(is_form_post) as second:
        page.get_by_role("button", name="Register").click(no_wait_after=True)
        second_tab.get_by_role("button", name="Register").click(no_wait_after=True)
    # One tab registered (redirect to /my/), the other was shown that registration (200), in either order.
    assert sorted([first.value.status, second.value.status]) == [200, 302]
    assert Registration.objects.filter(user=user).count() == 1
