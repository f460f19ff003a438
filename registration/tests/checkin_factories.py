"""Registrations, types and staff accounts for the badge and check-in tests (real rows, no mocks)."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from conference.models import ConferencePage
from conference.permissions import DOOR_STAFF, ORGANISERS
from registration.enums import RegistrationStatus
from registration.models import DoorAssignment, Registration, RegistrationType

_counter = itertools.count(1)


def make_registration_type(conference, *, slug="participant", name="Participant", colour="#1f5f8b"):
    registration_type, _ = RegistrationType.objects.get_or_create(
        conference=conference.canonical,
        slug=slug,
        defaults={"name": name, "capacity": 5000, "badge_colour": colour},
    )
    return registration_type


def make_registration(conference, *, status=RegistrationStatus.CONFIRMED, registration_type=None, user=None, **fields):
    number = next(_counter)
    if user is None:
        user = get_user_model().objects.create_user(
            username=f"attendee{number}-{id(fields)}", email=f"a{number}@example.org"
        )
    values = {
        "full_name": f"Attendee Number{number}",
        "badge_name": f"Attendee {number}",
        "organisation": "Harm Reduction Network",
        "country": "LT",
        "role": "outreach",
    }
    values.update(fields)
    registration = Registration.objects.create(
        user=user,
        conference=conference.canonical,
        registration_type=registration_type or make_registration_type(conference),
        status=status,
        **values,
    )
    RegistrationType.objects.filter(pk=registration.registration_type_id).recount_seats()  # made without services
    return registration


ALL = "all"

# All a door search may show of a registration (CONTRACT.md): nothing personal beyond the badge.
SEARCH_RESULT_KEYS = {"registration_id", "badge_name", "organisation", "registration_type", "status", "checked_in_at"}


def make_staff(*, group=DOOR_STAFF, username=None, conferences=ALL):
    """A staff account. Door staff are assigned to `conferences` (default: every conference there is)."""
    username = username or f"staff{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    if group == DOOR_STAFF:
        if conferences == ALL:
            conferences = ConferencePage.objects.filter(locale=Locale.get_default())
        for conference in conferences:
            DoorAssignment.objects.create(user=user, conference=conference.canonical)
    return user


__all__ = [
    "SEARCH_RESULT_KEYS",
    "make_registration",
    "make_registration_type",
    "make_staff",
    "DOOR_STAFF",
    "ORGANISERS",
]
