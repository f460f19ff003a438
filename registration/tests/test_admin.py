"""Organiser tools in the Wagtail admin: counts per type, filters, search, CSV export, bulk approve and
reject, and edits that go through the services."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group

from conference.permissions import DOOR_STAFF
from registration import services
from registration.models import Registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/snippets/registration/registration/"
TYPES = "/admin/snippets/registration/registrationtype/"


def test_type_listing_shows_counts_per_type(client, organiser, conference):
    small = make_type(conference, name="Small counted type", capacity=3)
    for _ in range(5):
        register(make_user(), conference, small)
    html = client.get(TYPES, {"conference": conference.pk}).content.decode()
    row = html[html.index("Small counted type") :].split("</tr>")[0]
    cells = [cell.split(">")[-1].strip() for cell in row.split("</td>")[1:-1]]
    # capacity, confirmed, pending, waiting list, remaining
    assert cells[-5:] == ["3", "3", "0", "2", "0"]


def test_registration_listing_filters_by_status_and_type(client, organiser, conference):
    small = make_type(conference, capacity=1)
    waiting = [register(make_user(), conference, small) for _ in range(3)][1:]
    response = client.get(REGISTRATIONS, {"status": "waitlisted", "registration_type": small.pk})
    assert response.status_code == 200
    assert sorted(r.pk for r in response.context["page_obj"]) == sorted(r.pk for r in waiting)


def test_registration_listing_filters_by_country(client, organiser, conference):
    response = client.get(REGISTRATIONS, {"country": "KZ"})
    expected = Registration.objects.filter(country="KZ").count()
    assert response.context["page_obj"].paginator.count == expected > 0


def test_registration_search_finds_by_email(client, organiser, conference):
    registration = register(make_user("findme@example.org"), conference, make_type(conference))
    response = client.get(REGISTRATIONS, {"q": "findme@example"})
    assert [r.pk for r in response.context["page_obj"]] == [registration.pk]


def test_csv_export_has_one_row_per_registration(client, organiser, conference):
    response = client.get(REGISTRATIONS, {"export": "csv", "status": "pending"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == Registration.objects.filter(status="pending").count() > 0
    assert {row["Status"] for row in rows} == {"Awaiting approval"}


def test_bulk_approve_confirms_pending_and_emails(client, organiser, conference, deliver_mail, mailoutbox):
    scholarship = make_type(conference, needs_approval=True, capacity=5)
    pending = [register(make_user(), conference, scholarship) for _ in range(2)]
    url = "/admin/bulk/registration/registration/approve/?" + "&".join(f"id={r.pk}" for r in pending)
    with deliver_mail():
        response = client.post(url + "&next=" + REGISTRATIONS)
    statuses = list(Registration.objects.filter(pk__in=[r.pk for r in pending]).values_list("status", flat=True))
    assert response.status_code == 302
    assert statuses == ["confirmed", "confirmed"]
    assert len(mailoutbox) == 2
    assert Registration.objects.get(pk=pending[0].pk).status_changes.last().changed_by == organiser


def test_bulk_reject_leaves_confirmed_ones_alone(client, organiser, conference):
    scholarship = make_type(conference, needs_approval=True, capacity=5)
    pending = register(make_user(), conference, scholarship)
    confirmed = register(make_user(), conference, make_type(conference))
    url = f"/admin/bulk/registration/registration/reject/?id={pending.pk}&id={confirmed.pk}"
    confirmation_page = client.get(url).content.decode()
    client.post(url)
    pending.refresh_from_db()
    confirmed.refresh_from_db()
    assert "1 was not awaiting approval and was left as it was." in confirmation_page
    assert (pending.status, confirmed.status) == ("cancelled", "confirmed")


def test_bulk_cancel_frees_seats_for_the_waiting_list(client, organiser, conference):
    workshop = make_type(conference, capacity=1)
    holder = register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)
    response = client.post(f"/admin/bulk/registration/registration/cancel/?id={holder.pk}")
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert (holder.status, waiting.status) == ("cancelled", "confirmed")
    assert holder.status_changes.last().changed_by == organiser


def test_edit_type_in_admin_goes_through_change_type(client, organiser, conference):
    small, other = make_type(conference, capacity=1), make_type(conference, capacity=5)
    moved = register(make_user(), conference, small)
    waiting = register(make_user(), conference, small)
    response = client.post(
        f"{REGISTRATIONS}edit/{moved.pk}/",
        {
            "registration_type": other.pk,
            "full_name": "Moved Person",
            "badge_name": "Moved",
            "organisation": "",
            "country": "LT",
            "role": "",
            "dietary_needs": "",
            "accessibility_needs": "",
            "interpretation_language": "",
        },
    )
    moved.refresh_from_db()
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert (moved.registration_type_id, moved.full_name, waiting.status) == (other.pk, "Moved Person", "confirmed")
    assert moved.status_changes.last().note == f"type changed from {small.slug} to {other.slug}"


def test_admin_cannot_add_or_delete_registrations(client, organiser, conference):
    registration = register(make_user(), conference, make_type(conference))
    assert client.get(f"{REGISTRATIONS}add/").status_code in (302, 403)
    client.post(f"{REGISTRATIONS}delete/{registration.pk}/")
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_raising_capacity_promotes_the_waiting_list(client, organiser, conference):
    workshop = make_type(conference, capacity=1)
    register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)
    client.post(
        f"{TYPES}edit/{workshop.pk}/",
        {
            "conference": conference.pk,
            "name": workshop.name,
            "slug": workshop.slug,
            "description": "",
            "capacity": 2,
            "badge_colour": "#1f5f8b",
            "sort_order": 0,
            # The type's questions (an inline panel): none.
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
            "questions-MIN_NUM_FORMS": 0,
            "questions-MAX_NUM_FORMS": 1000,
        },
    )
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_door_staff_cannot_see_registrations(client, conference):
    user = make_user()
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    client.force_login(user)
    assert client.get(REGISTRATIONS).status_code in (302, 403)


def test_csv_export_neutralises_formulas(client, organiser, conference):
    register(make_user("formula@example.org"), conference, make_type(conference), full_name='=HYPERLINK("x")')
    response = client.get(REGISTRATIONS, {"export": "csv", "q": "formula@example"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["Full name"] for row in rows] == ['\'=HYPERLINK("x")']


def test_xlsx_export_reads_back_with_the_registrations_values(client, organiser, conference):
    registration_type = make_type(conference, name="Excel Type")
    registration = register(
        make_user("excel@example.org"),
        conference,
        registration_type,
        full_name='=HYPERLINK("x")',
        badge_name="Ёлка",
        organisation="Example Org",
        country="KZ",
    )
    response = client.get(REGISTRATIONS, {"export": "xlsx", "q": "excel@example"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1
    assert header[:14] == [
        "ID",
        "Conference",
        "Registration type",
        "Status",
        "Full name",
        "Name on badge",
        "Organisation",
        "Country",
        "Role",
        "Dietary needs",
        "Accessibility needs",
        "Interpretation",
        "Agrees to be photographed",
        "Email",
    ]
    assert rows[0][:14] == [
        registration.pk,
        conference.title,
        "Excel Type",
        "Confirmed",
        '=HYPERLINK("x")',
        "Ёлка",
        "Example Org",
        "Kazakhstan",
        None,
        None,
        None,
        None,
        "No",
        "excel@example.org",
    ]
    registered = dict(zip(header, rows[0], strict=True))["Registered"]
    # On the conference's clock, to the second.
    assert registered == registration.created_at.astimezone(conference.tzinfo).replace(microsecond=0, tzinfo=None)
    # Written as text, never as a formula that a spreadsheet program would run.
    assert sheet.cell(row=2, column=header.index("Full name") + 1).data_type == "s"


def admin_edit_data(registration_type, **overrides):
    data = {
        "registration_type": registration_type.pk,
        "full_name": "Someone",
        "badge_name": "Some",
        "organisation": "",
        "country": "",
        "role": "",
        "dietary_needs": "",
        "accessibility_needs": "",
        "interpretation_language": "",
    }
    data.update(overrides)
    return data


def test_cancelled_registration_keeps_its_type_in_admin(client, organiser, conference):
    first, second = make_type(conference), make_type(conference)
    registration = register(make_user(), conference, first)
    services.cancel(registration=registration, by=None)
    response = client.post(f"{REGISTRATIONS}edit/{registration.pk}/", admin_edit_data(second))
    registration.refresh_from_db()
    assert response.status_code == 302
    assert (registration.registration_type_id, registration.status) == (first.pk, "cancelled")


def test_anonymised_registration_cannot_be_refilled_in_admin(client, organiser, conference):
    registration = register(make_user(), conference, make_type(conference))
    services.anonymise(registrations=Registration.objects.filter(pk=registration.pk))
    response = client.post(
        f"{REGISTRATIONS}edit/{registration.pk}/", admin_edit_data(registration.registration_type, full_name="Back")
    )
    registration.refresh_from_db()
    assert response.status_code in (302, 403)
    assert (registration.full_name, registration.badge_name) == ("", "")


def test_badge_colour_is_chosen_with_the_browsers_colour_picker(client, organiser, conference):
    registration_type = make_type(conference)
    html = client.get(f"{TYPES}edit/{registration_type.pk}/").content.decode()
    assert re.search(r'<input type="color" name="badge_colour" value="#1f5f8b"[^>]*>', html)


def test_badge_colour_must_be_a_hex_colour(client, organiser, conference):
    registration_type = make_type(conference)
    html = client.get(f"{TYPES}edit/{registration_type.pk}/").content.decode()
    form = {
        "conference": conference.pk,
        "name": registration_type.name,
        "slug": registration_type.slug,
        "capacity": 2,
        "badge_colour": "red;}",
        "sort_order": 0,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    assert 'name="badge_colour"' in html
    response = client.post(f"{TYPES}edit/{registration_type.pk}/", form)
    assert "Write the colour as # followed by six hexadecimal digits." in response.content.decode()
    registration_type.refresh_from_db()
    assert registration_type.badge_colour == "#1f5f8b"
