"""The scanner in a real Chromium whose camera films a printed badge: checked in online, and offline
with the network cut and restored (checked in exactly once)."""

import subprocess
import time

import pytest
from django.test import Client

from conftest import CHROMIUM, CHROMIUM_ARGS
from registration.badge_pdf import render_badge_pdf
from registration.badge_tokens import issue_badge_token
from registration.enums import RegistrationStatus
from registration.models import CheckIn, ScanAttempt

from .checkin_factories import make_registration, make_staff

pytestmark = pytest.mark.browser

FAKE_CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def badge_video(registration, folder):
    """A y4m video of the printed badge: the PDF rasterised at 150 dpi, fitted into a 640×480 white frame."""
    pdf = folder / "badge.pdf"
    pdf.write_bytes(render_badge_pdf(registration))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(folder / "badge")], check=True)
    video = folder / "badge.y4m"
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(folder / "badge.png"),
            "-vf", "crop=iw:iw*0.75:0:ih*0.38,scale=640:480,format=yuv420p", "-t", "2", "-r", "10", str(video),
        ],
        check=True,
    )  # fmt: skip
    return video


def wait_until(page, expression, timeout=10.0):
    """Poll a JavaScript expression (page.wait_for_function would need 'unsafe-eval', which our CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(100)


def signed_in_cookie(user, live_server):
    client = Client()
    client.force_login(user)
    # With an expiry, like Django's own session cookie, so that it outlives a browser restart.
    value = client.cookies["sessionid"].value
    return {"name": "sessionid", "value": value, "url": live_server.url, "expires": time.time() + 3600}


def open_scanner(context, live_server, cookie):
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(f"{live_server.url}/checkin/")
    return page


def open_scanner_offline(page, live_server):
    """A new door-staff account's scanner, ready to check badges on its own (the WebCrypto Ed25519 key
    imported), with the network cut."""
    page.context.add_cookies([signed_in_cookie(make_staff(), live_server)])
    page.goto(f"{live_server.url}/checkin/")
    wait_until(page, "window.checkinScanner.state.publicKey !== null", 15)
    page.context.set_offline(True)


def scan_and_dismiss(page, registration):
    """Scan the registration's badge, wait for the answer and tap it away, as the door staff do."""
    page.evaluate("code => window.checkinScanner.checkCode(code)", issue_badge_token(registration))
    wait_until(page, "!document.getElementById('result').hidden", 5)
    page.click("#result")


def test_camera_sees_a_printed_badge_and_it_is_checked_in(demo_tx, live_server, browser, tmp_path):
    registration = make_registration(demo_tx, badge_name="Ona Petraitė")
    video = badge_video(registration, tmp_path)
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_CAMERA_ARGS + [f"--use-file-for-fake-video-capture={video}"]
    )
    try:
        context = camera_browser.new_context(viewport={"width": 360, "height": 740})
        page = open_scanner(context, live_server, signed_in_cookie(make_staff(), live_server))
        page.wait_for_selector('#result[data-result="checked_in"]', timeout=15_000)
        assert page.text_content("#result-name") == "Ona Petraitė"
        assert page.text_content("#result-type") == "Participant"
        # The camera keeps filming the badge: once the pause for the same code is over, it is a repeat.
        page.wait_for_selector('#result[data-result="already_checked_in"]', timeout=15_000)
        assert "First check-in today at" in page.text_content("#result-detail")
    finally:
        camera_browser.close()
    assert CheckIn.objects.filter(registration=registration).count() == 1


def test_offline_scan_is_answered_on_the_phone_and_synced_once(demo_tx, live_server, browser, tmp_path):
    registration = make_registration(demo_tx, badge_name="Jonas")
    video = badge_video(registration, tmp_path)
    cookie = signed_in_cookie(make_staff(), live_server)
    profile = tmp_path / "profile"
    launch = {"executable_path": CHROMIUM, "viewport": {"width": 360, "height": 740}}

    # First visit, online, with a camera that films no badge: the phone keeps the page and the data.
    context = browser.browser_type.launch_persistent_context(
        str(profile), args=CHROMIUM_ARGS + FAKE_CAMERA_ARGS, **launch
    )
    try:
        page = open_scanner(context, live_server, cookie)
        wait_until(page, "navigator.serviceWorker.controller !== null && window.checkinScanner.state.data !== null", 15)
        page.evaluate("window.CheckinStore.loadConference('vilnius-2017').then(d => { if (!d) throw 'not kept'; })")
        # Installable as an app (manifest, icons, service worker), as Chromium itself judges it.
        installability = context.new_cdp_session(page).send("Page.getInstallabilityErrors")
        assert installability["installabilityErrors"] == []
    finally:
        context.close()

    # Back at the door with no network: the page opens from the phone and the badge is answered there.
    context = browser.browser_type.launch_persistent_context(
        str(profile), args=CHROMIUM_ARGS + FAKE_CAMERA_ARGS + [f"--use-file-for-fake-video-capture={video}"], **launch
    )
    try:
        context.set_offline(True)
        page = context.new_page()
        page.goto(f"{live_server.url}/checkin/")
        page.wait_for_selector('#result[data-result="checked_in"][data-offline="true"]', timeout=15_000)
        assert page.text_content("#result-name") == "Jonas"
        assert page.text_content("#count-queued") == "1"
        assert CheckIn.objects.filter(registration=registration).count() == 0

        context.set_offline(False)
        wait_until(page, "document.getElementById('count-queued').textContent === '0'", 10)
        assert CheckIn.objects.filter(registration=registration).count() == 1
        # Later scans of the same badge are repeats, whichever way they are answered.
        page.wait_for_selector('#result[data-result="already_checked_in"]', timeout=15_000)
    finally:
        context.close()
    assert CheckIn.objects.filter(registration=registration).count() == 1
    assert ScanAttempt.objects.filter(registration=registration, offline=True).count() == 1


