"""The registration form section by section in Chromium at 360 px, in English and Russian, and without JavaScript:
only what the chosen type needs shows, nothing scrolls sideways, every control is a 44 px target, and the
registration reaches the database through the code page."""

import re

import pytest

from registration.models import Registration

from .registration_factories import make_outreach_type

pytestmark = pytest.mark.browser

TOUCH = 44  # CSS px, WCAG 2.5.5

# The size of what a finger can hit for each visible control: a button's box, or a box's or radio's label.
TARGETS = """(root) => Array.from(root.querySelectorAll("button, summary, input[type=checkbox], input[type=radio]"))
  .filter((control) => {
    const box = control.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(control).visibility !== "hidden";
  })
  .map((control) => {
    const target = control.matches("input") ? (control.labels[0] || control) : control;
    const box = target.getBoundingClientRect();
    return {name: control.name || control.textContent.trim().slice(0, 40), width: box.width, height: box.height};
  })"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def small_targets(page, selector):
    targets = page.locator(selector).evaluate(TARGETS)
    assert targets
    return [target for target in targets if target["width"] < TOUCH or target["height"] < TOUCH]


@pytest.fixture
def phone(browser, request):
    """A 360 px page; `request.param` says whether JavaScript runs."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-GB", java_script_enabled=request.param
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def outreach(demo_tx):
    return make_outreach_type(demo_tx, slug="outreach-browser", naloxone_question=True)


def fill_about_you(page, email):
    """Section 1: about you, the optional details folded until asked for."""
    about = page.locator(".form-section").nth(0)
    about.locator("[name=email]").fill(email)
    about.locator("[name=full_name]").fill("Sofia Sections")
    about.locator("[name=badge_name]").fill("Sofia")
    about.locator("[name=country]").select_option("LT")
    assert not about.locator("[name=dietary_needs]").is_visible()
    about.locator("details.form-more > summary").click()
    about.locator("[name=dietary_needs]").fill("Vegan")
    assert small_targets(page, ".form-section >> nth=0") == []


def choose_the_type(page):
    """Section 2: the type, and only its own questions once it is chosen."""
    questions = page.locator("#questions-outreach-browser")
    assert not questions.is_visible()
    page.locator("label[for=type-outreach-browser]").click()
    assert questions.is_visible()
    assert page.locator(".type-questions:visible").count() == 1
    questions.locator("input[type=text]").fill("Kaunas")
    questions.locator("input[type=radio]").first.check()
    assert small_targets(page, ".form-section >> nth=1") == []
    assert page.evaluate(SIDEWAYS) <= 0


def ask_for_a_visa_letter(page):
    """Section 3: the passport fields only once the letter is asked for; the date of birth is a date field."""
    visa = page.locator(".form-section").nth(2)
    assert not visa.locator("[name=passport_name]").is_visible()
    visa.locator("label[for=id_needs_visa_letter]").click()
    visa.locator("[name=passport_name]").fill("SOFIA SECTIONS")
    visa.locator("[name=passport_number]").fill("CD1234567")
    visa.locator("[name=nationality]").select_option("UA")
    birth = visa.locator("[name=date_of_birth]")
    assert birth.get_attribute("type") == "date"
    birth.fill("1988-02-29")
    assert birth.bounding_box()["height"] >= TOUCH
    assert small_targets(page, ".form-section >> nth=2") == []
    assert page.evaluate(SIDEWAYS) <= 0


@pytest.mark.parametrize(
    ("phone", "prefix", "headings", "registered_text"),
    [
        (
            True,
            "",
            ["1 About you", "2 Your registration", "3 Visa", "4 Your agreement"],
            "Your registration is confirmed",
        ),
        (True, "/ru", ["1 О вас", "2 Ваша регистрация", "3 Виза", "4 Ваше согласие"], "Ваша регистрация подтверждена"),
        (
            False,
            "",
            ["1 About you", "2 Your registration", "3 Visa", "4 Your agreement"],
            "Your registration is confirmed",
        ),
    ],
    indirect=["phone"],
    ids=["en", "ru", "en-without-javascript"],
)
def test_register_section_by_section_on_a_phone(
    request, phone, live_server, outreach, mailoutbox, prefix, headings, registered_text
):
    page = phone
    email = f"sections.{request.node.callspec.id}@example.org"
    page.goto(f"{live_server.url}{prefix}/vilnius-2017/register/")
    assert [" ".join(text.split()) for text in page.locator("form .form-section > h2").all_inner_texts()] == headings
    assert page.evaluate(SIDEWAYS) <= 0

    fill_about_you(page, email)
    choose_the_type(page)
    ask_for_a_visa_letter(page)

    # 4: the agreement, and off to the code page.
    page.locator("label[for=id_consent_privacy]").click()
    assert small_targets(page, ".form-section >> nth=3") == []
    page.locator(".form-section >> nth=3").locator("button[type=submit]").click()
    page.wait_for_url(f"**{prefix}/register/confirm/")
    assert email in page.locator("main").inner_text()
    assert small_targets(page, "main") == []
    assert page.evaluate(SIDEWAYS) <= 0
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].subject).group(1)
    page.fill("[name=code]", code)
    page.locator("main form.confirm-code-form [type=submit]").click()
    page.wait_for_url(f"**{prefix}/my/")
    assert page.get_by_text(registered_text).first.is_visible()

    registration = Registration.objects.get(user__email=email)
    assert (registration.registration_type, registration.status, registration.dietary_needs) == (
        outreach,
        "confirmed",
        "Vegan",
    )
    assert sorted(registration.answers.values_list("value", flat=True)) == ["Kaunas", "Yes"]
    assert str(registration.visa_letter.date_of_birth) == "1988-02-29"
