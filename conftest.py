"""Shared test fixtures: the demo conference loaded once per test database (and copied back from a snapshot
for each transactional test), a clean cache per test, and a real Chromium driven by Playwright."""

import contextlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from wagtail.models import Locale

from conference.models import ConferencePage
from conference.worker import drain

pytest_plugins = ["tests.ci_lanes"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SNAPSHOT_SCHEMA = "demo_snapshot"


class DemoSnapshot:
    """Every row of the test database right after load_demo, to put back after a transactional test has
    emptied it: copying rows takes a fraction of a second, load_demo several (it draws and renders images).
    SQLite: an in-memory copy through SQLite's backup API. PostgreSQL: a copy of each table in a schema
    of its own, which Django's flush does not see (it is not on the search path)."""

    def __init__(self):
        self.sqlite_copy = None
        self.tables = []
        self.sequences = []

    def take(self):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.sqlite_copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite_copy)
            return
        self.tables = connection.introspection.table_names(include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
            for table in self.tables:
                cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE "{table}"')
            cursor.execute(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
            self.sequences = cursor.fetchall()

    def restore(self):
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.sqlite_copy.backup(connection.connection)
        else:
            # One transaction: the foreign keys Django makes are checked at commit, so the order of the copies
            # does not matter.
            with transaction.atomic(), connection.cursor() as cursor:
                quoted = ", ".join(f'"{table}"' for table in self.tables)
                cursor.execute(f"TRUNCATE {quoted}")
                for table in self.tables:
                    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table}"')
                for sequence, value in self.sequences:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, value])
        # flush's post_migrate made content types again, under other ids than the snapshot's.
        ContentType.objects.clear_cache()
        cache.clear()


demo_snapshot = DemoSnapshot()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo conference once into the test database; each test then runs in a rolled-back
    transaction on top of it."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        demo_snapshot.take()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. The test client runs requests in the test's own
    thread, and LocaleMiddleware leaves a `/ru/` request's language active after it: without this, the
    next test's services (which take the active language, e.g. for an attendee's emails) inherit Russian."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deliver_mail():
    """`with deliver_mail(): ...` sends what was queued before and empties the outbox, runs the block,
    then a worker until the queue is empty: the outbox then holds exactly the block's emails."""

    @contextlib.contextmanager
    def deliver():
        drain()
        del getattr(mail, "outbox", [])[:]
        yield
        drain()

    return deliver


def get_demo_conference():
    return ConferencePage.objects.get(slug="vilnius-2017", locale=Locale.get_default())


@pytest.fixture
def conference(db):
    """The demo conference, in the default language."""
    return get_demo_conference()


@pytest.fixture
def demo_tx(transactional_db):
    """The demo conference for tests that need real commits (threads, live server): a transactional
    test empties the database afterwards, so the demo is put back for each one, as load_demo left it."""
    demo_snapshot.restore()
    # Rate-limit counters are a table no model owns, which the transactional test's flush leaves as it is.
    caches["limits"].clear()
    return get_demo_conference()


def chromium_available():
    return shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium. Skipped where it is not installed, unless REQUIRE_BROWSER=1 (CI)."""
    if not chromium_available():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} but REQUIRE_BROWSER=1")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from async contexts otherwise.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here: playwright is heavy and only the browser tests need it.
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page at phone width (360 px)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _postgres_marker(request):
    """Tests marked @pytest.mark.postgres need real row locks: skipped on other databases, but failed
    instead when REQUIRE_POSTGRES=1 and DATABASE_URL names PostgreSQL (CI must not skip them silently)."""
    if request.node.get_closest_marker("postgres") is None or is_postgres():
        return
    database_url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("REQUIRE_POSTGRES") == "1" and database_url.startswith(("postgres://", "postgresql://")):
        pytest.fail("REQUIRE_POSTGRES=1 and DATABASE_URL is PostgreSQL, but the tests run on another database")
    pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
