"""Door staff per conference (CONTRACT.md, "Check-in API"): an account works only the doors it is assigned to,
every change of rights applies on the next request, and a deleted or anonymised badge is void at every door."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from registration import services
from registration.badge_tokens import issue_badge_token
from registration.checkin import has_door_rights, may_work_door
from registration.enums import RegistrationStatus
from registration.models import CheckIn, DoorAssignment
from registration.personal_data import delete_account

from .checkin_factories import DOOR_STAFF, ORGANISERS, make_registration, make_staff

SCAN_URL = "/checkin/api/scan/"
MANUAL_URL = "/checkin/api/manual/"


@pytest.fixture
def other(conference):
    """A second live conference in the default language."""
    return conference.copy(update_attrs={"slug": "other-2018", "title": "Other"}, keep_live=True)


def session(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/checkin/")
    return client


def post_json(client, url, body):
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(url, json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token})


def door_requests(conference, registration):
    """Every door endpoint, asked about `conference`: (name, status code)."""

    def ask(client):
        slug = conference.slug
        return {
            "scan": post_json(client, SCAN_URL, {"code": issue_badge_token(registration), "conference": slug}),
            "manual": post_json(client, MANUAL_URL, {"registration_id": registration.pk, "conference": slug}),
            "search": client.get("/checkin/api/search/", {"conference": slug, "q": "Attendee"}),
            "offline-data": client.get("/checkin/api/offline-data/", {"conference": slug}),
            "scanner": client.get("/checkin/", {"conference": slug}),
        }

    return ask


def test_door_staff_get_403_everywhere_for_a_conference_they_are_not_assigned_to(conference, other):
    registration = make_registration(other)
    client = session(make_staff(conferences=[conference]))
    answers = door_requests(other, registration)(client)
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 403)
    for name in ("scan", "manual", "search", "offline-data"):
        assert "error" in answers[name].json()
    assert not CheckIn.objects.exists()


def test_door_staff_work_the_conference_they_are_assigned_to(conference, other):
    registration = make_registration(other)
    client = session(make_staff(conferences=[other]))
    answers = door_requests(other, registration)(client)
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 200)
    assert answers["scan"].json()["result"] == "checked_in"
    assert answers["offline-data"].json()["conference"]["slug"] == "other-2018"


def test_organisers_work_every_door(conference, other):
    registration = make_registration(other)
    answers = door_requests(other, registration)(session(make_staff(group=ORGANISERS)))
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 200)


def test_scanner_page_offers_only_the_assigned_conferences(conference, other):
    client = session(make_staff(conferences=[other]))
    page = client.get("/checkin/").content.decode()
    assert 'data-conference="other-2018"' in page
    assert 'value="vilnius-2017"' not in page


def test_door_staff_without_assignment_see_no_conference(conference):
    response = session(make_staff(conferences=[])).get("/checkin/")
    assert response.status_code == 200
    assert b"There is no conference to check people in to." in response.content


def test_no_javascript_manual_check_in_is_refused_for_another_conference(conference, other):
    registration = make_registration(other)
    client = Client()
    client.force_login(make_staff(conferences=[conference]))
    response = client.post("/checkin/manual/", {"conference": "other-2018", "registration_id": registration.pk})
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_assignment_removed_applies_on_the_next_request(conference):
    staff = make_staff(conferences=[conference])
    client = session(staff)
    body = {"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"}
    assert post_json(client, SCAN_URL, body).status_code == 200  # the rights are now in the cache
    DoorAssignment.objects.filter(user=staff).delete()
    assert post_json(client, SCAN_URL, body).status_code == 403
    DoorAssignment.objects.create(user=staff, conference=conference)
    assert post_json(client, SCAN_URL, body).status_code == 200


def test_group_membership_removed_applies_on_the_next_request_from_either_side(conference):
    group = Group.objects.get(name=DOOR_STAFF)
    staff = make_staff(conferences=[conference])
    client = session(staff)
    search = {"conference": "vilnius-2017", "q": "Attendee"}
    assert client.get("/checkin/api/search/", search).status_code == 200
    staff.groups.remove(group)
    assert client.get("/checkin/api/search/", search).status_code == 403
    group.user_set.add(staff)
    assert client.get("/checkin/api/search/", search).status_code == 200
    group.user_set.remove(staff)
    assert client.get("/checkin/api/search/", search).status_code == 403
    group.user_set.add(staff)
    assert client.get("/checkin/api/search/", search).status_code == 200
    group.user_set.clear()
    assert client.get("/checkin/api/search/", search).status_code == 403


def test_organiser_rights_taken_away_apply_on_the_next_request(conference, other):
    organiser = make_staff(group=ORGANISERS)
    assert may_work_door(organiser, other)
    organiser.groups.clear()
    assert not has_door_rights(organiser)
    organiser.groups.add(Group.objects.get(name=DOOR_STAFF))
    DoorAssignment.objects.create(user=organiser, conference=conference)
    assert (may_work_door(organiser, conference), may_work_door(organiser, other)) == (True, False)


def test_admin_door_staff_page_assigns_conferences(conference, other):
    organiser = Client()
    organiser.force_login(make_staff(group=ORGANISERS))
    staff = make_staff(conferences=[])
    door = session(staff)
    search = {"conference": "other-2018", "q": "Attendee"}
    assert door.get("/checkin/api/search/", search).status_code == 403

    page = organiser.get("/admin/checkin/door-staff/").content.decode()
    assert f'name="member-{staff.pk}-conferences" value="{other.pk}"' in page
    response = organiser.post(
        "/admin/checkin/door-staff/", {"assign": staff.pk, f"member-{staff.pk}-conferences": [other.pk]}
    )
    assert response.status_code == 302
    assert door.get("/checkin/api/search/", search).status_code == 200
    assert door.get("/checkin/api/search/", {"conference": "vilnius-2017", "q": "Attendee"}).status_code == 403

    organiser.post("/admin/checkin/door-staff/", {"remove": staff.pk})
    assert door.get("/checkin/api/search/", search).status_code == 403
    assert not DoorAssignment.objects.filter(user=staff).exists()


def test_admin_adds_a_new_door_staff_account_for_one_conference(conference, other):
    organiser = Client()
    organiser.force_login(make_staff(group=ORGANISERS))
    response = organiser.post(
        "/admin/checkin/door-staff/",
        {"email": "gate@example.org", "password": "a long door password 17", "conferences": [other.pk]},
    )
    assert response.status_code == 302
    assert list(DoorAssignment.objects.filter(user__email="gate@example.org").values_list("conference", flat=True)) == [
        other.pk
    ]


def test_load_demo_assigns_the_door_staff_account_to_the_demo_conference(conference):
    call_command("load_demo", "--door-staff", "door@example.org", "--password", "door-pass-2017", verbosity=0)
    assert list(DoorAssignment.objects.filter(user__email="door@example.org").values_list("conference", flat=True)) == [
        conference.pk
    ]


# --- deleted and anonymised badges are void at every door -----------------------------------------------


@pytest.fixture
def organiser_door(db):
    return session(make_staff(group=ORGANISERS))


def scan_at(client, registration, slug):
    return post_json(client, SCAN_URL, {"code": issue_badge_token(registration), "conference": slug}).json()


def test_deleted_account_badge_of_a_past_conference_is_cancelled_at_every_door(organiser_door, conference, other):
    registration = make_registration(conference)  # the demo conference is in 2017: delete_account keeps it confirmed
    code_holder = registration
    issue_badge_token(code_holder)
    delete_account(user=registration.user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.anonymised_at is not None
    assert scan_at(organiser_door, registration, "vilnius-2017") == {"result": "cancelled"} | {
        "badge_name": "",
        "registration_type": "Participant",
        "registration_id": registration.pk,
    }
    assert scan_at(organiser_door, registration, "other-2018") == {"result": "cancelled"}
    assert not CheckIn.objects.exists()


def test_anonymised_registration_is_cancelled_and_refused_offline(organiser_door, conference):
    registration = make_registration(conference)
    services.anonymise(registrations=type(registration).objects.filter(pk=registration.pk))
    assert scan_at(organiser_door, registration, "vilnius-2017")["result"] == "cancelled"
    data = organiser_door.get("/checkin/api/offline-data/", {"conference": "vilnius-2017"}).json()
    assert data["refused"][str(registration.pk)] == "cancelled"
    manual = post_json(organiser_door, MANUAL_URL, {"registration_id": registration.pk, "conference": "vilnius-2017"})
    assert manual.json()["result"] == "cancelled"


def test_deleted_registration_is_cancelled_at_its_own_and_other_doors(organiser_door, conference, other):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    registration.delete()
    for slug in ("vilnius-2017", "other-2018"):
        answer = post_json(organiser_door, SCAN_URL, {"code": code, "conference": slug}).json()
        assert answer == {"result": "cancelled"}


def test_live_registration_of_another_conference_is_still_wrong_conference(organiser_door, conference, other):
    registration = make_registration(conference, badge_name="Ona")
    assert scan_at(organiser_door, registration, "other-2018")["result"] == "wrong_conference"
