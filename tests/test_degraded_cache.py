"""A failing cache makes the site slower, not broken: the cache's folder is a file (as good as a full or
unwritable disk), and pages, sign-in and door scans still answer; /healthz says the cache is failing."""

import json

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.mail import EmailMessage
from django.test import Client

from conference.cache_backends import GuardedRedisCache
from conference.mail import queue_email
from conference.settings import base as base_settings
from conference.worker import drain
from registration.badge_tokens import issue_badge_token
from registration.tests.checkin_factories import make_registration, make_staff
from registration.tests.registration_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_cache(settings, tmp_path):
    """Point the file cache at a plain file: every read and write of the cache raises inside the backend."""
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("not a folder")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "conference.cache_backends.GuardedFileBasedCache", "LOCATION": str(not_a_folder)},
    }
    return not_a_folder


def test_the_unguarded_file_cache_really_fails_here(tmp_path):
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("x")
    with pytest.raises(OSError):
        FileBasedCache(str(not_a_folder), {}).set("key", "value")


@pytest.mark.parametrize(
    "path", ["/", "/vilnius-2017/", "/vilnius-2017/programme/", "/vilnius-2017/programme/now/", "/ru/vilnius-2017/"]
)
def test_pages_answer_with_a_broken_cache(client, broken_cache, path):
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # the second visit, which would have been served from the cache


def test_sign_in_works_with_a_broken_cache(client, broken_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS  # the limits use the cache
    user = make_user()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200


def test_door_scans_work_with_a_broken_cache(broken_cache, conference):
    door = Client(enforce_csrf_checks=True)
    door.force_login(make_staff())
    assert door.get("/checkin/").status_code == 200
    body = json.dumps({"code": issue_badge_token(make_registration(conference)), "conference": "vilnius-2017"})
    response = door.post(
        "/checkin/api/scan/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": door.cookies["csrftoken"].value},
    )
    assert (response.status_code, response.json()["result"]) == (200, "checked_in")


def test_healthz_reports_a_broken_cache_and_stays_200(client, broken_cache):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["database"], response.json()["cache"]) == ("ok", "failing")


def test_healthz_reports_queue_backlog_and_worker_heartbeat(client):
    before = client.get("/healthz").json()
    queue_email(EmailMessage("Hello", "Body", to=["someone@example.org"]))
    queued = client.get("/healthz").json()
    assert queued["mail_queue"]["backlog"] == before["mail_queue"]["backlog"] + 1
    assert queued["mail_queue"]["oldest_age_seconds"] is not None
    drain()
    after = client.get("/healthz").json()
    assert after["mail_queue"]["backlog"] == 0
    assert after["worker"]["age_seconds"] is not None and after["worker"]["age_seconds"] < 60


def test_redis_cache_shares_one_client_and_still_degrades_when_redis_is_down():
    # Port 9 (discard) has no Redis: every command fails inside the backend, which the guard answers.
    cache = GuardedRedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
    assert (cache.get("door", "missed"), cache.set("door", 1)) == ("missed", None)
