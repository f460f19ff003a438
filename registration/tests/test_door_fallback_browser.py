"""The door without a camera, in a real Chromium at 360 × 740: finding people by name comes first and fills the
screen, results show badge name, organisation and type and scroll into view, and the red and amber answers say
what to do next."""

import pytest

from registration.badge_tokens import issue_badge_token

from .checkin_factories import make_registration, make_staff
from .test_checkin_browser import signed_in_cookie, wait_until

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def scanner(browser, live_server, demo_tx):
    """The scanner page for door staff in a Chromium that has no camera."""
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([signed_in_cookie(make_staff(), live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}/checkin/")
    wait_until(page, "!document.body.classList.contains('checkin--camera-pending')")
    yield page
    context.close()


def test_without_a_camera_the_search_comes_first_and_fills_the_screen(scanner):
    assert not scanner.locator(".camera__frame").is_visible()
    search = scanner.locator("#search-query").bounding_box()
    counters = scanner.locator(".counters").bounding_box()
    assert search["y"] + search["height"] < PHONE["height"] / 2
    assert counters["y"] >= PHONE["height"]


def test_search_results_show_organisation_and_type_and_come_into_view(scanner, demo_tx):
    for organisation in ("Vilnius Outreach", "Tbilisi Street Lawyers"):
        make_registration(demo_tx, badge_name="Dana", full_name=f"Dana of {organisation}", organisation=organisation)
    scanner.fill("#search-query", "Dana of")
    scanner.keyboard.press("Enter")
    scanner.locator("#search-results li").nth(1).wait_for()
    lines = scanner.locator("#search-results li").all_inner_texts()
    assert any("Vilnius Outreach · Participant" in line for line in lines)
    assert any("Tbilisi Street Lawyers · Participant" in line for line in lines)
    wait_until(scanner, "document.getElementById('search-results').getBoundingClientRect().top < 200")
    box = scanner.locator("#search-results li").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_red_answer_says_to_send_them_to_the_registration_desk(scanner):
    scanner.evaluate("window.checkinScanner.checkCode('NOT-A-BADGE')")
    scanner.wait_for_selector('#result[data-result="invalid"]')
    assert "result--red" in scanner.get_attribute("#result", "class")
    assert "registration desk" in scanner.text_content("#result-next")


def test_amber_answer_says_what_to_do(scanner, demo_tx):
    registration = make_registration(demo_tx, badge_name="Ona")
    code = issue_badge_token(registration)
    scanner.evaluate("(code) => window.checkinScanner.checkCode(code)", code)
    scanner.wait_for_selector('#result[data-result="checked_in"]')
    scanner.evaluate("document.getElementById('result').click()")
    scanner.evaluate("(code) => window.checkinScanner.checkCode(code)", code)
    scanner.wait_for_selector('#result[data-result="already_checked_in"]')
    assert "Ask for their name" in scanner.text_content("#result-next")
