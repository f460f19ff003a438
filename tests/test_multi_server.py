"""Two real gunicorn app servers on one PostgreSQL database and one Redis (CONTRACT.md, "Several servers"):
a session started on one is valid on the other, a publish shows on the other's next request, a type's
capacity holds with registrations spread over both, and rate limits are counted across both. And bin/cluster
itself, nginx in front: the check-in API is answered by the door pools, or by the page pools when both are down.

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
from registration.badge_tokens import issue_badge_token
from registration.models import Registration
from registration.tests.checkin_factories import make_registration, make_staff
from registration.tests.registration_factories import PASSWORD, make_type, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.multi_server]

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


def database_url_of_the_test_database():
    """The test database as a DATABASE_URL for the servers this module starts."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


SHARED_KEY_PREFIX = "multi-server-test"


@pytest.fixture(scope="module")
def app_servers(django_db_setup, django_db_blocker, redis_url):
    """Two gunicorn servers (production settings, 2 workers each) on the test database and `redis_url`;
    {"a": base URL, "b": base URL}."""
    database_url = database_url_of_the_test_database()
    workdir = Path(tempfile.mkdtemp(prefix="hrne-multi-server-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="conference.settings.production",
        # The test process's key: sessions it creates (force_login) must verify on both servers.
        SECRET_KEY=django_settings.SECRET_KEY,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # One installation: the servers and this test process (which publishes) keep their keys under one prefix.
        CACHE_KEY_PREFIX=SHARED_KEY_PREFIX,
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
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": SHARED_KEY_PREFIX,
        },
    }
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


@pytest.fixture
def bin_cluster(demo_tx, tmp_path):
    """bin/cluster on free ports and the test database (the demo is there already: no load_demo), with an
    nginx access log that names the server which answered; nothing is restarted during the test. Yields
    {"url", "ports" (name → port), "processes" (a function: name → pid), "access_log"}; stopped afterwards."""
    missing = [tool for tool in ("nginx", "redis-server") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but bin/cluster's {', '.join(missing)} is missing")
        pytest.skip(f"bin/cluster needs {', '.join(missing)} (apt-get install nginx redis-server)")
    ports = {name: free_port() for name in ("nginx", "app-a", "app-b", "door-a", "door-b", "redis")}
    cluster_dir = tmp_path / "cluster"
    cluster_dir.mkdir()
    # The test process's key: the door session it makes (force_login) and the badges it signs must verify.
    (cluster_dir / "secret_key").write_text(django_settings.SECRET_KEY)
    env = dict(
        os.environ,
        PORT=str(ports["nginx"]),
        APP_PORTS=f"{ports['app-a']} {ports['app-b']}",
        DOOR_PORTS=f"{ports['door-a']} {ports['door-b']}",
        REDIS_PORT=str(ports["redis"]),
        DATABASE_URL=database_url_of_the_test_database(),
        CLUSTER_DIR=str(cluster_dir),
        CLUSTER_DEMO="0",
        CLUSTER_RESTART_DELAY="600",
        CLUSTER_ACCESS_LOG=str(tmp_path / "access.log"),
        LOG_LEVEL="ERROR",
    )
    log_path = tmp_path / "cluster.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "cluster")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while "Cluster ready" not in log_path.read_text():
            assert process.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "bin/cluster not ready in 180 s: " + log_path.read_text()[-3000:]
            time.sleep(0.5)

        def processes(name):
            rows = [line.split("\t") for line in (cluster_dir / "processes.tsv").read_text().splitlines()]
            return next(int(pid) for row_name, pid, _address in rows if row_name == name)

        yield {
            "url": f"http://127.0.0.1:{ports['nginx']}",
            "ports": ports,
            "processes": processes,
            "access_log": tmp_path / "access.log",
        }
    finally:
        stop(process)  # SIGTERM: bin/cluster stops every process it started
    assert "Stopped." in log_path.read_text()


def answered_by(access_log, path, number):
    """The ports nginx tried, in order, for its `number`th request to `path`: the last one answered it. (nginx
    writes the line just after answering, so it may not be there yet.)"""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in access_log.read_text().splitlines() if f" {path} HTTP/" in line]
        if len(lines) >= number or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    upstreams = re.search(r'" \d{3} (.+) \S+$', lines[number - 1]).group(1)
    return [int(address.rsplit(":", 1)[1]) for address in upstreams.split(", ")]


def wait_until_refused(port, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.1)
    raise AssertionError(f"port {port} still accepts connections {seconds} s after its server was killed")


def test_the_door_has_its_own_pool_and_the_page_pools_stand_in(bin_cluster, demo_tx):
    door = signed_in_session(make_staff())
    csrf = "doorpoolcsrfsecret0123456789abcd"  # 32 characters: a CSRF secret, sent as cookie and header
    door.cookies.set(django_settings.CSRF_COOKIE_NAME, csrf)
    url, ports, access_log = bin_cluster["url"], bin_cluster["ports"], bin_cluster["access_log"]
    door_pools, page_pools = {ports["door-a"], ports["door-b"]}, {ports["app-a"], ports["app-b"]}

    def scan(number):
        """Scans a new badge: the scan's result and the port that answered it."""
        response = door.post(
            url + "/checkin/api/scan/",
            json={"code": issue_badge_token(make_registration(demo_tx)), "conference": "vilnius-2017"},
            headers={"X-CSRFToken": csrf},
            timeout=30,
        )
        assert response.status_code == 200, response.text[-2000:]
        return response.json()["result"], answered_by(access_log, "/checkin/api/scan/", number)[-1]

    result, port = scan(1)
    assert result == "checked_in"
    assert port in door_pools, (port, ports)
    assert requests.get(url + "/vilnius-2017/", timeout=30).status_code == 200
    assert answered_by(access_log, "/vilnius-2017/", 1)[-1] in page_pools

    # Both door pools gone (bin/cluster would start them again only after 600 s): the page pools answer.
    for name in ("door-a", "door-b"):
        os.killpg(bin_cluster["processes"](name), signal.SIGKILL)
    for name in ("door-a", "door-b"):
        wait_until_refused(ports[name])
    result, port = scan(2)
    assert result == "checked_in"
    assert port in page_pools, (port, ports)
