"""How long the scanner's answers stay, in a real Chromium at 360 × 740: green clears by itself, red and amber stay
until door staff press "Next scan" (focused, so a keyboard or a switch works too), and the camera scans again after."""

import time

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS
from registration.badge_tokens import issue_badge_token
from registration.enums import RegistrationStatus
from registration.models import ScanAttempt

from .checkin_factories import make_registration, make_staff
from .test_checkin_browser import FAKE_CAMERA_ARGS, badge_video, open_scanner, signed_in_cookie, wait_until

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LONGER_THAN_THE_OLD_TIMEOUT_MS = 4500  # red and amber used to vanish after 3.5 s


@pytest.fixture
def scanner(browser, live_server, demo_tx):
    """The scanner page for door staff, its offline data loaded."""
    context = browser.new_context(viewport=PHONE)
    page = open_scanner(context, live_server, signed_in_cookie(make_staff(), live_server))
    wait_until(page, "window.checkinScanner.state.data !== null", 15)
    yield page
    context.close()


def answer_is_shown(page):
    return not page.evaluate("document.getElementById('result').hidden")


def test_red_answer_stays_until_next_scan_which_has_the_focus(scanner):
    scanner.evaluate("window.checkinScanner.checkCode('NOT-A-BADGE')")
    scanner.wait_for_selector('#result[data-result="invalid"]')
    assert scanner.evaluate("document.activeElement.id") == "result-dismiss"
    scanner.wait_for_timeout(LONGER_THAN_THE_OLD_TIMEOUT_MS)
    assert answer_is_shown(scanner)
    assert "registration desk" in scanner.text_content("#result-next")
    scanner.keyboard.press("Enter")
    assert not answer_is_shown(scanner)


def test_amber_answer_stays_and_escape_dismisses_it(scanner, demo_tx):
    code = issue_badge_token(make_registration(demo_tx, badge_name="Ona"))
    scanner.evaluate("(code) => window.checkinScanner.checkCode(code)", code)
    scanner.wait_for_selector('#result[data-result="checked_in"]')
    scanner.click("#result-dismiss")
    scanner.evaluate("(code) => window.checkinScanner.checkCode(code)", code)
    scanner.wait_for_selector('#result[data-result="already_checked_in"]')
    assert "result--amber" in scanner.get_attribute("#result", "class")
    scanner.wait_for_timeout(LONGER_THAN_THE_OLD_TIMEOUT_MS)
    assert answer_is_shown(scanner)
    scanner.keyboard.press("Escape")
    assert not answer_is_shown(scanner)


def test_green_answer_clears_by_itself_after_two_seconds_and_focus_goes_back(scanner, demo_tx):
    scanner.focus("#gate-name")
    code = issue_badge_token(make_registration(demo_tx, badge_name="Jonas"))
    scanner.evaluate("(code) => window.checkinScanner.checkCode(code)", code)
    scanner.wait_for_selector('#result[data-result="checked_in"]')
    shown_at = time.monotonic()
    assert "result--green" in scanner.get_attribute("#result", "class")
    wait_until(scanner, "document.getElementById('result').hidden", 5)
    assert 1.5 < time.monotonic() - shown_at < 4
    assert scanner.evaluate("document.activeElement.id") == "gate-name"


def test_camera_waits_while_red_is_shown_and_scans_again_after_next_scan(demo_tx, live_server, browser, tmp_path):
    cancelled = make_registration(demo_tx, badge_name="Petras", status=RegistrationStatus.CANCELLED)
    video = badge_video(cancelled, tmp_path)
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_CAMERA_ARGS + [f"--use-file-for-fake-video-capture={video}"]
    )
    try:
        page = open_scanner(
            camera_browser.new_context(viewport=PHONE), live_server, signed_in_cookie(make_staff(), live_server)
        )
        page.wait_for_selector('#result[data-result="cancelled"]', timeout=15_000)
        # The camera keeps filming the badge, but nothing is answered over the red screen.
        page.wait_for_timeout(LONGER_THAN_THE_OLD_TIMEOUT_MS + 1000)
        assert answer_is_shown(page)
        assert ScanAttempt.objects.filter(registration=cancelled).count() == 1
        page.click("#result-dismiss")
        assert not answer_is_shown(page)
        page.wait_for_selector('#result[data-result="cancelled"]', timeout=15_000)
        assert ScanAttempt.objects.filter(registration=cancelled).count() == 2
    finally:
        camera_browser.close()
