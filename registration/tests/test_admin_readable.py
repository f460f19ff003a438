"""The registration admin reads like a person wrote it: Yes/No and a dash on the Inspect page, labels and the
conference's local time in exports, whole-sentence bulk questions, and no bulk action that can only fail."""

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from wagtail.users.models import UserProfile

from registration import services
from registration.models import Registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/snippets/registration/registration/"


def registered_at(registration, moment):
    Registration.objects.filter(pk=registration.pk).update(created_at=moment)
    registration.refresh_from_db()
    return registration


def inspect_fields(html):
    """{label: value} of the Inspect page's field list."""
    pairs = re.findall(r"<dt[^>]*>\s*(.*?)\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", html, re.S)
    return {re.sub(r"<[^>]+>", "", label).strip(): re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


def test_inspect_shows_yes_no_and_dashes(client, organiser, conference):
    registration = register(make_user(), conference, make_type(conference), photo_consent=False)
    registration = registered_at(registration, datetime(2017, 3, 1, 10, 30, 15, 123456, tzinfo=UTC))
    html = client.get(f"{REGISTRATIONS}inspect/{registration.pk}/").content.decode()
    fields = inspect_fields(html)
    assert fields["Agrees to be photographed"] == "No"
    assert fields["Anonymised"] == "—"
    assert fields["Role"] == "—"
    assert fields["Status"] == "Confirmed"
    # 10:30 UTC is 12:30 in Vilnius (EET, UTC+2 in March).
    assert fields["Registered"] == "2017-03-01 12:30"
    assert "False" not in fields.values() and "None" not in fields.values()


def test_inspect_status_history_uses_labels(client, organiser, conference):
    registration = register(make_user(), conference, make_type(conference))
    services.cancel(registration=registration, by=organiser)
    html = client.get(f"{REGISTRATIONS}inspect/{registration.pk}/").content.decode()
    assert "<td>Confirmed</td><td>Cancelled</td><td>organiser@example.org</td>" in html


def test_csv_export_has_labels_and_local_time_to_the_second(client, organiser, conference):
    registration = register(
        make_user("labels@example.org"), conference, make_type(conference), photo_consent=True, role="outreach"
    )
    registered_at(registration, datetime(2017, 4, 4, 6, 5, 9, 987654, tzinfo=UTC))
    response = client.get(REGISTRATIONS, {"export": "csv", "q": "labels@example"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert row["Status"] == "Confirmed"
    assert row["Agrees to be photographed"] == "Yes"
    assert row["Role"] == "Outreach or social worker"
    # 06:05:09 UTC is 09:05:09 in Vilnius (EEST, UTC+3 in April); no microseconds.
    assert row["Registered"] == "2017-04-04 09:05:09"


def test_xlsx_export_has_labels_and_local_time(client, organiser, conference):
    registration = register(make_user("sheet@example.org"), conference, make_type(conference))
    registered_at(registration, datetime(2017, 4, 4, 6, 5, 9, 987654, tzinfo=UTC))
    response = client.get(REGISTRATIONS, {"export": "xlsx", "q": "sheet@example"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [list(values) for values in sheet.iter_rows(values_only=True)]
    values = dict(zip(header, row, strict=True))
    assert values["Status"] == "Confirmed"
    assert values["Agrees to be photographed"] == "No"
    assert values["Registered"] == datetime(2017, 4, 4, 9, 5, 9)


def test_bulk_approve_asks_in_sentence_case(client, organiser, conference):
    scholarship = make_type(conference, needs_approval=True, capacity=5)
    pending = [register(make_user(), conference, scholarship) for _ in range(2)]
    url = "/admin/bulk/registration/registration/approve/?" + "&".join(f"id={r.pk}" for r in pending)
    html = client.get(url).content.decode()
    assert "Approve these 2 registrations? Each attendee gets an email." in html
    assert "approve these" not in html


def test_bulk_approve_question_in_russian(client, organiser, conference):
    scholarship = make_type(conference, needs_approval=True, capacity=5)
    pending = register(make_user(), conference, scholarship)
    profile = UserProfile.get_for_user(organiser)
    profile.preferred_language = "ru"
    profile.save()
    html = client.get(f"/admin/bulk/registration/registration/approve/?id={pending.pk}").content.decode()
    assert "Одобрить 1 регистрацию? Участник получит письмо." in html


def test_registration_listing_offers_no_bulk_delete(client, organiser, conference):
    html = client.get(REGISTRATIONS).content.decode()
    assert "/admin/bulk/registration/registration/approve/" in html
    assert "/admin/bulk/registration/registration/delete/" not in html


def test_other_snippets_keep_bulk_delete(client, conference):
    client.force_login(
        make_user("admin@example.org").__class__.objects.create_superuser("root", "root@example.org", "x")
    )
    html = client.get("/admin/snippets/conference/organisation/").content.decode()
    assert "/admin/bulk/conference/organisation/delete/" in html