def test_offline_answers_check_the_signature_and_the_refused_list_in_the_browser(demo_tx, live_server, page):
    valid = make_registration(demo_tx, badge_name="Ona")
    cancelled = make_registration(demo_tx, badge_name="Petras", status=RegistrationStatus.CANCELLED)
    code = issue_badge_token(valid)
    forged = code[:50] + ("B" if code[50] != "B" else "C") + code[51:]
    open_scanner_offline(page, live_server)

    def answer_to(text):
        page.evaluate("code => window.checkinScanner.checkCode(code)", text)
        wait_until(page, "!document.getElementById('result').hidden", 5)
        answer = page.evaluate(
            "() => { const r = document.getElementById('result');"
            " const a = [r.dataset.result, r.dataset.offline, document.getElementById('result-name').textContent];"
            " r.click(); return a; }"
        )
        return tuple(answer)

    assert answer_to(forged) == ("invalid", "true", "")
    assert answer_to(issue_badge_token(cancelled)) == ("cancelled", "true", "Petras")
    assert answer_to(code) == ("checked_in", "true", "Ona")
    assert answer_to(code) == ("already_checked_in", "true", "Ona")
    assert page.text_content("#count-queued") == "1"
    assert CheckIn.objects.count() == 0

    page.context.set_offline(False)
    wait_until(page, "document.getElementById('count-queued').textContent === '0'", 10)
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [valid.pk]


POISON = (
    "{nonce: 'poisoned-1', code: 'X', conference: 'vilnius-2017', device: 'phone',"
    " gate: 'a'.repeat(59) + String.fromCharCode(0xD83D), scanned_at: '2000-01-01T00:00:00.000Z', offline: true}"
)


def test_a_poisoned_item_at_the_head_of_the_queue_is_dropped_with_a_note_and_the_rest_syncs(demo_tx, live_server, page):
    first, second = make_registration(demo_tx, badge_name="Ona"), make_registration(demo_tx, badge_name="Jonas")
    open_scanner_offline(page, live_server)
    # What an old scanner queued: half an emoji in the gate name (server answers 400), oldest of all.
    page.evaluate(f"window.CheckinStore.enqueue({POISON})")
    for registration in (first, second):
        scan_and_dismiss(page, registration)
    wait_until(page, "document.getElementById('count-queued').textContent === '3'", 5)
    assert page.is_hidden("#queue-note")

    page.context.set_offline(False)
    page.evaluate("window.checkinScanner.syncNow()")
    wait_until(page, "document.getElementById('count-queued').textContent === '0'", 10)
    assert sorted(CheckIn.objects.values_list("registration_id", flat=True)) == sorted([first.pk, second.pk])
    note = page.text_content("#queue-note")
    assert page.is_visible("#queue-note")
    assert "refused by the server: 1" in note and "“gate” contains characters that cannot be stored" in note
    # The note outlives a reload: door staff see it until they have read it.
    page.reload()
    wait_until(page, "document.getElementById('queue-note').textContent.includes('refused by the server: 1')", 5)


def test_a_server_error_is_retried_later_without_holding_back_the_queue(demo_tx, live_server, page):
    stuck, behind = make_registration(demo_tx, badge_name="Ona"), make_registration(demo_tx, badge_name="Jonas")
    open_scanner_offline(page, live_server)
    for registration in (stuck, behind):
        scan_and_dismiss(page, registration)
    stuck_code = issue_badge_token(stuck)
    failures = []

    def first_answer_fails(route):
        # The server falls over once for the oldest item (a real 5xx needs a broken server; the browser's own
        # network layer stands in for it); every other request reaches the live server.
        if stuck_code in (route.request.post_data or "") and not failures:
            failures.append(route.request.post_data)
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route("**/checkin/api/scan/", first_answer_fails)
    page.context.set_offline(False)
    page.evaluate("window.checkinScanner.syncNow()")
    wait_until(page, "document.getElementById('count-queued').textContent === '1'", 10)
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [behind.pk]
    queued = page.evaluate("window.CheckinStore.queued()")
    assert queued[0]["code"] == stuck_code and queued[0]["sync"]["attempts"] == 1
    assert page.is_hidden("#queue-note")
    # Not sent again before its back-off (4 s) is over, then sent by the regular sync.
    page.evaluate("window.checkinScanner.syncNow()")
    assert page.text_content("#count-queued") == "1"
    wait_until(page, "document.getElementById('count-queued').textContent === '0'", 15)
    assert sorted(CheckIn.objects.values_list("registration_id", flat=True)) == sorted([stuck.pk, behind.pk])


def test_gate_names_are_cut_by_code_points(demo_tx, live_server, page):
    registration = make_registration(demo_tx)
    page.context.add_cookies([signed_in_cookie(make_staff(), live_server)])
    page.goto(f"{live_server.url}/checkin/")
    wait_until(page, "window.checkinScanner.state.data !== null", 15)
    page.evaluate("document.getElementById('gate-name').value = 'a'.repeat(59) + '\\u{1F600}' + 'b'")
    page.evaluate("code => window.checkinScanner.checkCode(code)", issue_badge_token(registration))
    page.wait_for_selector('#result[data-result="checked_in"]', timeout=5_000)
    assert CheckIn.objects.get().gate == "a" * 59 + "\U0001f600"
