"""Fixtures shared by the registration tests."""

import pytest
from django.contrib.auth.models import Group

from conference.permissions import ORGANISERS

from .registration_factories import make_user


@pytest.fixture
def organiser(client):
    """A member of the Organisers group, logged in on the test client."""
    user = make_user("organiser@example.org")
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    return user
