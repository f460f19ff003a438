"""Property tests for the door API: any JSON value, any string (NUL, lone surrogates, 100 kB), any nesting
depth and impossible dates in every field of scan and manual check-in, and any bytes in the search and
offline-data queries. The answer is the contract's 200 or a 4xx with a JSON error, never a 5xx."""

import json
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registration.badge_tokens import issue_badge_token
from registration.enums import ScanResult
from registration.models import CheckIn

from .checkin_factories import make_registration, make_staff

pytestmark = pytest.mark.both_databases

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
RESULTS = {result.value for result in ScanResult}

# Strings a door or an attacker may send: any code point, lone surrogates included (half an emoji cut at a
# UTF-16 boundary), plus the values that once answered 500.
any_text = st.one_of(
    st.text(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.just("\x00"))),
    st.sampled_from(
        [
            "\x00",
            "Gate\x00A",
            "a" * 59 + "\ud83d",
            "\udc00",
            "2017-02-30T10:00+02:00",
            "2017-04-04T25:00+02:00",
            "0001-01-01T00:00+02:00",
            "9999-12-31T23:59-05:00",
            "vilnius-2017",
            "x" * 100_000,
        ]
    ),
)
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=12,
)
field_value = st.one_of(any_text, any_json)


@pytest.fixture
def door(conference):
    """A door-staff session that sends the CSRF token like the scanner page does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff())
    client.get("/checkin/")
    return client


def post(client, url, data):
    token = client.cookies["csrftoken"].value
    return client.post(url, data, content_type="application/json", headers={"X-CSRFToken": token})


def assert_contract(response):
    """200 with a contract result, or 4xx with a JSON error; never 5xx."""
    assert response.status_code < 500, response.content[:300]
    data = response.json()
    if response.status_code == 200:
        assert data["result"] in RESULTS
    else:
        assert 400 <= response.status_code < 500
        assert isinstance(data["error"], str) and data["error"]


def scan_body(valid_code, fields):
    body = {"code": valid_code, "conference": "vilnius-2017", "gate": "Main", "device": "phone-1"}
    body.update(fields)
    return body


FIELDS = ["code", "conference", "gate", "device", "nonce", "scanned_at", "offline", "registration_id"]


@PROPERTY_SETTINGS
@given(fields=st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=4))
def test_scan_answers_the_contract_or_4xx_for_any_field_values(door, conference, fields):
    code = issue_badge_token(make_registration(conference))
    assert_contract(post(door, "/checkin/api/scan/", json.dumps(scan_body(code, fields))))


@PROPERTY_SETTINGS
@given(fields=st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=4))
def test_manual_check_in_answers_the_contract_or_4xx_for_any_field_values(door, conference, fields):
    body = {"registration_id": make_registration(conference).pk, "conference": "vilnius-2017", **fields}
    assert_contract(post(door, "/checkin/api/manual/", json.dumps(body)))


@PROPERTY_SETTINGS
@given(body=st.one_of(any_json, st.binary(max_size=300).map(bytes)))
@pytest.mark.parametrize("url", ["/checkin/api/scan/", "/checkin/api/manual/"])
def test_any_body_is_answered_without_a_server_error(door, url, body):
    data = body if isinstance(body, bytes) else json.dumps(body)
    assert_contract(post(door, url, data))


@pytest.mark.parametrize("url", ["/checkin/api/scan/", "/checkin/api/manual/"])
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_400(door, url, depth):
    for nested in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = post(door, url, nested)
        assert response.status_code == 400
        assert response.json()["error"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gate", "Gate\x00A"),
        ("gate", "a" * 59 + "\ud83d"),
        ("device", "\udc00"),
        ("conference", "vilnius\x00-2017"),
        ("conference", "\ud83d"),
        ("scanned_at", "2017-02-30T10:00+02:00"),
        ("scanned_at", "2017-04-04T10:00"),
        ("gate", 12),
    ],
)
@pytest.mark.parametrize("url", ["/checkin/api/scan/", "/checkin/api/manual/"])
def test_odd_values_are_400_with_a_json_error(door, conference, url, field, value):
    registration = make_registration(conference)
    body = {"code": issue_badge_token(registration), "registration_id": registration.pk, "conference": "vilnius-2017"}
    response = post(door, url, json.dumps({**body, field: value}))
    assert response.status_code == 400
    assert field in response.json()["error"]


def test_long_gate_names_are_cut_by_code_points(door, conference):
    gate = "ш" * 59 + "😀" + "x" * 100_000
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017", "gate": gate}
    assert post(door, "/checkin/api/scan/", json.dumps(body)).json()["result"] == "checked_in"
    assert CheckIn.objects.get().gate == "ш" * 59 + "😀"


def query_string(raw):
    return "&".join(f"{name}={quote_from_bytes(value)}" for name, value in raw.items())


@PROPERTY_SETTINGS
@given(
    conference=st.one_of(st.binary(max_size=200), st.just(b"vilnius-2017")),
    query=st.one_of(st.binary(max_size=200), st.just(b"Att\x00endee"), st.just(b"x" * 100_000)),
)
def test_search_and_offline_data_answer_4xx_or_200_for_any_bytes(door, conference, query):
    search = door.get(f"/checkin/api/search/?{query_string({'conference': conference, 'q': query})}")
    assert search.status_code in (200, 400), search.content[:300]
    assert "results" in search.json() if search.status_code == 200 else search.json()["error"]
    offline = door.get(f"/checkin/api/offline-data/?{query_string({'conference': conference})}")
    assert offline.status_code in (200, 400), offline.content[:300]
