"""Fixtures shared by the programme tests."""

import pytest


@pytest.fixture
def organiser(client, django_user_model):
    """The test client, logged in as a superuser (the programme's admin screens)."""
    user = django_user_model.objects.create_superuser(username="org", email="org@example.org", password="x" * 12)
    client.force_login(user)
    return client
