"""The identity in a real Chromium: every page loads only from our own server, and the text face is our
self-hosted Golos Text (one preloaded file, the rest by unicode-range)."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser]

PAGES = {
    "home": "/",
    "conference": "/vilnius-2017/",
    "programme": "/vilnius-2017/programme/",
    "session": "/vilnius-2017/programme/naloxone-in-every-pocket/",
    "speaker": "/vilnius-2017/speakers/giorgi-demo-beridze/",
    "register": "/vilnius-2017/register/",
}
FONT_FOLDER = "/static/vendor/golos-text-5.3.0/"


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_pages_request_nothing_from_another_host(browser, live_server, demo_tx, prefix):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES.values():
        response = page.goto(live_server.url + prefix + path)
        assert response.status == 200, prefix + path
        page.wait_for_load_state("networkidle")
    context.close()
    own = urlsplit(live_server.url).netloc
    assert len(requested) > len(PAGES)
    assert [url for url in requested if urlsplit(url).netloc != own and not url.startswith("data:")] == []


@pytest.mark.parametrize(("prefix", "script"), [("", "latin"), ("/ru", "cyrillic")])
def test_text_is_set_in_our_own_font_from_our_static_files(browser, live_server, demo_tx, prefix, script):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    fonts = []
    page.on("response", lambda response: fonts.append(response) if response.request.resource_type == "font" else None)
    page.goto(live_server.url + prefix + PAGES["programme"])
    page.wait_for_load_state("networkidle")
    preloads = page.locator("link[rel=preload][as=font]")
    assert preloads.count() == 1
    assert f"golos-text-{script}-400-normal" in preloads.get_attribute("href")
    assert fonts, "no font file was loaded"
    for response in fonts:
        assert response.url.startswith(live_server.url + FONT_FOLDER), response.url
        assert response.url.split("?")[0].endswith(".woff2")
        assert response.status == 200
    assert any(f"golos-text-{script}-400-normal" in response.url for response in fonts)
    assert page.evaluate("document.fonts.check('16px \"Golos Text\"')")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Golos Text"')
    context.close()


def test_font_ships_with_its_licence():
    folder = settings.BASE_DIR / "static" / "vendor" / "golos-text-5.3.0"
    assert "SIL Open Font License" in (folder / "LICENSE").read_text()
    assert "@fontsource/golos-text@5.3.0" in (folder / "README.md").read_text()
    assert {path.name for path in folder.glob("*.woff2")} >= {
        "golos-text-latin-400-normal.woff2",
        "golos-text-cyrillic-400-normal.woff2",
    }
