"""Light pages: the programme's first load (HTML, CSS, JS; images aside) stays under 150 kB on the wire, and
the programme works without JavaScript: filters, session pages, the star."""

import pytest

pytestmark = [pytest.mark.browser]

BUDGET_BYTES = 150_000
PROGRAMME = "/vilnius-2017/programme/"


def first_load_bytes(browser, url):
    """{resource URL: bytes on the wire (headers + body)} for every non-image resource of a cold first load."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    responses = []
    # A lambda, not the bound method: Playwright tags the handler with an attribute, which a builtin cannot take.
    page.on("requestfinished", lambda request: responses.append(request))  # noqa: PLW0108
    page.goto(url)
    page.wait_for_load_state("networkidle")
    weights = {}
    for request in responses:
        if request.resource_type in ("image", "media"):
            continue
        sizes = request.sizes()
        weights[request.url] = sizes["responseHeadersSize"] + sizes["responseBodySize"]
    context.close()
    return weights


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_programme_first_load_is_under_150_kb(browser, live_server, demo_tx, prefix):
    weights = first_load_bytes(browser, live_server.url + prefix + PROGRAMME)
    total = sum(weights.values())
    print(f"programme first load {prefix or '(en)'}: {total} bytes in {len(weights)} files")  # bin/test -s shows it
    assert live_server.url + prefix + PROGRAMME in weights
    assert any(url.endswith(".css") for url in weights)
    assert any(url.endswith(".js") for url in weights)
    assert total < BUDGET_BYTES, f"{total} bytes: {sorted(weights.items(), key=lambda item: -item[1])}"


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_programme_filters_work_without_javascript(page_without_js, live_server, demo_tx):
    page = page_without_js
    page.goto(live_server.url + PROGRAMME)
    all_sessions = page.locator(".session-item").count()
    page.get_by_text("Filter sessions").click()
    page.select_option("#filter-day", "2017-04-05")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_load_state()
    # The form sends its empty fields too; the programme redirects to the one address of that choice.
    assert page.url == live_server.url + PROGRAMME + "?day=2017-04-05"
    assert 0 < page.locator(".session-item").count() < all_sessions
    assert page.locator("h2", has_text="5 April").count() == 1


def test_session_page_opens_from_the_programme_without_javascript(page_without_js, live_server, demo_tx):
    page = page_without_js
    page.goto(live_server.url + PROGRAMME)
    page.get_by_role("link", name="Naloxone in every pocket").first.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + PROGRAMME + "naloxone-in-every-pocket/"
    assert page.locator("h1").inner_text() == "Naloxone in every pocket"


def test_star_without_javascript_leads_to_sign_in_and_back(page_without_js, live_server, demo_tx):
    page = page_without_js
    page.goto(live_server.url + PROGRAMME)
    page.locator(".session-item .star-button").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/accounts/login/?next=%2Fvilnius-2017%2Fprogramme%2F%23session-")
