"""WCAG 2.1 AA, measured: axe-core (tests/assets, never served by the site) runs in Chromium on every key page,
in English and Russian, at phone width and desktop width; no serious or critical violation is allowed."""

from pathlib import Path

import pytest
from django.test import Client

from conftest import get_demo_conference
from programme import agenda
from programme.models import SessionPage
from registration.models import RegistrationType
from registration.tests.checkin_factories import make_staff
from registration.tests.registration_factories import make_user, register

pytestmark = [pytest.mark.browser]

AXE = next((Path(__file__).parent / "assets").glob("axe-core-*/axe.min.js"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
SIGNED_OUT_PAGES = [
    ("home", "/"),
    ("conference", "/vilnius-2017/"),
    ("programme", "/vilnius-2017/programme/"),
    ("session", "/vilnius-2017/programme/from-street-to-government/"),
    ("speaker", "/vilnius-2017/speakers/giorgi-demo-beridze/"),
    ("sign-in", "/accounts/login/"),
    ("programme with filters open", "/vilnius-2017/programme/?track=funding-after-transition"),
    ("now and next", "/vilnius-2017/programme/now/?at=2017-04-05T10:00"),
    ("printable programme", "/vilnius-2017/programme/print/"),
]
SIGNED_IN_PAGES = [
    ("registration", "/vilnius-2017/register/"),
    ("my", "/my/"),
    ("programme signed in", "/vilnius-2017/programme/?day=2017-04-04"),
]


def serious_violations(page):
    """Run axe-core on the loaded page; the serious and critical violations as readable lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    lines = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def signed_in_cookie(live_server):
    """A session cookie of an attendee with a verified email, a confirmed registration, stars and a feed."""
    user = make_user()
    conference = get_demo_conference()
    registration_type = RegistrationType.objects.filter(conference=conference).order_by("-capacity").first()
    register(user, conference, registration_type)
    for slug in ("community-led-testing", "costing-harm-reduction", "opening"):
        session = SessionPage.objects.get(slug=slug, locale__language_code="en")
        agenda.set_starred(user=user, session_id=session.pk, starred=True)
    agenda.issue_feed(user=user)
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def audit(browser, live_server, pages, *, language, cookie=None):
    """{"<page> <viewport>": [violations]} for each page with any."""
    prefix = "" if language == "en" else f"/{language}"
    found = {}
    for viewport_name, viewport in VIEWPORTS.items():
        # bypass_csp: the site's Content Security Policy rightly refuses the injected axe script.
        context = browser.new_context(viewport=viewport, bypass_csp=True, locale=language)
        if cookie:
            context.add_cookies([cookie])
        page = context.new_page()
        for name, path in pages:
            response = page.goto(live_server.url + prefix + path)
            assert response.status == 200, f"{prefix}{path} answered {response.status}"
            assert page.url == live_server.url + prefix + path, f"{prefix}{path} went to {page.url}"
            assert page.locator("html").get_attribute("lang") == language
            violations = serious_violations(page)
            if violations:
                found[f"{name} {viewport_name}"] = violations
        context.close()
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
def test_signed_out_pages_have_no_serious_axe_violations(browser, live_server, demo_tx, language):
    assert audit(browser, live_server, SIGNED_OUT_PAGES, language=language) == {}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_signed_in_pages_have_no_serious_axe_violations(browser, live_server, demo_tx, language):
    cookie = signed_in_cookie(live_server)
    assert audit(browser, live_server, SIGNED_IN_PAGES, language=language, cookie=cookie) == {}


def test_my_page_audited_with_agenda_clash_and_feed(browser, live_server, demo_tx):
    """The signed-in audit sees the full /my/: a badge, starred sessions with a clash, the feed link."""
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([signed_in_cookie(live_server)])
    page = context.new_page()
    page.goto(live_server.url + "/my/")
    assert page.locator("#my-agenda .agenda-item").count() == 3
    assert page.locator("#my-agenda .agenda-item--clash").count() == 2
    assert page.locator("#agenda-feed-url").count() == 1
    assert page.locator('a[href$=".pdf"]').count() >= 1
    context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_sign_in_form_with_errors_has_no_serious_axe_violations(browser, live_server, demo_tx, language):
    prefix = "" if language == "en" else f"/{language}"
    context = browser.new_context(viewport=VIEWPORTS["phone"], bypass_csp=True, locale=language)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/accounts/login/")
    page.fill("input[name=login]", "nobody@example.org")
    page.fill("input[name=password]", "wrong password")
    page.locator("form[action*='login'] [type=submit]").first.click()
    page.wait_for_load_state()
    assert serious_violations(page) == []
    context.close()


def test_axe_finds_a_known_violation(browser, live_server, demo_tx):
    """The harness itself: an image without alt text and a low-contrast line must be reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const img = document.createElement('img'); img.src = '/static/img/favicon.svg';
            document.querySelector('main').appendChild(img);
            const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#eeeeee';
            document.querySelector('main').appendChild(p);
        }"""
    )
    violations = serious_violations(page)
    context.close()
    assert any(line.startswith("image-alt (critical)") for line in violations)
    assert any(line.startswith("color-contrast (serious)") for line in violations)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(browser, live_server, demo_tx):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(live_server.url + "/vilnius-2017/programme/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    context.close()


def test_star_is_reached_and_toggled_by_keyboard_with_a_visible_focus(browser, live_server, demo_tx):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(live_server.url + "/vilnius-2017/programme/?day=2017-04-04")
    first_star = page.locator(".star-button").first
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('star-button')"):
            break
    else:
        raise AssertionError("no star button in the tab order")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    first_star.locator(".star-button__label", has_text="Remove from my agenda").wait_for()
    context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_registration_form_with_errors_has_no_serious_axe_violations(browser, live_server, demo_tx, language):
    prefix = "" if language == "en" else f"/{language}"
    context = browser.new_context(viewport=VIEWPORTS["phone"], bypass_csp=True, locale=language)
    context.add_cookies([signed_in_cookie_without_registration(live_server)])
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/vilnius-2017/register/")
    # Skip the browser's own checks so that the server's error messages are what gets audited.
    page.evaluate("document.querySelectorAll('form').forEach((form) => { form.noValidate = true; })")
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 3
    assert serious_violations(page) == []
    context.close()


def signed_in_cookie_without_registration(live_server):
    client = Client()
    client.force_login(make_user())
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_door_scanner_without_a_camera_has_no_serious_axe_violations(browser, live_server, demo_tx, language):
    client = Client()
    client.force_login(make_staff())
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    assert audit(browser, live_server, [("scanner", "/checkin/")], language=language, cookie=cookie) == {}
