"""Organisers' check-in pages: dashboard, attendance CSV, badge sheets and door-staff accounts."""

import io
import subprocess
from datetime import datetime, time, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conference.spreadsheets import XLSX_CONTENT_TYPE
from registration.badge_tokens import issue_badge_token
from registration.checkin import perform_checkin
from registration.enums import RegistrationStatus
from registration.models import CheckIn

from .checkin_factories import DOOR_STAFF, ORGANISERS, make_registration, make_registration_type, make_staff
from .spreadsheets import UTF8_CSV, csv_rows, libreoffice_convert, xlsx_rows


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
    today = timezone.now().astimezone(conference.tzinfo).date().isoformat()
    day_before = yesterday.astimezone(conference.tzinfo).date().isoformat()
    assert csv_rows(response) == [
        ["Day", "Registration type", "Country", "Role", "Checked in"],
        [day_before, "Participant", "Lithuania", "Health professional", "1"],
        # Types in the organisers' order: the new type's 0 before the demo's Participant (1).
        [today, "Speaker", "Ukraine", "Community member or person who uses drugs", "1"],
        [today, "Participant", "Lithuania", "Health professional", "3"],
    ]


def test_attendance_csv_defuses_spreadsheet_formulas(organiser, conference):
    formula_type = make_registration_type(conference, slug="formula", name="=HYPERLINK(1)")
    check_in(make_registration(conference, registration_type=formula_type), make_staff())
    text = organiser.get("/admin/checkin/attendance.csv", {"conference": "vilnius-2017"}).content.decode()
    assert "'=HYPERLINK(1)" in text


def attendance_people(organiser, conference):
    """Two people who came on two days, one on one day, one confirmed who never came."""
    first_day, second_day = (conference.local_datetime(day, time(9, 15)) for day in conference.days[:2])
    twice = make_registration(conference, full_name="Ona Twice", badge_name="Ona")
    once = make_registration(conference, full_name="Petras Once", badge_name="Petras")
    absent = make_registration(conference, full_name="Rūta Absent", badge_name="Rūta")
    for registration, moment in ((twice, first_day), (twice, second_day), (once, second_day)):
        CheckIn.objects.create(
            registration=registration, conference=conference, day=moment.date(), checked_in_at=moment, gate="North"
        )
    return twice, once, absent


def test_attendance_per_person_lists_who_came_on_each_day(organiser, conference):
    twice, once, absent = attendance_people(organiser, conference)
    header, *rows = csv_rows(organiser.get("/admin/checkin/attendance-people.csv", {"conference": "vilnius-2017"}))
    assert header[:6] == ["Full name", "Name on badge", "Organisation", "Registration type", "Status", "Country"]
    assert header[6:] == ["Tue 4 Apr", "Wed 5 Apr", "Thu 6 Apr", "Days attended"]
    by_name = {row[0]: row for row in rows}
    assert by_name["Ona Twice"][6:] == ["09:15", "09:15", "", "2"]
    assert by_name["Petras Once"][6:] == ["", "09:15", "", "1"]
    assert by_name["Rūta Absent"][6:] == ["", "", "", "0"]
    assert by_name["Ona Twice"][5] == "Lithuania"


def test_attendance_workbook_has_the_totals_and_the_people(organiser, conference):
    attendance_people(organiser, conference)
    response = organiser.get("/admin/checkin/attendance.xlsx", {"conference": "vilnius-2017"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    totals = xlsx_rows(response.content, "Totals")
    assert totals[0] == ["Day", "Registration type", "Country", "Role", "Checked in"]
    assert [row[0] for row in totals[1:]] == [datetime(2017, 4, 4), datetime(2017, 4, 5)]
    people = {row[0]: row for row in xlsx_rows(response.content, "People")[1:]}
    assert people["Petras Once"][6:] == [None, time(9, 15), None, 1]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["People"]
    [petras] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "Petras Once"]
    assert petras[7].number_format == "hh:mm"  # shown as 09:15, not 09:15:00


def test_attendance_page_links_each_day_to_the_people_checked_in(organiser, conference):
    twice, once, _absent = attendance_people(organiser, conference)
    html = organiser.get("/admin/checkin/attendance/", {"conference": "vilnius-2017"}).content.decode()
    link = f"/admin/snippets/registration/registration/?conference={conference.pk}&amp;checked_in_on=2017-04-05"
    assert f'<a href="{link}">2</a>' in html
    listing = organiser.get(link.replace("&amp;", "&"))
    assert {registration.pk for registration in listing.context["page_obj"]} == {twice.pk, once.pk}


def test_people_need_the_right_to_see_registrations(conference):
    client = Client()
    checkins_only = make_staff(group=None)
    checkins_only.user_permissions.add(
        Permission.objects.get(codename="view_checkin"), Permission.objects.get(codename="access_admin")
    )
    client.force_login(checkins_only)
    assert client.get("/admin/checkin/attendance.csv", {"conference": "vilnius-2017"}).status_code == 200
    # Wagtail turns a refusal inside the admin into a redirect to its home page.
    assert client.get("/admin/checkin/attendance-people.csv", {"conference": "vilnius-2017"}).status_code in (302, 403)
    workbook = client.get("/admin/checkin/attendance.xlsx", {"conference": "vilnius-2017"}).content
    assert openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames == ["Totals"]


def test_attendance_files_take_the_same_queries_for_few_people_or_many(organiser, conference):
    def queries():
        counts = []
        for download in ("attendance.csv", "attendance-people.csv", "attendance.xlsx"):
            with CaptureQueriesContext(connection) as captured:
                organiser.get(f"/admin/checkin/{download}", {"conference": "vilnius-2017"})
            counts.append(len(captured))
        return counts

    attendance_people(organiser, conference)
    few = queries()
    for _ in range(3):
        attendance_people(organiser, conference)
    assert queries() == few


@pytest.mark.consumers
def test_attendance_workbook_opens_in_libreoffice_with_cyrillic(organiser, conference, tmp_path):
    staff = make_staff()
    russian = make_registration_type(conference, slug="russian-type", name="Участник")
    check_in(make_registration(conference, registration_type=russian, full_name="Ёлка Щукина"), staff)
    workbook = tmp_path / "attendance.xlsx"
    workbook.write_bytes(organiser.get("/admin/checkin/attendance.xlsx", {"conference": "vilnius-2017"}).content)
    converted = libreoffice_convert(workbook, to=f"csv:Text - txt - csv (StarCalc):{UTF8_CSV[4:]}", folder=tmp_path)
    text = converted.read_text(encoding="utf-8")
    assert "Участник" in text.splitlines()[1]  # the first sheet: the totals


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
