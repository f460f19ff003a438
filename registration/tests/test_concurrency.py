"""The last seats on PostgreSQL: many real connections at once never exceed a type's capacity, and one
person's double submit never makes two registrations."""

import threading

import pytest
from django.db import connection, connections

from registration import services
from registration.models import Registration

from .registration_factories import details, make_type, make_user

pytestmark = [pytest.mark.postgres]

THREADS = 24


def run_at_once(calls):
    """Run each call in its own thread with its own database connection, all released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_last_seats_never_oversold(demo_tx):
    assert connection.vendor == "postgresql"
    workshop = make_type(demo_tx, capacity=5)
    users = [make_user() for _ in range(THREADS)]
    results = run_at_once(
        [
            lambda user=user: services.register(
                user=user, conference=demo_tx, registration_type=workshop, details=details()
            )
            for user in users
        ]
    )
    statuses = sorted(result.status for result in results)
    assert statuses == ["confirmed"] * 5 + ["waitlisted"] * (THREADS - 5)
    assert Registration.objects.filter(registration_type=workshop, status="confirmed").count() == 5
    workshop.refresh_from_db()
    assert workshop.confirmed_seats == 5  # the counter that decided the seats, kept in each one's transaction


def test_same_person_submitting_at_once_gets_one_registration(demo_tx):
    user = make_user()
    types = [make_type(demo_tx, capacity=50), make_type(demo_tx, capacity=50)]
    results = run_at_once(
        [
            lambda index=index: services.register(
                user=user, conference=demo_tx, registration_type=types[index % 2], details=details()
            )
            for index in range(THREADS)
        ]
    )
    created = [result for result in results if isinstance(result, Registration)]
    refused = [result for result in results if isinstance(result, services.RegistrationError)]
    assert (len(created), len(refused)) == (1, THREADS - 1)
    assert {error.code for error in refused} == {"already_registered"}
    assert {error.registration.pk for error in refused} == {created[0].pk}
    assert Registration.objects.filter(user=user).count() == 1


def test_cancels_at_once_promote_each_waiting_person_once(demo_tx):
    workshop = make_type(demo_tx, capacity=10)
    holders = [
        services.register(user=make_user(), conference=demo_tx, registration_type=workshop, details=details())
        for _ in range(10)
    ]
    waiting = [
        services.register(user=make_user(), conference=demo_tx, registration_type=workshop, details=details())
        for _ in range(15)
    ]
    run_at_once([lambda r=r: services.cancel(registration=r, by=None) for r in holders])
    confirmed = set(
        Registration.objects.filter(registration_type=workshop, status="confirmed").values_list("pk", flat=True)
    )
    assert confirmed == {r.pk for r in waiting[:10]}
