"""Workshop places on PostgreSQL: many real connections signing up at once never exceed the capacity."""

import pytest
from django.db import connection

from programme.models import SessionPage
from registration import workshops
from registration.models import WorkshopSignup

from .registration_factories import make_type, make_user, register
from .test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres]

THREADS = 16


def test_last_places_never_overbooked(demo_tx):
    assert connection.vendor == "postgresql"
    session = SessionPage.objects.live().descendant_of(demo_tx).first()
    session.signup_capacity = 3
    session.save(update_fields=["signup_capacity"])
    chosen = make_type(demo_tx, capacity=100)
    registrations = [register(make_user(), demo_tx, chosen) for _ in range(THREADS)]
    results = run_at_once(
        [lambda registration=r: workshops.sign_up(registration=registration, session=session) for r in registrations]
    )
    assert sorted(result.status for result in results) == ["confirmed"] * 3 + ["waitlisted"] * (THREADS - 3)
    assert WorkshopSignup.objects.filter(session=session, status="confirmed").count() == 3
    # Two leave at once: exactly two of the queue move up, the oldest first.
    confirmed = [r for r in results if r.status == "confirmed"][:2]
    run_at_once([lambda s=s: workshops.cancel(registration=s.registration, session=session) for s in confirmed])
    assert WorkshopSignup.objects.filter(session=session, status="confirmed").count() == 3
    waiting = sorted((r for r in results if r.status == "waitlisted"), key=lambda s: (s.created_at, s.pk))
    promoted = set(
        WorkshopSignup.objects.filter(pk__in=[s.pk for s in waiting], status="confirmed").values_list("pk", flat=True)
    )
    assert promoted == {waiting[0].pk, waiting[1].pk}
