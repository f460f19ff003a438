"""The way in, shorter (issue 23, point 6): the registration form in numbered sections that work without
JavaScript, a real date field checked on the server, and a code page that names the address, re-sends within limits
and lets the visitor use another address."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from lxml import html as lxml_html

from conference.settings.base import ACCOUNT_RATE_LIMITS as PRODUCTION_RATE_LIMITS
from registration.models import PendingRegistration, Registration, RegistrationAnswer

from .registration_factories import make_outreach_type, make_type

pytestmark = pytest.mark.django_db

URL = "/vilnius-2017/register/"
EMAIL = "no.script@example.org"


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """client.post that runs the after-commit callbacks (the emails) as a real commit would."""

    def post(client, path, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


@pytest.fixture
def outreach(conference):
    return make_outreach_type(conference, slug="outreach-test")


def visitor_form(chosen_type, **extra):
    return {
        "email": EMAIL,
        "full_name": "Nadia No-Script",
        "badge_name": "Nadia",
        "country": "LT",
        "registration_type": chosen_type.slug,
        "consent_privacy": "on",
        **extra,
    }


def code_from(message):
    return re.search(r"\b(\d{6})\b", message.subject).group(1)


def page_of(response):
    return lxml_html.fromstring(response.content.decode())


def names_in(element):
    return [field.get("name") for field in element.xpath(".//*[self::input or self::select or self::textarea]")]


def test_the_form_is_in_four_numbered_sections_in_order(client, conference, outreach):
    page = page_of(client.get(URL))
    sections = page.xpath("//form[contains(@class, 'registration-form')]/section[contains(@class, 'form-section')]")
    headings = [" ".join(section.xpath("string(h2)").split()) for section in sections]
    assert headings == ["1 About you", "2 Your registration", "3 Visa", "4 Your agreement"]
    about, chosen, visa, agreement = sections
    assert names_in(about)[:5] == ["email", "full_name", "badge_name", "organisation", "country"]
    folded = about.xpath(".//details[contains(@class, 'form-more')]")[0]
    assert folded.get("open") is None
    assert names_in(folded) == [
        "role",
        "dietary_needs",
        "accessibility_needs",
        "interpretation_language",
        "photo_consent",
    ]
    assert "registration_type" in names_in(chosen)
    group = chosen.xpath(".//fieldset[@data-registration-type='outreach-test']")[0]
    position = [li.xpath("string(.//input/@value)") for li in chosen.xpath(".//li[contains(@class, 'type-option')]")]
    assert group.get("data-type-position") == str(position.index("outreach-test") + 1)
    passport = visa.xpath(".//div[contains(@class, 'passport-fields')]")[0]
    assert names_in(passport) == ["passport_name", "passport_number", "nationality", "date_of_birth"]
    assert names_in(agreement) == ["consent_privacy"]
    assert agreement.xpath(".//button[@type='submit']")
    # Nothing left out: every field of the form is in one of the sections.
    assert sorted(names_in(page.xpath("//form[contains(@class, 'registration-form')]")[0])) == sorted(
        ["csrfmiddlewaretoken", *(name for section in sections for name in names_in(section))]
    )


def test_the_date_of_birth_is_a_date_input(client, conference):
    field = page_of(client.get(URL)).xpath("//input[@name='date_of_birth']")[0]
    assert (field.get("type"), field.get("min"), field.get("autocomplete")) == ("date", "1900-01-01", "bday")


def test_a_folded_section_opens_when_one_of_its_fields_has_an_error(client, conference, outreach):
    response = client.post(URL, visitor_form(outreach, dietary_needs="x" * 501))
    folded = page_of(response).xpath("//details[contains(@class, 'form-more')]")[0]
    assert response.status_code == 400
    assert folded.get("open") is not None


def test_without_javascript_a_visitor_registers_with_questions_and_a_visa_letter(
    client, conference, outreach, post, mailoutbox
):
    question = outreach.questions.get()
    data = visitor_form(
        outreach,
        **{f"q_{question.pk}": "Kaunas"},
        dietary_needs="Vegetarian",
        needs_visa_letter="on",
        passport_name="NADIA NOSCRIPT",
        passport_number="AB7654321",
        nationality="GE",
        date_of_birth="1990-07-14",
    )
    assert post(client, URL, data)["Location"] == "/register/confirm/"
    assert post(client, "/register/confirm/", {"code": code_from(mailoutbox[-1])})["Location"] == "/my/"
    registration = Registration.objects.get(user__email=EMAIL)
    assert (registration.registration_type, registration.status, registration.dietary_needs) == (
        outreach,
        "confirmed",
        "Vegetarian",
    )
    assert RegistrationAnswer.objects.get(registration=registration).value == "Kaunas"
    letter = registration.visa_letter
    assert (letter.passport_number, letter.date_of_birth) == ("AB7654321", date(1990, 7, 14))


@pytest.mark.parametrize(
    ("prefix", "typed", "message"),
    [
        ("", "14.07.1990", "Enter the date as year-month-day, for example 1985-03-21."),
        ("/ru", "14.07.1990", "Введите дату в виде год-месяц-день, например 1985-03-21."),
        ("", "1899-12-31", "Check the date of birth: it cannot be in the future or before 1900."),
        (
            "/ru",
            str(date.today() + timedelta(days=1)),
            "Проверьте дату рождения: она не может быть в будущем или раньше 1900 года.",
        ),
    ],
)
def test_a_wrong_date_of_birth_is_refused_in_the_visitors_language(client, conference, prefix, typed, message):
    chosen = make_type(conference, capacity=5)
    data = visitor_form(
        chosen, needs_visa_letter="on", passport_name="N", passport_number="1", nationality="GE", date_of_birth=typed
    )
    response = client.post(prefix + URL, data)
    assert response.status_code == 400
    errors = page_of(response).xpath(
        "//input[@name='date_of_birth']/preceding-sibling::ul[contains(@class, 'errorlist')]"
    )
    assert [error.text_content().strip() for error in errors] == [message]
    assert not PendingRegistration.objects.exists()


class TestTheCodePage:
    @pytest.fixture(autouse=True)
    def _production_limits(self, settings):
        settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS

    def test_it_names_the_address_and_offers_a_new_code_and_another_address(self, conference, post):
        client = Client()
        post(client, URL, visitor_form(make_type(conference, capacity=5)))
        page = page_of(client.get("/register/confirm/"))
        assert EMAIL in page.xpath("string(//main//p[strong])")
        assert page.xpath("//form//input[@name='action' and @value='resend']/following-sibling::button")
        assert page.xpath("//form//input[@name='action' and @value='change_address']/following-sibling::button")

    @pytest.mark.parametrize(
        ("prefix", "refusal"),
        [("", "You have asked for several new codes in a short time"), ("/ru", "Вы несколько раз подряд запросили")],
    )
    def test_new_codes_are_rate_limited_and_the_last_code_still_works(
        self, conference, post, mailoutbox, prefix, refusal
    ):
        client = Client()
        post(client, prefix + URL, visitor_form(make_type(conference, capacity=5)))
        statuses = [post(client, prefix + "/register/confirm/", {"action": "resend"}).status_code for _ask in range(3)]
        assert statuses == [302, 302, 429]  # the form's own code and two new ones: three in ten minutes
        assert len(mailoutbox) == 3
        refused = post(client, prefix + "/register/confirm/", {"action": "resend"})
        assert refused.status_code == 429 and len(mailoutbox) == 3
        text = " ".join(page_of(refused).xpath("string(//main)").split())
        assert refusal in text and EMAIL in text
        assert page_of(refused).xpath("//form[contains(@class, 'confirm-code-form')]")  # the code can still be typed
        response = post(client, prefix + "/register/confirm/", {"code": code_from(mailoutbox[-1])})
        assert response["Location"] == prefix + "/my/"
        assert Registration.objects.filter(user__email=EMAIL).exists()
