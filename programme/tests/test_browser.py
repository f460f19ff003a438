"""The programme in a real Chromium: a list on phones, rooms as columns on wide screens, one printed page per
day, and filters that work by keyboard without JavaScript."""

import pytest

pytestmark = [pytest.mark.browser]

PROGRAMME = "/vilnius-2017/programme/"


def test_programme_fits_a_phone_screen(page, live_server, demo_tx):
    page.goto(live_server.url + PROGRAMME)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    titles = page.locator(".session-item__title").all_inner_texts()
    assert titles[:2] == [
        "Opening: harm reduction in the new environment",
        "From Street to Government: 176 cases and what they changed",
    ]


def test_wide_screen_puts_rooms_side_by_side(browser, live_server, demo_tx):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + PROGRAMME + "?day=2017-04-04")
    vilnius = page.get_by_role("link", name="Community-led HIV testing that lasts").bounding_box()
    trakai = page.get_by_role("link", name="Naloxone in every pocket").bounding_box()
    assert trakai["x"] > vilnius["x"] + 300
    assert abs(trakai["y"] - vilnius["y"]) < 2
    context.close()


def test_printed_programme_starts_each_day_on_a_new_page(page, live_server, demo_tx):
    page.goto(live_server.url + PROGRAMME + "print/")
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".print-day", "days => days.map(d => getComputedStyle(d).breakBefore)")
    assert breaks == ["auto", "page", "page"]
    assert (
        page.locator(".programme-filters, .site-header").evaluate_all("els => els.filter(e => e.offsetParent).length")
        == 0
    )


def test_filters_work_by_keyboard_without_javascript(browser, live_server, demo_tx):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + PROGRAMME)
    page.locator("summary", has_text="Filter sessions").press("Enter")  # the filters are folded on a phone
    page.get_by_label("Track").focus()
    page.keyboard.press("End")  # the last track: Funding after donor transition
    page.get_by_role("button", name="Show sessions").press("Enter")
    page.wait_for_url("**track=funding-after-transition**")
    assert "Costing harm reduction for transition plans" in page.content()
    assert "Chemsex and harm reduction" not in page.content()
    context.close()
