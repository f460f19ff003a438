"""The door API over HTTP: contract answers, bad bodies, who may call it, and the badge downloads."""

import io
import json

import pytest
import zxingcpp
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from registration.badge_tokens import issue_badge_token
from registration.enums import RegistrationStatus
from registration.models import CheckIn, DoorAssignment, ScanAttempt

from .checkin_factories import ORGANISERS, SEARCH_RESULT_KEYS, make_registration, make_staff

SCAN_URL = "/checkin/api/scan/"


@pytest.fixture
def door_staff(db):
    """A door-staff account assigned to the demo conference's door."""
    return make_staff()


@pytest.fixture
def door(door_staff):
    """A door-staff session that sends the CSRF token like the scanner page does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(door_staff)
    client.get("/checkin/")
    return client


def post_json(client, url, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(url, data, content_type="application/json", headers={"X-CSRFToken": token}, **extra)


def test_scan_checks_in_and_answers_the_contract(door, conference):
    registration = make_registration(conference, badge_name="Ona")
    response = post_json(door, SCAN_URL, {"code": issue_badge_token(registration), "conference": "vilnius-2017"})
    assert response.status_code == 200
    data = response.json()
    assert (data["result"], data["badge_name"], data["registration_type"]) == ("checked_in", "Ona", "Participant")
    assert data["checked_in_at"][-6:] in ("+02:00", "+03:00")


def test_second_scan_answers_already_checked_in_with_the_first_time(door, conference):
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"}
    first = post_json(door, SCAN_URL, body).json()
    second = post_json(door, SCAN_URL, body).json()
    assert second["result"] == "already_checked_in"
    assert second["checked_in_at"] == first["checked_in_at"]


def test_answers_never_carry_email_country_or_other_answers(door, conference):
    registration = make_registration(conference, country="LT", dietary_needs="vegan", accessibility_needs="ramp")
    text = post_json(door, SCAN_URL, {"code": issue_badge_token(registration), "conference": "vilnius-2017"}).content
    for private in [registration.user.email, b"LT", b"vegan", b"ramp", registration.full_name]:
        assert (private.encode() if isinstance(private, str) else private) not in text


def test_every_single_character_change_is_invalid_over_http(door, conference):
    code = issue_badge_token(make_registration(conference))
    for position in range(len(code)):
        replacement = "B" if code[position] != "B" else "C"
        altered = code[:position] + replacement + code[position + 1 :]
        response = post_json(door, SCAN_URL, {"code": altered, "conference": "vilnius-2017"})
        assert (response.status_code, response.json()) == (200, {"result": "invalid"})
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "code",
    ["", "A" * 116, "A" * 117, "A" * 5000, "\u0000\u00ff\ufffd" * 40, 12, None, ["x"], {"a": 1}],
    ids=["empty", "truncated", "forged", "long", "binary", "number", "null", "list", "object"],
)
def test_bad_codes_are_invalid_not_errors(door, conference, code):
    issue_badge_token(make_registration(conference))
    response = post_json(door, SCAN_URL, {"code": code, "conference": "vilnius-2017"})
    assert (response.status_code, response.json()) == (200, {"result": "invalid"})


def test_ten_megabyte_code_is_invalid_not_an_error_and_audited(door, conference):
    response = post_json(door, SCAN_URL, {"code": "A" * 10_000_000, "conference": "vilnius-2017"})
    assert (response.status_code, response.json()) == (200, {"result": "invalid"})
    assert ScanAttempt.objects.get().code_excerpt == "(request body too large)"


def test_badge_of_another_conference_is_wrong_conference(door, door_staff, conference):
    registration = make_registration(conference, badge_name="Ona")
    other = conference.copy(update_attrs={"slug": "other-2018", "title": "Other"}, keep_live=True)
    DoorAssignment.objects.create(user=door_staff, conference=other)
    data = post_json(door, SCAN_URL, {"code": issue_badge_token(registration), "conference": "other-2018"}).json()
    assert (data["result"], data["badge_name"]) == ("wrong_conference", "Ona")
    assert "checked_in_at" not in data


@pytest.mark.parametrize(
    ("status", "result"),
    [(RegistrationStatus.CANCELLED, "cancelled"), (RegistrationStatus.WAITLISTED, "not_confirmed")],
)
def test_unconfirmed_badges_are_refused(door, conference, status, result):
    registration = make_registration(conference, status=status)
    data = post_json(door, SCAN_URL, {"code": issue_badge_token(registration), "conference": "vilnius-2017"}).json()
    assert data["result"] == result


@pytest.mark.parametrize(
    "body",
    ["{not json", "[1, 2]", '"text"', "", b"\xff\xfe", json.dumps({"code": "A"}), json.dumps({"conference": "x"})],
    ids=["broken", "array", "string", "empty", "binary", "no-conference", "no-code"],
)
def test_malformed_body_is_400_with_an_error(door, body):
    response = post_json(door, SCAN_URL, body)
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str) and response.json()["error"]


@pytest.mark.parametrize("nonce", ["", "x" * 65, 5, "bad\nnonce"])
def test_bad_nonce_is_400(door, conference, nonce):
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017", "nonce": nonce}
    assert post_json(door, SCAN_URL, body).status_code == 400


def test_scan_needs_the_csrf_token(door, conference):
    body = json.dumps({"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"})
    assert door.post(SCAN_URL, body, content_type="application/json").status_code == 403


def test_anonymous_scan_is_401(db):
    response = Client().post(SCAN_URL, "{}", content_type="application/json")
    assert response.status_code == 401


def test_signed_in_without_door_rights_is_403(db, conference):
    client = Client()
    client.force_login(make_staff(group=None))
    response = client.post(
        SCAN_URL, json.dumps({"code": "A", "conference": "vilnius-2017"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get("/checkin/").status_code == 403
    assert client.get("/checkin/api/offline-data/?conference=vilnius-2017").status_code == 403


def test_organisers_may_scan(conference):
    client = Client()
    client.force_login(make_staff(group=ORGANISERS))
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"}
    assert client.post(SCAN_URL, json.dumps(body), content_type="application/json").json()["result"] == "checked_in"


def test_scanner_page_sends_visitors_to_sign_in(db):
    response = Client().get("/checkin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_search_returns_only_what_the_door_may_see(door, conference):
    make_registration(conference, full_name="Ona Petraitė", badge_name="Ona P", country="LT", dietary_needs="vegan")
    response = door.get("/checkin/api/search/", {"conference": "vilnius-2017", "q": "Petr"})
    (result,) = response.json()["results"]
    assert set(result) == SEARCH_RESULT_KEYS
    assert b"LT" not in response.content and b"vegan" not in response.content


def test_search_with_fewer_than_three_characters_is_400(door, conference):
    assert door.get("/checkin/api/search/", {"conference": "vilnius-2017", "q": "On"}).status_code == 400


def test_manual_checkin_by_id(door, conference):
    registration = make_registration(conference)
    response = post_json(
        door, "/checkin/api/manual/", {"registration_id": registration.pk, "conference": "vilnius-2017"}
    )
    assert response.json()["result"] == "checked_in"
    assert CheckIn.objects.get().registration == registration


@pytest.mark.parametrize("registration_id", ["1", None, True, -1, 2**40])
def test_manual_checkin_with_a_bad_id_is_400(door, registration_id):
    body = {"registration_id": registration_id, "conference": "vilnius-2017"}
    assert post_json(door, "/checkin/api/manual/", body).status_code == 400


def test_offline_data_lists_refused_badges_and_todays_checkins(door, conference):
    confirmed = make_registration(conference, badge_name="Ona")
    cancelled = make_registration(conference, status=RegistrationStatus.CANCELLED)
    waiting = make_registration(conference, status=RegistrationStatus.WAITLISTED)
    post_json(door, SCAN_URL, {"code": issue_badge_token(confirmed), "conference": "vilnius-2017"})
    data = door.get("/checkin/api/offline-data/", {"conference": "vilnius-2017"}).json()
    assert (data["refused"][str(cancelled.pk)], data["refused"][str(waiting.pk)]) == ("cancelled", "not_confirmed")
    assert str(confirmed.pk) not in data["refused"]
    assert list(data["checked_in"]) == [str(confirmed.pk)]
    assert data["badges"][str(confirmed.pk)] == ["Ona", "Participant"]
    assert data["counts"]["checked_in"] == 1
    assert len(data["public_key"]) == 43


def test_service_worker_is_served_under_checkin_with_its_asset_list(door):
    response = door.get("/checkin/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"OFFLINE_ASSETS" in response.content and b"jsQR.js" in response.content


def test_manifest_scope_is_the_scanner(door):
    data = door.get("/checkin/manifest.webmanifest").json()
    assert (data["scope"], data["start_url"], data["display"]) == ("/checkin/", "/checkin/", "standalone")


def test_badge_pdf_and_qr_for_the_owner(conference):
    registration = make_registration(conference)
    client = Client()
    client.force_login(registration.user)
    pdf = client.get(f"/my/badges/{registration.pk}.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    png = client.get(f"/my/badges/{registration.pk}.png")
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))]
    assert texts == [issue_badge_token(registration)]


def test_badge_of_someone_else_is_404(conference):
    registration = make_registration(conference)
    client = Client()
    client.force_login(make_staff(group=ORGANISERS))
    assert client.get(f"/my/badges/{registration.pk}.pdf").status_code == 404
    assert client.get(f"/my/badges/{registration.pk}.png").status_code == 404


def test_badge_of_an_unconfirmed_registration_is_404(conference):
    registration = make_registration(conference, status=RegistrationStatus.WAITLISTED)
    client = Client()
    client.force_login(registration.user)
    assert client.get(f"/my/badges/{registration.pk}.pdf").status_code == 404


def test_manual_checkin_without_javascript(conference):
    registration = make_registration(conference, badge_name="Ona")
    client = Client()
    client.force_login(make_staff())
    response = client.post(
        "/checkin/manual/", {"conference": "vilnius-2017", "registration_id": registration.pk, "q": "Ona"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/checkin/?conference=vilnius-2017&q=Ona"
    assert CheckIn.objects.get().registration == registration
    assert "Checked in: Ona" in client.get(response["Location"]).content.decode()


def test_search_without_javascript_lists_people_with_a_check_in_button(door, conference):
    make_registration(conference, full_name="Ona Petraitė", badge_name="Ona P")
    text = door.get("/checkin/", {"conference": "vilnius-2017", "q": "Petrai"}).content.decode()
    assert "Ona P" in text and 'action="/checkin/manual/"' in text


def test_scanner_page_has_no_inline_script(door):
    text = door.get("/checkin/").content.decode()
    assert "<script>" not in text
    assert text.count("<script") == text.count('<script src="') + text.count('<script id="checkin-strings"')


def test_my_page_links_the_badge_pdf_and_shows_the_qr(conference):
    registration = make_registration(conference)
    client = Client()
    client.force_login(registration.user)
    text = client.get("/my/").content.decode()
    assert f'href="/my/badges/{registration.pk}.pdf"' in text
    assert f'src="/my/badges/{registration.pk}.png"' in text


def test_scanner_works_under_the_russian_prefix(door, conference):
    page = door.get("/ru/checkin/")
    assert page.status_code == 200
    assert 'data-scan-url="/ru/checkin/api/scan/"' in page.content.decode()
    worker = door.get("/ru/checkin/sw.js")
    assert b'"/ru/checkin/"' in worker.content


def statements_of(client, body):
    """The door's answer to a scan, and each SQL statement the scan sent: its verb, its table (for a SELECT the
    table of its first column) and whether it locks."""
    with CaptureQueriesContext(connection) as queries:
        result = post_json(client, SCAN_URL, body).json()["result"]
    statements = []
    for query in queries.captured_queries:
        words = query["sql"].replace('"', "").split()
        if words[0] == "SELECT":
            table = words[1].split(".")[0]
        else:
            table = next((w for k, w in zip(words[:-1], words[1:], strict=True) if k in ("INTO", "UPDATE")), "")
        lock = " FOR UPDATE" if " FOR UPDATE" in query["sql"] else ""
        statements.append(f"{words[0]} {table}".strip() + lock)
    return result, statements


def test_scan_statements_first_repeat_and_forged(demo_tx):
    """What every scan of a door morning costs, so that no round trip creeps back in: the session and the
    account, then one locking read (the registration with its type and the day's check-in) and the writes.
    In autocommit, as in production: a test's wrapping transaction would turn BEGIN and COMMIT into savepoints."""
    door = Client()
    door.force_login(make_staff())
    warm_up = {"code": issue_badge_token(make_registration(demo_tx)), "conference": "vilnius-2017"}
    assert post_json(door, SCAN_URL, warm_up).json()["result"] == "checked_in"  # conference and rights cached
    body = {"code": issue_badge_token(make_registration(demo_tx)), "conference": "vilnius-2017", "nonce": "n1"}
    signed_in = ["SELECT django_session", "SELECT auth_user"]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    assert statements_of(door, body) == (
        "checked_in",
        signed_in
        + ["BEGIN", "SELECT registration_registration" + lock, "INSERT registration_checkin"]
        + ["INSERT registration_scanattempt", "COMMIT"],
    )
    assert statements_of(door, body | {"nonce": "n2"}) == (
        "already_checked_in",
        signed_in + ["BEGIN", "SELECT registration_registration" + lock, "INSERT registration_scanattempt", "COMMIT"],
    )
    # A forged code takes no lock and no transaction: its audit row is the only write. (The public key is read
    # again before a bad signature is believed: badge_tokens.verify_badge_token.)
    forged = body | {"nonce": "n3", "code": body["code"][:-2] + ("AA" if body["code"][-2:] != "AA" else "BA")}
    assert statements_of(door, forged) == (
        "invalid",
        signed_in + ["SELECT registration_badgesigningkey", "INSERT registration_scanattempt"],
    )
