"""perform_checkin: the contract's results, one check-in per day, nonces, the audit log, and search."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registration import checkin
from registration.badge_tokens import issue_badge_token
from registration.checkin import CheckInError, DoorNotAssigned, perform_checkin, search_registrations
from registration.enums import RegistrationStatus
from registration.models import CheckIn, DoorAssignment, ScanAttempt

from .checkin_factories import SEARCH_RESULT_KEYS, make_registration, make_staff


@pytest.fixture
def staff(db):
    return make_staff()


def scan(code, staff, **kwargs):
    kwargs.setdefault("conference_slug", "vilnius-2017")
    return perform_checkin(code=code, staff=staff, **kwargs)


def other_conference(conference, *, door_staff=None):
    """A second live conference (a copy of the demo's), `door_staff` assigned to its door."""
    other = conference.copy(update_attrs={"slug": "other-2018", "title": "Other"}, keep_live=True)
    if door_staff is not None:
        DoorAssignment.objects.create(user=door_staff, conference=other)
    return other


def test_first_scan_checks_in(conference, staff):
    registration = make_registration(conference)
    outcome = scan(issue_badge_token(registration), staff, gate="Main door", device="phone-1")
    assert outcome.result == "checked_in"
    saved = CheckIn.objects.get(registration=registration)
    assert (saved.gate, saved.device, saved.staff, saved.conference) == ("Main door", "phone-1", staff, conference)
    assert saved.day == timezone.now().astimezone(conference.tzinfo).date()


def test_second_scan_same_day_is_already_checked_in_with_the_first_time(conference, staff):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    first = scan(code, staff)
    second = scan(code, staff)
    assert second.result == "already_checked_in"
    assert second.checkin.checked_in_at == first.checkin.checked_in_at
    assert CheckIn.objects.filter(registration=registration).count() == 1


def test_scan_on_another_day_checks_in_again(conference, staff):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    yesterday = timezone.now() - timedelta(days=1)
    assert scan(code, staff, scanned_at=yesterday).result == "checked_in"
    assert scan(code, staff).result == "checked_in"
    assert CheckIn.objects.filter(registration=registration).count() == 2


def test_day_is_the_date_in_the_conference_time_zone(conference, staff):
    registration = make_registration(conference)
    # 22:30 UTC is already the next day in Vilnius (UTC+2 or +3).
    late_evening_utc = (timezone.now() - timedelta(days=1)).replace(hour=22, minute=30, second=0, microsecond=0)
    scan(issue_badge_token(registration), staff, scanned_at=late_evening_utc)
    assert CheckIn.objects.get(registration=registration).day == (late_evening_utc + timedelta(days=1)).date()


@pytest.mark.parametrize(
    ("status", "result"),
    [
        (RegistrationStatus.CANCELLED, "cancelled"),
        (RegistrationStatus.WAITLISTED, "not_confirmed"),
        (RegistrationStatus.PENDING, "not_confirmed"),
    ],
)
def test_unconfirmed_badges_are_refused_by_status(conference, staff, status, result):
    registration = make_registration(conference, status=status)
    with pytest.raises(CheckInError) as raised:
        scan(issue_badge_token(registration), staff)
    assert raised.value.code == result
    assert raised.value.registration == registration
    assert not CheckIn.objects.exists()


def test_badge_of_another_conference_is_wrong_conference(conference, staff):
    registration = make_registration(conference)
    other = other_conference(conference, door_staff=staff)
    with pytest.raises(CheckInError) as raised:
        scan(issue_badge_token(registration), staff, conference_slug=other.slug)
    assert raised.value.code == "wrong_conference"
    assert not CheckIn.objects.exists()


def test_scan_at_a_door_not_assigned_is_refused_and_not_audited(conference, staff):
    registration = make_registration(conference)
    other = other_conference(conference)
    with pytest.raises(DoorNotAssigned):
        scan(issue_badge_token(registration), staff, conference_slug=other.slug)
    assert (CheckIn.objects.count(), ScanAttempt.objects.count()) == (0, 0)


def test_unknown_door_conference_is_invalid(conference, staff):
    registration = make_registration(conference)
    with pytest.raises(CheckInError) as raised:
        scan(issue_badge_token(registration), staff, conference_slug="no-such-conference")
    assert raised.value.code == "invalid"


def test_deleted_registration_is_cancelled(conference, staff):
    # We signed the badge, so it was real: its registration is gone, so the badge is void (issue 10).
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    registration.delete()
    with pytest.raises(CheckInError) as raised:
        scan(code, staff)
    assert raised.value.code == "cancelled"


@pytest.mark.parametrize("code", [None, 42, ["A"], "", "A" * 10_000_000, "\x00" * 117])
def test_garbage_is_invalid_and_audited(conference, staff, code):
    with pytest.raises(CheckInError) as raised:
        scan(code, staff)
    assert raised.value.code == "invalid"
    attempt = ScanAttempt.objects.get()
    assert (attempt.result, attempt.registration) == ("invalid", None)
    assert len(attempt.code_excerpt) <= 60 and attempt.code_excerpt.isprintable()


def test_every_attempt_is_audited(conference, staff):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    scan(code, staff)
    scan(code, staff)
    with pytest.raises(CheckInError):
        scan(code[:-1], staff)
    assert list(ScanAttempt.objects.order_by("pk").values_list("result", flat=True)) == [
        "checked_in",
        "already_checked_in",
        "invalid",
    ]


def test_retry_with_the_same_nonce_answers_the_same_and_writes_nothing(conference, staff):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    first = scan(code, staff, nonce="n-1")
    retry = scan(code, staff, nonce="n-1")
    assert (retry.result, retry.checkin.pk) == ("checked_in", first.checkin.pk)
    assert ScanAttempt.objects.count() == 1
    assert CheckIn.objects.count() == 1


def test_retry_of_a_refused_scan_with_the_same_nonce_is_refused_again(conference, staff):
    registration = make_registration(conference, status=RegistrationStatus.CANCELLED)
    for _ in range(2):
        with pytest.raises(CheckInError) as raised:
            scan(issue_badge_token(registration), staff, nonce="n-2")
        assert raised.value.code == "cancelled"
    assert ScanAttempt.objects.count() == 1


def test_offline_scan_synced_late_keeps_its_scan_time(conference, staff):
    registration = make_registration(conference)
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    outcome = scan(issue_badge_token(registration), staff, scanned_at=ten_minutes_ago, offline=True, nonce="q-1")
    assert outcome.checkin.checked_in_at == ten_minutes_ago
    assert ScanAttempt.objects.get().offline is True


def test_offline_scan_older_than_an_online_one_becomes_the_first_of_the_day(conference, staff):
    registration = make_registration(conference)
    code = issue_badge_token(registration)
    online = scan(code, staff)
    earlier = online.checkin.checked_in_at - timedelta(minutes=3)
    late_sync = scan(code, staff, scanned_at=earlier, offline=True)
    assert late_sync.result == "already_checked_in"
    assert CheckIn.objects.get().checked_in_at == earlier


def test_device_clock_far_in_the_future_is_not_believed(conference, staff):
    registration = make_registration(conference)
    before = timezone.now()
    outcome = scan(issue_badge_token(registration), staff, scanned_at=before + timedelta(days=3))
    assert before <= outcome.checkin.checked_in_at <= timezone.now()


def test_manual_checkin_by_registration_id(conference, staff):
    registration = make_registration(conference)
    outcome = perform_checkin(code=None, registration_id=registration.pk, conference_slug="vilnius-2017", staff=staff)
    assert outcome.result == "checked_in"
    assert ScanAttempt.objects.get().code_excerpt == f"manual:{registration.pk}"


def test_door_json_holds_only_what_the_door_may_see(conference, staff):
    registration = make_registration(conference, badge_name="Ona", country="LT", dietary_needs="vegan")
    data = scan(issue_badge_token(registration), staff).as_door_json()
    assert set(data) == {"result", "badge_name", "registration_type", "registration_id", "checked_in_at"}
    assert data["checked_in_at"].endswith(("+02:00", "+03:00"))


def test_search_finds_by_name_or_badge_name_and_hides_personal_data(conference):
    make_registration(conference, full_name="Ona Petraitė", badge_name="Ona P", country="LT", dietary_needs="vegan")
    make_registration(conference, full_name="Jonas Jonaitis", badge_name="Jonas")
    by_full_name = search_registrations(conference=conference, query="petrai")
    by_badge = search_registrations(conference=conference, query="ona p")
    assert [r["badge_name"] for r in by_full_name] == ["Ona P"] == [r["badge_name"] for r in by_badge]
    assert set(by_full_name[0]) == SEARCH_RESULT_KEYS


def test_search_needs_three_characters(conference):
    make_registration(conference, full_name="Ona Petraitė", badge_name="Ona")
    assert search_registrations(conference=conference, query="On") == []


def test_every_contract_result_comes_from_a_real_scan_and_is_audited(conference, staff):
    contract_results = ["checked_in", "already_checked_in", "invalid", "cancelled", "not_confirmed", "wrong_conference"]
    other = other_conference(conference, door_staff=staff)
    valid = issue_badge_token(make_registration(conference))
    scans = [
        (valid, "vilnius-2017"),
        (valid, "vilnius-2017"),
        ("not a badge", "vilnius-2017"),
        (issue_badge_token(make_registration(conference, status="cancelled")), "vilnius-2017"),
        (issue_badge_token(make_registration(conference, status="pending")), "vilnius-2017"),
        (issue_badge_token(make_registration(conference)), other.slug),
    ]
    answers = []
    for code, conference_slug in scans:
        try:
            answers.append(scan(code, staff, conference_slug=conference_slug).result)
        except CheckInError as error:
            answers.append(error.code)
    assert answers == contract_results
    assert list(ScanAttempt.objects.order_by("pk").values_list("result", flat=True)) == contract_results


@pytest.mark.parametrize("status", list(RegistrationStatus))
def test_offline_data_refuses_a_badge_as_an_online_scan_would(conference, staff, status):
    registration = make_registration(conference, status=status)
    try:
        online = scan(issue_badge_token(registration), staff).result
    except CheckInError as error:
        online = error.code
    refused = checkin.offline_data(conference=conference)["refused"]
    offline = refused.get(registration.pk, "checked_in")
    assert (online, offline) == (
        ("checked_in", "checked_in")
        if status == "confirmed"
        else ("cancelled", "cancelled")
        if status == "cancelled"
        else ("not_confirmed", "not_confirmed")
    )


def test_forged_code_never_reads_a_registration(conference, staff):
    code = issue_badge_token(make_registration(conference))
    forged = code[:-2] + ("AA" if code[-2:] != "AA" else "BA")
    with CaptureQueriesContext(connection) as queries, pytest.raises(CheckInError):
        scan(forged, staff)
    assert not [q["sql"] for q in queries if 'FROM "registration_registration"' in q["sql"]]
    assert ScanAttempt.objects.get().result == "invalid"
