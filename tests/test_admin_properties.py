"""Property tests over the organisers' new admin forms and filters (issue 24): any text in any field or query
parameter of the mail log, a registration's page (send again), the visa actions (correct, approve, refuse), the
release form, the attendance downloads, the registrations listing's filters and its exports answers a page, a
redirect or a 4xx, never a 5xx."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from .admin_page_data import rich_registration
from .test_public_forms_properties import PROPERTY, any_text, encoded, post

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

QUERY_NAMES = ["q", "status", "conference", "p", "day", "checked_in_on", "workshop", "country", "export", "type"]
FORM_NAMES = [
    "send_again",
    "action",
    "request",
    "next",
    "conference",
    "passport_name",
    "passport_number",
    "nationality",
    "date_of_birth",
    "reason",
    "note",
    "note_ru",
    "name",
    "preview",
    "resend",
]


def query(params):
    return "&".join(f"{encoded(name)}={encoded(value)}" for name, value in params.items())


@pytest.fixture
def organiser(client, conference):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


GET_PAGES = [
    "/admin/",
    "/admin/outgoing-email/",
    "/admin/checkin/attendance/",
    "/admin/checkin/attendance.csv",
    "/admin/checkin/attendance-people.csv",
    "/admin/checkin/attendance.xlsx",
    "/admin/programme/releases/",
    "/admin/snippets/registration/registration/",
]


@pytest.mark.parametrize("path", GET_PAGES)
@PROPERTY
@given(params=st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), any_text), any_text, max_size=6))
def test_admin_pages_never_5xx_whatever_the_query(organiser, path, params):
    response = organiser.get(f"{path}?{query(params)}")
    assert response.status_code < 500, (path, params, response.status_code)


@pytest.mark.parametrize("target", ["registration", "/admin/visa-letters/", "/admin/programme/releases/", "mail"])
@PROPERTY
@given(fields=st.dictionaries(st.one_of(st.sampled_from(FORM_NAMES), any_text), any_text, max_size=10))
def test_admin_forms_never_5xx_whatever_is_posted(organiser, target, fields):
    registration = rich_registration()
    paths = {
        "registration": f"/admin/snippets/registration/registration/inspect/{registration.pk}/",
        "mail": "/admin/outgoing-email/",
    }
    post(organiser, paths.get(target, target), fields)
