"""Organisers' check-in pages: dashboard, attendance CSV, badge sheets and door-staff accounts."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from registration.badge_tokens import issue_badge_token
from registration.checkin import perform_checkin
from registration.enums import RegistrationStatus

from .checkin_factories import DOOR_STAFF, ORGANISERS, make_registration, make_registration_type, make_staff


@pytest.fixture
def organiser(db):
    client = Client()
    client.force_login(make_staff(group=ORGANISERS))
    return client


def check_in(registration, staff, **kwargs):
    return perform_checkin(code=issue_badge_token(registration), conference_slug="vilnius-2017", staff=staff, **kwargs)


def test_dashboard_shows_todays_counts_and_latest_scans(organiser, conference):
    staff = make_staff()
    check_in(make_registration(conference, badge_name="Ona"), staff, gate="North")
    response = organiser.get("/admin/checkin/", {"conference": "vilnius-2017"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 of " in text and "Ona" in text and "North" in text


def test_dashboard_figures_refresh_alone(organiser, conference):
    response = organiser.get("/admin/checkin/", {"conference": "vilnius-2017", "partial": "1"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b"By registration type" in response.content


def test_door_staff_cannot_open_the_admin_pages(db):
    client = Client()
    client.force_login(make_staff(group=DOOR_STAFF))
    for url in [
        "/admin/checkin/",
        "/admin/checkin/attendance.csv",
        "/admin/checkin/badges/",
        "/admin/checkin/door-staff/",
    ]:
        assert client.get(url).status_code in (302, 403)


def test_attendance_csv_counts_per_day_type_country_and_role(organiser, conference):
    staff = make_staff()
    speaker = make_registration_type(conference, slug="printshop-test", name="Speaker")
    yesterday = timezone.now() - timedelta(days=1)
    check_in(make_registration(conference, country="LT", role="health"), staff)
    check_in(make_registration(conference, country="LT", role="health"), staff)
    check_in(make_registration(conference, country="UA", role="community", registration_type=speaker), staff)
    both_days = make_registration(conference, country="LT", role="health")
    check_in(both_days, staff, scanned_at=yesterday)
    check_in(both_days, staff)
    response = organiser.get("/admin/checkin/attendance.csv", {"conference": "vilnius-2017"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    today = timezone.now().astimezone(conference.tzinfo).date().isoformat()
    day_before = yesterday.astimezone(conference.tzinfo).date().isoformat()
    assert rows == [
        ["day", "registration_type", "country", "role", "checked_in"],
        [day_before, "Participant", "LT", "health", "1"],
        [today, "Participant", "LT", "health", "3"],
        [today, "Speaker", "UA", "community", "1"],
    ]


def test_attendance_csv_defuses_spreadsheet_formulas(organiser, conference):
    formula_type = make_registration_type(conference, slug="formula", name="=HYPERLINK(1)")
    check_in(make_registration(conference, registration_type=formula_type), make_staff())
    text = organiser.get("/admin/checkin/attendance.csv", {"conference": "vilnius-2017"}).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_badge_sheets_hold_every_confirmed_badge_of_the_chosen_type(organiser, conference, tmp_path):
    speaker = make_registration_type(conference, slug="printshop-test", name="Speaker")
    for _ in range(5):
        make_registration(conference, registration_type=speaker)
    make_registration(conference, registration_type=speaker, status=RegistrationStatus.CANCELLED)
    response = organiser.get(
        "/admin/checkin/badges/", {"conference": "vilnius-2017", "type": "printshop-test", "download": "1"}
    )
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "sheets.pdf").write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(tmp_path / "sheets.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Pages: 2" in " ".join(info.split())


def test_badge_print_page_counts_the_selection(organiser, conference):
    speaker = make_registration_type(conference, slug="printshop-test", name="Speaker")
    make_registration(conference, registration_type=speaker)
    response = organiser.get("/admin/checkin/badges/", {"conference": "vilnius-2017", "type": "printshop-test"})
    assert "1 confirmed badge in this selection." in response.content.decode()


def test_organiser_adds_a_new_door_staff_account(organiser):
    response = organiser.post(
        "/admin/checkin/door-staff/", {"email": "door@example.org", "password": "a long door pass phrase"}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="door@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [DOOR_STAFF]
    assert Client().login(username=user.username, password="a long door pass phrase")


def test_organiser_gives_an_existing_account_door_rights_and_takes_them_away(organiser):
    existing = make_staff(group=None)
    organiser.post("/admin/checkin/door-staff/", {"email": existing.email})
    assert existing.groups.filter(name=DOOR_STAFF).exists()
    organiser.post("/admin/checkin/door-staff/", {"remove": existing.pk})
    assert not existing.groups.filter(name=DOOR_STAFF).exists()


def test_new_door_staff_account_needs_a_good_password(organiser):
    response = organiser.post("/admin/checkin/door-staff/", {"email": "door@example.org", "password": "123"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="door@example.org").exists()
    assert "This password is too short" in response.content.decode()


def test_removing_door_rights_stops_scans_at_once(organiser, conference):
    door_user = make_staff(group=DOOR_STAFF)
    door = Client()
    door.force_login(door_user)
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"}
    assert door.post("/checkin/api/scan/", body, content_type="application/json").status_code == 200
    organiser.post("/admin/checkin/door-staff/", {"remove": door_user.pk})
    assert door.post("/checkin/api/scan/", body, content_type="application/json").status_code == 403
