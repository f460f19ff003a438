"""Organisers manage staff accounts in the admin but can never create, edit or delete an administrator."""

import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def organiser(db, django_user_model):
    user = django_user_model.objects.create_user(username="org", email="org@example.org", password="pw-12345-long")
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def administrator(db, django_user_model):
    return django_user_model.objects.create_superuser(username="root", email="root@example.org", password="pw-root-123")


def assert_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message."""
    assert (response.status_code, response.get("Location")) in {(403, None), (302, "/admin/")}


def user_form(**extra):
    data = {
        "username": "newstaff",
        "email": "newstaff@example.org",
        "first_name": "New",
        "last_name": "Staff",
        "password1": "a-long-pass-phrase-1",
        "password2": "a-long-pass-phrase-1",
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_organiser_can_create_a_door_staff_account(client, organiser, django_user_model):
    client.force_login(organiser)
    door_staff = Group.objects.get(name="Door staff")
    response = client.post("/admin/users/new/", user_form(groups=[door_staff.pk]))
    assert (response.status_code, response["Location"]) == (302, "/admin/users/")
    created = django_user_model.objects.get(username="newstaff")
    assert not created.is_superuser
    assert list(created.groups.values_list("name", flat=True)) == ["Door staff"]


def test_organiser_cannot_create_an_administrator(client, organiser, django_user_model):
    client.force_login(organiser)
    assert_refused(client.post("/admin/users/new/", user_form(is_superuser="on")))
    assert not django_user_model.objects.filter(username="newstaff").exists()


def test_organiser_cannot_edit_an_administrator(client, organiser, administrator):
    client.force_login(organiser)
    assert_refused(client.get(f"/admin/users/edit/{administrator.pk}/"))
    assert_refused(client.post(f"/admin/users/edit/{administrator.pk}/", {"email": "taken@example.org"}))
    assert_refused(client.post(f"/admin/users/delete/{administrator.pk}/"))
    administrator.refresh_from_db()
    assert administrator.email == "root@example.org"


def test_organiser_cannot_promote_a_colleague_to_administrator(client, organiser, django_user_model):
    colleague = django_user_model.objects.create_user(username="col", email="col@example.org", password="pw-col-12345")
    client.force_login(organiser)
    response = client.post(
        f"/admin/users/edit/{colleague.pk}/",
        {
            "username": "col",
            "email": "col@example.org",
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    assert_refused(response)
    colleague.refresh_from_db()
    assert not colleague.is_superuser


def test_administrator_can_make_an_administrator(client, administrator, django_user_model):
    client.force_login(administrator)
    response = client.post("/admin/users/new/", user_form(is_superuser="on"))
    assert (response.status_code, response["Location"]) == (302, "/admin/users/")
    assert django_user_model.objects.get(username="newstaff").is_superuser
