"""Concurrent scans of one badge on PostgreSQL, each thread on its own connection: one check-in."""

import threading
from collections import Counter

import pytest
from django.db import connection

from registration.badge_tokens import issue_badge_token
from registration.checkin import CheckInError, perform_checkin
from registration.models import CheckIn, ScanAttempt

from .checkin_factories import make_registration, make_staff


def scan_at_once(count, **scan):
    """Run `count` scans in real threads released together; returns their results."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def one_scan(number):
        try:
            barrier.wait(timeout=30)
            kwargs = {key: value(number) if callable(value) else value for key, value in scan.items()}
            try:
                results.append(perform_checkin(**kwargs).result)
            except CheckInError as error:
                results.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_scan, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return Counter(results)


@pytest.mark.postgres
def test_twenty_concurrent_scans_of_one_badge_make_one_checkin(demo_tx):
    registration = make_registration(demo_tx)
    staff = make_staff()
    code = issue_badge_token(registration)
    results = scan_at_once(
        20, code=code, conference_slug="vilnius-2017", staff=staff, gate="Main", nonce=lambda n: f"door-{n}"
    )
    assert results == Counter({"checked_in": 1, "already_checked_in": 19})
    assert CheckIn.objects.filter(registration=registration).count() == 1
    assert ScanAttempt.objects.filter(registration=registration).count() == 20


@pytest.mark.postgres
def test_concurrent_retries_with_one_nonce_count_once(demo_tx):
    registration = make_registration(demo_tx)
    staff = make_staff()
    results = scan_at_once(
        10, code=issue_badge_token(registration), conference_slug="vilnius-2017", staff=staff, nonce="same-nonce"
    )
    assert results == Counter({"checked_in": 10})
    assert ScanAttempt.objects.filter(nonce="same-nonce").count() == 1
    assert CheckIn.objects.filter(registration=registration).count() == 1


@pytest.mark.postgres
def test_concurrent_retries_of_an_invalid_code_with_one_nonce_count_once(demo_tx):
    staff = make_staff()
    results = scan_at_once(10, code="FORGED", conference_slug="vilnius-2017", staff=staff, nonce="bad-nonce")
    assert results == Counter({"invalid": 10})
    assert ScanAttempt.objects.filter(nonce="bad-nonce").count() == 1
