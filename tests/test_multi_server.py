"""Two real gunicorn app servers on one PostgreSQL database and one Redis (CONTRACT.md, "Several servers"):
a session started on one is valid on the other, a publish shows on the other's next request, a type's
capacity holds with registrations spread over both, and rate limits are counted across both.

Redis: REDIS_TEST_URL (set by .ci/redis) or a redis-server this module starts on a free port."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from programme.models import ProgrammePage, SessionPage
from programme.tests.helpers import demo_session, publish_change
from registration.models import Registration
from registration.tests.registration_factories import PASSWORD, make_type, make_user

pytestmark = [pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent
REGISTER = "/vilnius-2017/register/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process {process.args[:3]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def redis_url(django_db_setup, django_db_blocker):
    """The CI's Redis, or one of our own on a free port (skipped or failed like PostgreSQL when absent)."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    if os.environ.get("REDIS_TEST_URL"):
        yield os.environ["REDIS_TEST_URL"]
        return
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but neither REDIS_TEST_URL nor redis-server is available")
        pytest.skip("needs redis-server (apt-get install redis-server) or REDIS_TEST_URL")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--logfile", "", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, server, 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(server)


@pytest.fixture(scope="module")
def app_servers(django_db_setup, django_db_blocker, redis_url):
    """Two gunicorn servers (production settings, 2 workers each) on the test database and `redis_url`;
    {"a": base URL, "b": base URL}."""
    database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    workdir = Path(tempfile.mkdtemp(prefix="hrne-multi-server-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="conference.settings.production",
        # The test process's key: sessions it creates (force_login) must verify on both servers.
        SECRET_KEY=django_settings.SECRET_KEY,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        VAR_DIR=str(workdir),
        MEDIA_ROOT=str(workdir / "media"),
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
        WEB_CONCURRENCY="2",
    )
    # Production settings serve hashed static names from a manifest: collect them, as a deployment does.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    servers, urls = [], {}
    try:
        for name in ("a", "b"):
            port = free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "conference/gunicorn.conf.py", "conference.wsgi:application"],
                cwd=ROOT,
                env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}"),
                start_new_session=True,
            )
            servers.append(server)
            urls[name] = f"http://127.0.0.1:{port}"
        for server, url in zip(servers, urls.values(), strict=True):
            wait_for_port(int(url.rsplit(":", 1)[1]), server)
        yield urls
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def cluster(app_servers, redis_url, settings):
    """The servers, with this test process using the same Redis as its cache (so that what it publishes
    through the ORM invalidates what the servers cached), emptied first."""
    redis.Redis.from_url(redis_url).flushdb()
    # Passwords set here must verify on the servers, which run the production hashers (tests use MD5).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    return app_servers


def new_session():
    """A client session that names the site as the reverse proxy does: one Host for both servers (allauth
    keys its per-address limits by the host, port included)."""
    session = requests.Session()
    session.headers["Host"] = "127.0.0.1"
    return session


def signed_in_session(user):
    """A requests session carrying a session cookie for `user`, made as the servers make them."""
    client = Client()
    client.force_login(user)
    session = new_session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def csrf_token(session, url):
    response = session.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def login(session, base, email, password):
    token = csrf_token(session, base + "/accounts/login/")
    return session.post(
        base + "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )


def test_a_session_started_on_a_is_valid_on_b(cluster, demo_tx):
    user = make_user("both-servers@example.org")
    session = new_session()
    signed_in = login(session, cluster["a"], user.email, PASSWORD)
    assert (signed_in.status_code, signed_in.headers.get("Location")) == (302, "/my/"), signed_in.text[-3000:]
    on_b = session.get(cluster["b"] + "/my/", allow_redirects=False, timeout=30)
    assert on_b.status_code == 200
    assert "both-servers@example.org" in on_b.text
    # Signing out on B ends the session on A too.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', on_b.text).group(1)
    session.post(cluster["b"] + "/accounts/logout/", data={"csrfmiddlewaretoken": token}, timeout=30)
    assert session.get(cluster["a"] + "/my/", allow_redirects=False, timeout=30).status_code == 302


def test_a_publish_shows_on_the_other_servers_next_request(cluster, demo_tx):
    session_page = demo_session(demo_tx, demo_session_slug(demo_tx))
    paths = [session_page.url, "/vilnius-2017/programme/"]
    urls = [base + path for path in paths for base in cluster.values()]
    for url in urls * 2:  # rendered, then answered from the shared response cache
        assert requests.get(url, timeout=30).status_code == 200
    assert "Renamed across servers" not in requests.get(urls[1], timeout=30).text
    publish_change(session_page, title="Renamed across servers")
    for url in urls:
        assert "Renamed across servers" in requests.get(url, timeout=30).text, url


def demo_session_slug(conference):
    """The demo's first live session, whatever its slug."""
    programme = ProgrammePage.objects.child_of(conference).get()
    return SessionPage.objects.child_of(programme).live().order_by("pk").first().slug


def test_capacity_holds_with_registrations_spread_over_both_servers(cluster, demo_tx):
    workshop = make_type(demo_tx, capacity=4)
    people = 16
    sessions = [signed_in_session(make_user()) for _ in range(people)]
    bases = [cluster["a"] if index % 2 else cluster["b"] for index in range(people)]
    tokens = [csrf_token(session, base + REGISTER) for session, base in zip(sessions, bases, strict=True)]
    barrier = threading.Barrier(people)
    answers = [None] * people

    def submit(index):
        barrier.wait(timeout=30)
        answers[index] = sessions[index].post(
            bases[index] + REGISTER,
            data={
                "csrfmiddlewaretoken": tokens[index],
                "full_name": f"Person {index}",
                "badge_name": f"P{index}",
                "organisation": "Example Org",
                "country": "LT",
                "registration_type": workshop.slug,
                "consent_privacy": "on",
            },
            headers={"Referer": bases[index] + REGISTER},
            allow_redirects=False,
            timeout=120,
        )

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert [answer.status_code for answer in answers] == [302] * people
    statuses = sorted(Registration.objects.filter(registration_type=workshop).values_list("status", flat=True))
    assert statuses == ["confirmed"] * 4 + ["waitlisted"] * (people - 4)
    assert Registration.objects.filter(registration_type=workshop).values("user").distinct().count() == people


def test_failed_sign_ins_are_counted_across_both_servers(cluster, demo_tx):
    user = make_user("rate-limited@example.org")
    session = new_session()
    # 10 wrong passwords per account in 15 minutes (ACCOUNT_RATE_LIMITS["login_failed"], base settings): 5 on A
    # and 5 on B use them up.
    for base in [cluster["a"], cluster["b"]] * 5:
        failed = login(session, base, user.email, "not the password")
        assert failed.status_code == 200
        assert "Too many failed login attempts" not in failed.text
    refused = login(session, cluster["b"], user.email, PASSWORD)
    assert refused.status_code == 200  # even the right password is refused now, on either server
    assert "Too many failed login attempts" in refused.text
