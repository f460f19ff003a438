"""Property tests: whatever a visitor or a script sends to the programme's filters, `?at=`, the agenda import
and the star endpoints (any text, NUL, lone surrogates, 100 kB, any JSON value, any nesting), the answer is
a page or a 4xx with a JSON error, never a 5xx."""

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROGRAMME = "/vilnius-2017/programme/"
NOW = "/vilnius-2017/programme/now/"
EXPORT = "/vilnius-2017/programme/schedule.json"
IMPORT = "/agenda/import/"

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Any text, lone surrogates included; a browser or a script sends such text as bytes that are not UTF-8.
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())),
    st.just("\x00"),
    st.just("\ud800"),
    st.just("x" * 100_000),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)


def encoded(text):
    """Percent-encode `text` the way it reaches the server, lone surrogates as the bytes they would be."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def never_5xx(response):
    assert response.status_code < 500, response.content[:500]
    return response


def deeply_nested(depth, opener="[", closer="]"):
    return opener * depth + closer * depth


@PROPERTY
@given(value=any_text)
def test_now_and_next_at_never_5xx(client, value):
    response = never_5xx(client.get(f"{NOW}?at={encoded(value)}"))
    assert response.status_code in (200, 400)


@PROPERTY
@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 1),
        max_value=datetime(9999, 12, 31, 23, 59),
        timezones=st.none()
        | st.builds(
            timezone,
            st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)),
        ),
    )
)
def test_now_and_next_any_moment_never_5xx(client, moment):
    never_5xx(client.get(NOW, {"at": moment.isoformat()}))


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59-05:00", "9999-12-31T23:59+14:00"])
def test_now_and_next_at_the_ends_of_time_is_a_clear_400(client, at):
    response = client.get(NOW, {"at": at})
    assert response.status_code == 400
    assert "YYYY-MM-DDTHH:MM" in response.content.decode()


@PROPERTY
@given(
    name=st.sampled_from(["day", "track", "room", "kind", "language", "q", "at"]),
    value=any_text,
    path=st.sampled_from([PROGRAMME, EXPORT, NOW]),
)
def test_programme_filters_never_5xx(client, name, value, path):
    never_5xx(client.get(f"{path}?{name}={encoded(value)}"))


@pytest.fixture
def signed_in(db, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="stars", email="stars@example.org"))
    return client


@PROPERTY
@given(payload=json_values)
def test_agenda_import_any_json_value_never_5xx(signed_in, payload):
    for body in (payload, {"sessions": payload}):
        response = never_5xx(signed_in.post(IMPORT, json.dumps(body), content_type="application/json"))
        if response.status_code >= 400:
            assert "error" in response.json()


@PROPERTY
@given(depth=st.integers(min_value=1, max_value=200_000), kind=st.sampled_from(["list", "dict", "sessions"]))
def test_agenda_import_any_nesting_never_5xx(signed_in, depth, kind):
    body = {
        "list": deeply_nested(depth),
        "dict": '{"a":' * depth + "1" + "}" * depth,
        "sessions": '{"sessions": ' + deeply_nested(depth) + "}",
    }[kind]
    response = never_5xx(signed_in.post(IMPORT, body, content_type="application/json"))
    if response.status_code >= 400:
        assert "error" in response.json()


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_agenda_import_deep_nesting_is_a_400_with_json_error(signed_in, depth):
    response = signed_in.post(IMPORT, '{"sessions": ' + deeply_nested(depth) + "}", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


@PROPERTY
@given(body=any_text)
def test_agenda_import_any_text_body_never_5xx(signed_in, body):
    never_5xx(signed_in.post(IMPORT, body.encode("utf-8", "surrogatepass"), content_type="application/json"))
    never_5xx(signed_in.post(IMPORT, f"session={encoded(body)}", content_type="application/x-www-form-urlencoded"))


@PROPERTY
@given(
    session_id=st.integers(min_value=0, max_value=10**30),
    starred=any_text,
    as_json=st.booleans(),
    user=st.sampled_from(["anonymous", "signed_in"]),
)
def test_star_endpoint_never_5xx(signed_in, session_id, starred, as_json, user):
    client = signed_in if user == "signed_in" else Client()
    headers = {"Accept": "application/json"} if as_json else {}
    response = never_5xx(
        client.post(
            f"/agenda/star/{session_id}/",
            f"starred={encoded(starred)}&next={encoded(starred)}",
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    )
    if as_json and response.status_code >= 400:
        assert "error" in response.json()
