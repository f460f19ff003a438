"""Property tests over every public form and the pages that take a value from the URL (issue 21, point 9): any
text in any field (NUL, control characters, lone surrogates, 100 kB, unknown extra fields), anonymous or signed
in, answers a page or a 4xx, never a 5xx. Runs on SQLite and on PostgreSQL (CI runs both), where NUL and lone
surrogates are what breaks a query. The door API and the programme's filters have their own property tests."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registration.models import Registration
from registration.tests.registration_factories import make_type, make_user, register

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

any_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=40),
    st.sampled_from(["\x00", "\ud800", "a\x07b", "\ufffe\uffff", "x" * 100_000, "2017-02-30", "UA", "on"]),
)
REGISTRATION_FIELDS = [
    "email",
    "full_name",
    "badge_name",
    "organisation",
    "country",
    "registration_type",
    "consent_privacy",
    "needs_visa_letter",
    "passport_name",
    "passport_number",
    "nationality",
    "date_of_birth",
]
forms = st.dictionaries(
    st.one_of(st.sampled_from(REGISTRATION_FIELDS + ["code", "action", "next", "login", "password"]), any_text),
    any_text,
    max_size=12,
)


def encoded(text):
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields):
    """The urlencoded body a browser or a script sends, lone surrogates as the bytes they would be."""
    return "&".join(f"{encoded(name)}={encoded(value)}" for name, value in fields.items())


def post(client, path, fields):
    response = client.post(path, form_body(fields), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (path, response.status_code, response.content[:300])
    return response


ANONYMOUS_FORMS = [
    "/vilnius-2017/register/",
    "/ru/vilnius-2017/register/",
    "/register/confirm/",
    "/accounts/code/",
    "/accounts/code/confirm/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


@pytest.mark.parametrize("path", ANONYMOUS_FORMS)
@PROPERTY
@given(fields=forms)
def test_anonymous_forms_never_5xx(conference, path, fields):
    post(Client(), path, fields)


@PROPERTY
@given(fields=forms)
def test_the_code_screens_with_a_form_waiting_never_5xx(conference, fields):
    workshop = make_type(conference, capacity=3)
    client = Client()
    post(
        client,
        "/vilnius-2017/register/",
        {
            "email": "waiting@example.org",
            "full_name": "Wait",
            "badge_name": "Wait",
            "organisation": "Org",
            "country": "GE",
            "registration_type": workshop.slug,
            "consent_privacy": "on",
        },
    )
    post(client, "/register/confirm/", fields)
    post(client, "/accounts/code/", {"email": "waiting@example.org"})
    post(client, "/accounts/code/confirm/", fields)


@PROPERTY
@given(value=any_text)
def test_values_in_the_url_never_5xx(conference, value):
    client = Client()
    for path in [
        f"/verify/{encoded(value)}/",
        f"/register/confirm/{encoded(value)}/",
        f"/accounts/code/{encoded(value)}/",
        f"/accounts/code/?next={encoded(value)}&email={encoded(value)}",
        f"/accounts/login/?next={encoded(value)}",
        f"/vilnius-2017/register/?{encoded(value)}={encoded(value)}",
    ]:
        response = client.get(path)
        assert response.status_code < 500, (path, response.content[:300])
        if not value.startswith("x" * 1000):
            post(client, path.split("?")[0], {"x": value})


@PROPERTY
@given(fields=forms)
def test_signed_in_forms_never_5xx(conference, fields):
    user = make_user()
    registration = register(user, conference, make_type(conference, capacity=3))
    client = Client()
    client.force_login(user)
    for path in [
        "/vilnius-2017/register/",
        f"/my/registrations/{registration.pk}/edit/",
        f"/my/registrations/{registration.pk}/cancel/",
        "/my/delete-account/",
        "/agenda/import/",
    ]:
        post(client, path, fields)
    assert Registration.objects.filter(user=user).count() <= 1
