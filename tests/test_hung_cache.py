"""A Redis that hangs (paused with SIGSTOP: it accepts connections and never answers) behaves like a missing one
within a second: pages, sign-in and /healthz answer, and /healthz says the cache is failing (issue 21, finding 2).
Against a real redis-server this module starts and pauses."""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.test import Client

from conference.settings import base as base_settings
from registration.tests.registration_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def paused_redis():
    """A real redis-server, answering at first and then paused: its socket accepts, nothing ever answers."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":  # CI installs redis-server
            pytest.fail("redis-server is not installed")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _attempt in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    server.send_signal(signal.SIGSTOP)
    yield url
    server.send_signal(signal.SIGCONT)
    server.terminate()
    server.wait(5)


@pytest.fixture
def redis_settings(settings, paused_redis):
    """The production settings with REDIS_URL set (conference/settings/base.py), pointed at the paused server."""
    settings.CACHES = {**settings.CACHES, "default": base_settings.CACHES_FOR_REDIS(paused_redis)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return settings


def within(seconds, work):
    """Run `work` in a thread and give it `seconds`: a hang fails the test instead of stopping the suite."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(result=work()), daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return outcome["result"], time.monotonic() - started


def test_the_paused_redis_really_hangs_a_client_without_timeouts(paused_redis):
    client = redis.Redis.from_url(paused_redis)
    thread = threading.Thread(target=client.ping, daemon=True)
    thread.start()
    thread.join(2)
    assert thread.is_alive()


def test_healthz_answers_fast_and_reports_the_hung_cache(redis_settings):
    client = Client()
    response, _seconds = within(5, lambda: client.get("/healthz"))
    assert response.status_code == 200
    assert json.loads(response.content)["cache"] == "failing"
    # The breaker is open now: the next ones do not wait for the cache at all.
    responses, seconds = within(5, lambda: [client.get("/healthz") for _ in range(10)])
    assert {response.status_code for response in responses} == {200}
    assert seconds < 2


def test_pages_and_sign_in_answer_with_a_hung_cache(redis_settings, demo_tx):
    # Committed (demo_tx): the requests run in another thread, on its own database connection.
    user = make_user("hung.cache@example.org")
    client = Client()

    def journey():
        pages = [client.get(path).status_code for path in ("/", "/vilnius-2017/", "/vilnius-2017/programme/")]
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        return pages, client.get("/my/").status_code

    (pages, my_page), _seconds = within(20, journey)
    assert pages == [200, 200, 200]
    assert my_page == 200  # signed in: the session lives in the database when the cache does not answer
