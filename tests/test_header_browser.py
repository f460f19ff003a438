"""The site header on a 360 × 740 phone in a real Chromium, in English and Russian: no sideways scrolling, every
header link wholly on screen (no word cut at the edge), and Register shown as the call to action."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
PAGES = ["/", "/vilnius-2017/", "/vilnius-2017/programme/"]


def header_links_out_of_view(page):
    """Header links (brand, main links, other language) whose box is not wholly inside the viewport's width."""
    boxes = {}
    for link in page.locator(".site-header a").all():
        if link.is_visible():
            boxes[link.inner_text()] = link.bounding_box()
    assert boxes, "the header has no visible links"
    return {text: box for text, box in boxes.items() if box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]}


def signed_in_cookie(live_server):
    client = Client()
    client.force_login(get_user_model().objects.create_user(username="reader", email="reader@example.org"))
    return {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
        "expires": time.time() + 3600,
    }


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_header_fits_a_360_px_phone_without_sideways_scrolling(browser, live_server, demo_tx, prefix):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    # Visitors see "Sign in", signed-in readers the longer "My conference": both must fit.
    for signed_in in (False, True):
        if signed_in:
            context.add_cookies([signed_in_cookie(live_server)])
        for path in PAGES:
            where = f"{prefix}{path} signed in={signed_in}"
            assert page.goto(live_server.url + prefix + path).status == 200, where
            page.evaluate("document.fonts.ready.then(() => true)")  # widths in our own font, not the fallback
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], where
            assert page.evaluate("document.querySelector('.site-nav').scrollWidth") <= PHONE["width"], where
            assert header_links_out_of_view(page) == {}, where
            if path != "/":
                register = page.locator(".site-nav a.site-nav__cta")
                assert register.inner_text() == ("Зарегистрироваться" if prefix else "Register"), where
                box = register.bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] / 3, where
    context.close()
