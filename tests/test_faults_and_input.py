"""Odd input and failing parts never answer 500 (issue 21, findings 5 and 9): unstorable characters and deep JSON
are refused with a clear 400 before anything is stored; a database connection that breaks mid-request is retried
for a read and answered 503 with Retry-After otherwise; a full disk is a 507 that says so."""

import io
import json
import os
import subprocess
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.core.signals import request_started
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from PIL import Image

from conference.permissions import ORGANISERS
from registration.models import PendingRegistration
from registration.tests.checkin_factories import make_staff
from registration.tests.registration_factories import make_type, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

UNSTORABLE_TEXT = "cannot be stored"


def test_nul_in_a_url_is_a_400_page_not_a_500(client):
    response = client.get("/verify/%00/")
    assert response.status_code == 400
    assert UNSTORABLE_TEXT in response.content.decode()


def test_nul_in_a_query_value_is_refused(client, conference):
    for path in ["/vilnius-2017/programme/?track=%00", "/checkin/api/search/?q=ol%00ga", "/accounts/code/?next=%00"]:
        assert client.get(path).status_code == 400, path


def test_nul_in_a_field_of_the_one_flow_form_stores_nothing(client, conference):
    workshop = make_type(conference, capacity=3)
    form = {
        "email": "nul@example.org",
        "full_name": "Nina",
        "badge_name": "Nina",
        "organisation": "Org",
        "country": "GE",
        "registration_type": workshop.slug,
        "consent_privacy": "on",
        "junk\x00": "x",
    }
    response = client.post("/vilnius-2017/register/", form)
    assert response.status_code == 400
    assert UNSTORABLE_TEXT in response.content.decode()
    assert not PendingRegistration.objects.exists()


def test_a_control_character_in_a_name_is_refused_beside_the_field_keeping_the_form(client, conference):
    workshop = make_type(conference, capacity=3)
    form = {
        "email": "vt@example.org",
        "full_name": "Nina\x0bPaste",
        "badge_name": "Nina",
        "organisation": "Street Org",
        "country": "GE",
        "registration_type": workshop.slug,
        "consent_privacy": "on",
    }
    html = client.post("/vilnius-2017/register/", form).content.decode()
    assert "cannot be stored" in html and 'value="Street Org"' in html
    assert not PendingRegistration.objects.exists()


def test_russian_visitors_read_the_refusal_in_russian(client, conference):
    assert "нельзя сохранить" in client.get("/ru/verify/%00/").content.decode()


def test_control_characters_in_a_json_scan_are_a_json_400(conference):
    door = Client()
    door.force_login(make_staff())
    body = json.dumps({"code": "abc", "conference": "vilnius-2017", "device": "phone\u0007"})
    response = door.post("/checkin/api/scan/", body, content_type="application/json")
    assert response.status_code == 400
    assert "“device”" in response.json()["error"] and UNSTORABLE_TEXT in response.json()["error"]


def deep(levels):
    return "[" * levels + "]" * levels


def test_a_board_move_nested_3000_deep_is_a_400(client, conference):
    organiser = make_user("organiser.deep@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    organiser.is_staff = True
    organiser.save()
    client.force_login(organiser)
    response = client.post(
        "/admin/programme/board/move/", '{"session": ' + deep(3000) + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()


def test_json_nested_deeper_than_the_limit_is_refused_on_every_json_endpoint(client, conference):
    user = make_user()
    client.force_login(user)
    response = client.post("/agenda/import/", '{"sessions": ' + deep(50) + "}", content_type="application/json")
    assert response.status_code == 400


@contextmanager
def dropped_connections(times):
    """Terminate the request's PostgreSQL backend at the start of the next request, then right after each of the
    next `times - 1` reconnections: as a database restart or a killed backend does mid-request."""
    left = {"drops": times}
    settings_dict = connection.settings_dict

    def terminate(pid):
        with psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            dbname=settings_dict["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    def drop(**kwargs):
        if left["drops"] > 0:
            left["drops"] -= 1
            connection.ensure_connection()
            terminate(connection.connection.info.backend_pid)

    def on_request(**kwargs):
        drop()

    def on_connect(connection=None, **kwargs):
        if connection.alias == "default":
            drop()

    request_started.connect(on_request)
    connection_created.connect(on_connect)
    try:
        yield
    finally:
        request_started.disconnect(on_request)
        connection_created.disconnect(on_connect)
        connection.close()


@pytest.mark.postgres
def test_a_read_whose_connection_broke_is_served_on_a_fresh_one(demo_tx):
    client = Client(raise_request_exception=False)
    with dropped_connections(1):
        response = client.get("/vilnius-2017/programme/")
    assert response.status_code == 200


@pytest.mark.postgres
def test_a_read_that_breaks_twice_is_a_503_with_retry_after(demo_tx):
    client = Client(raise_request_exception=False)
    with dropped_connections(2):
        response = client.get("/vilnius-2017/speakers/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()
    assert client.get("/vilnius-2017/speakers/").status_code == 200  # and the next request is fine


@pytest.mark.postgres
def test_a_sign_in_whose_connection_broke_is_a_503_never_a_500(demo_tx):
    user = make_user("broken.connection@example.org")
    client = Client(raise_request_exception=False)
    with dropped_connections(1):
        response = client.post("/accounts/login/", {"login": user.email, "password": "x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.fixture
def full_media_root(settings):
    """MEDIA_ROOT on a real 256 kB file system, filled up: writes fail with ENOSPC as on a full disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    folder = tempfile.mkdtemp(prefix="hrne-full-disk-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", folder], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    with (Path(folder) / "filler").open("wb") as filler, suppress(OSError):
        filler.write(b"\0" * 1024 * 1024)
    settings.MEDIA_ROOT = folder
    yield folder
    subprocess.run(["umount", folder], check=False)


def test_an_image_upload_on_a_full_disk_tells_the_organiser(client, full_media_root):
    organiser = make_user("organiser.disk@example.org")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(organiser)
    client.raise_request_exception = False
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "#0a3540").save(picture, "PNG")
    picture.seek(0)
    picture.name = "hall.png"
    response = client.post(
        "/admin/images/add/", {"title": "Hall", "description": "The main hall", "file": picture, "collection": 1}
    )
    assert response.status_code == 507
    assert "disk is full" in response.content.decode()
