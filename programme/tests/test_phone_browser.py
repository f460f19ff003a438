"""The programme on a phone (360 × 740) in a real Chromium: the first session on the first screen, day tabs
that stay at hand and work by keyboard, filters folded behind one control with labels in full, link texts an
attendee understands; the same for now-and-next. Without JavaScript where it matters."""

import pytest

pytestmark = [pytest.mark.browser]

PROGRAMME = "/vilnius-2017/programme/"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_first_session_is_inside_the_first_viewport(phone, live_server, demo_tx, prefix):
    phone.goto(live_server.url + prefix + PROGRAMME)
    box = phone.locator(".session-item").first.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE["height"], box


def test_day_tabs_are_reached_by_keyboard_and_enter_opens_the_day(browser, live_server, demo_tx):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + PROGRAMME)
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = "!!document.activeElement.closest('.day-tabs') && document.activeElement.textContent.includes('5')"
        if page.evaluate(focused):
            break
    else:
        raise AssertionError("the day tab of 5 April is not in the tab order")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url("**/programme/?day=2017-04-05")
    assert page.locator(".programme-day h2").all_inner_texts() == ["Wednesday 5 April 2017"]
    assert page.locator(".day-tabs [aria-current=page]").text_content().split() == ["Wed", "5", "Apr"]
    context.close()


def test_day_tabs_keep_the_other_filters(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME + "?track=funding-after-transition")
    hrefs = phone.locator(".day-tabs a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [
        PROGRAMME + "?track=funding-after-transition",
        PROGRAMME + "?day=2017-04-04&track=funding-after-transition",
        PROGRAMME + "?day=2017-04-05&track=funding-after-transition",
        PROGRAMME + "?day=2017-04-06&track=funding-after-transition",
    ]


def test_day_tabs_stay_at_the_top_while_scrolling(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME)
    phone.mouse.wheel(0, 4000)
    phone.wait_for_timeout(200)
    assert phone.evaluate("window.scrollY") > 3000
    box = phone.locator(".day-tabs").bounding_box()
    assert 0 <= box["y"] < 2
    assert phone.locator(".day-tabs a", has_text="6 Apr").is_visible()


def test_filters_are_folded_behind_one_control_with_labels_in_full(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME)
    assert not phone.locator("#filter-track").is_visible()
    phone.get_by_text("Filter sessions").click()
    for field in ("day", "track", "room", "kind", "language"):
        select = phone.locator(f"#filter-{field}")
        assert select.is_visible()
        # The chosen option's text fits the field (it used to read "Any languag").
        fits = select.evaluate(
            """(select) => {
                const canvas = document.createElement('canvas').getContext('2d');
                const style = getComputedStyle(select);
                canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const text = select.options[select.selectedIndex].text;
                return canvas.measureText(text).width + 40 <= select.clientWidth;
            }"""
        )
        assert fits, field
        label = phone.locator(f"label[for=filter-{field}]")
        assert label.evaluate("(label) => label.scrollWidth <= label.clientWidth"), field


def test_active_filters_keep_the_filter_control_open(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME + "?track=funding-after-transition")
    assert phone.locator("details.programme-tools__filters").get_attribute("open") is not None
    assert phone.locator("#filter-track").is_visible()


def test_link_texts_say_what_they_do(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME)
    assert phone.get_by_role("link", name="Add to calendar").get_attribute("href") == PROGRAMME + "schedule.ics"
    assert phone.get_by_role("link", name="For conference apps").get_attribute("href") == PROGRAMME + "schedule.xml"
    assert phone.get_by_role("link", name="My sessions").get_attribute("href") == "/my/#my-agenda"
    assert phone.get_by_role("link", name="frab XML").count() == 0


def test_my_sessions_leads_a_visitor_to_sign_in_and_then_to_the_agenda(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME)
    phone.get_by_role("link", name="My sessions").click()
    phone.wait_for_load_state()
    assert phone.url.startswith(live_server.url + "/accounts/login/?next=/my/")


def test_now_and_next_shows_a_session_on_the_first_screen(phone, live_server, demo_tx):
    phone.goto(live_server.url + PROGRAMME + "now/?at=2017-04-05T10:00")
    box = phone.locator(".session-item").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert phone.get_by_role("link", name="The whole programme").get_attribute("href") == PROGRAMME
    assert phone.get_by_role("link", name="My sessions").get_attribute("href") == "/my/#my-agenda"
