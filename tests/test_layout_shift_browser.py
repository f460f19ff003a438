"""A layout that does not jump: at phone width (360 px) the cumulative layout shift of the home, programme and
session pages stays under 0.1 in English and Russian, measured by Chromium's own layout-shift entries while the
webfonts arrive late (each font file held back, as on a slow phone network), so that the swap from the fallback
font to Golos Text is part of what is measured."""

import time

import pytest

pytestmark = [pytest.mark.browser]

PAGES = ["/", "/vilnius-2017/programme/", "/vilnius-2017/programme/from-street-to-government/"]
FONT_DELAY_SECONDS = 0.6

# Sums layout-shift entries the way Lighthouse's CLS does for a load without input.
OBSERVE_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def hold_back_fonts(route):
    time.sleep(FONT_DELAY_SECONDS)
    route.continue_()


def layout_shift(browser, url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(OBSERVE_SHIFTS)
    fonts = []
    page.on("requestfinished", lambda request: fonts.append(request.url) if request.url.endswith(".woff2") else None)
    page.route("**/*.woff2", hold_back_fonts)
    response = page.goto(url, wait_until="load")
    assert response.status == 200, url
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # let the last swap paint
    shift = page.evaluate("window.__layoutShift")
    loaded = page.evaluate("[...document.fonts].filter(font => font.status === 'loaded').length")
    context.close()
    assert fonts and loaded, f"no webfont was loaded on {url}: the measurement would miss the swap"
    return shift


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_pages_do_not_jump_when_the_webfont_arrives(browser, live_server, demo_tx, prefix):
    shifts = {path: layout_shift(browser, live_server.url + prefix + path) for path in PAGES}
    assert {path: round(shift, 3) for path, shift in shifts.items() if shift >= 0.1} == {}, shifts
