"""A call for proposals on the demo conference, open unless told otherwise."""

import itertools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from proposals.models import CallForProposals, SessionFormat

_numbers = itertools.count(1)


def make_user(email=None):
    """An account with a verified address (proposals may not import registration's test factories)."""
    email = email or f"submitter{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email, password="a-long-test-password")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_call(conference, *, opens_in=timedelta(days=-1), closes_in=timedelta(days=30), **fields):
    now = timezone.now()
    CallForProposals.objects.filter(conference=conference).delete()
    call = CallForProposals.objects.create(
        conference=conference, opens_at=now + opens_in, closes_at=now + closes_in, **fields
    )
    SessionFormat.objects.create(call=call, name="Talk", name_ru="Доклад", duration_minutes=20, sort_order=0)
    SessionFormat.objects.create(call=call, name="Workshop", name_ru="Мастер-класс", duration_minutes=90, sort_order=1)
    return call


def proposal_post(call, /, **overrides):
    """A complete proposal form for `call`, sent for review."""
    track = call.track_choices()[0] if call.track_choices() else None
    data = {
        "title": "Naloxone in every pocket",
        "abstract": "Peer distribution of naloxone in three cities, and what we learned.",
        "session_format": str(call.formats.first().pk),
        "track": track.slug if track else None,
        "language": "ru",
        "intent": "submit",
        "form_key": "key-1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
