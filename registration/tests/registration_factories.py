"""Test helpers for registration tests: verified accounts, types and registrations through the services."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from registration import services
from registration.models import RegistrationQuestion, RegistrationType

PASSWORD = "a long test pass phrase 42"
_numbers = itertools.count(1)


def make_user(email=None, *, verified=True):
    email = email or f"attendee{next(_numbers)}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_type(conference, *, slug=None, capacity=2, needs_approval=False, **fields):
    slug = slug or f"test-type-{next(_numbers)}"
    return RegistrationType.objects.create(
        conference=conference,
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        capacity=capacity,
        needs_approval=needs_approval,
        **fields,
    )


def details(**overrides):
    values = {"full_name": "Test Person", "badge_name": "Testy", "organisation": "Example Org", "country": "LT"}
    values.update(overrides)
    return values


def register(user, conference, registration_type, **overrides):
    return services.register(
        user=user, conference=conference, registration_type=registration_type, details=details(**overrides)
    )


def make_outreach_type(conference, *, slug, naloxone_question=False):
    """ "Outreach worker": a type with a required question of its own (and optionally a choice), for the tests of
    the form that shows only the chosen type's questions."""
    chosen = make_type(conference, slug=slug, name="Outreach worker", name_ru="Аутрич-работник", capacity=5)
    RegistrationQuestion.objects.create(
        registration_type=chosen,
        text="Which city do you work in?",
        text_ru="В каком городе вы работаете?",
        kind=RegistrationQuestion.SHORT_TEXT,
        required=True,
        sort_order=0,
    )
    if naloxone_question:
        RegistrationQuestion.objects.create(
            registration_type=chosen,
            text="Have you used naloxone?",
            text_ru="Вы применяли налоксон?",
            kind=RegistrationQuestion.ONE_CHOICE,
            choices="Yes\nNo",
            choices_ru="Да\nНет",
            sort_order=1,
        )
    return chosen
