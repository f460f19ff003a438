"""The foundation: page-tree rules, demo content, health check, settings, error pages, security headers."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from conference.models import ConferencePage
from conference.views import server_error
from home.models import HomePage, StandardPage
from programme.models import ProgrammePage, SessionPage, SpeakerIndexPage, SpeakerPage

ROOT = Path(__file__).resolve().parent.parent


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_allows_conferences_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {ConferencePage, StandardPage})

    def test_conference_page_lives_under_home_page_only(self):
        self.assertAllowedParentPageTypes(ConferencePage, {HomePage})

    def test_conference_page_holds_programme_speakers_and_information(self):
        self.assertAllowedSubpageTypes(ConferencePage, {ProgrammePage, SpeakerIndexPage, StandardPage})

    def test_sessions_live_under_the_programme_only(self):
        self.assertAllowedParentPageTypes(SessionPage, {ProgrammePage})
        self.assertAllowedSubpageTypes(SessionPage, set())

    def test_speakers_live_under_the_speaker_index_only(self):
        self.assertAllowedParentPageTypes(SpeakerPage, {SpeakerIndexPage})

    def test_standard_page_can_be_created_under_a_conference(self):
        self.assertCanCreateAt(ConferencePage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, ConferencePage)

    def test_conference_page_can_be_created_under_home(self):
        self.assertCanCreateAt(HomePage, ConferencePage)
        self.assertCanNotCreateAt(ConferencePage, ConferencePage)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, text",
    [
        ("/", "Harm Reduction in the New Environment"),
        ("/vilnius-2017/", "From Street to Government"),
        ("/vilnius-2017/privacy/", "Door staff see only your badge name"),
        ("/vilnius-2017/venue-accessibility/", "step-free"),
    ],
)
def test_each_page_type_renders_with_demo_content(client, path, text):
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.django_db
def test_conference_page_shows_dates_venue_and_partners(client):
    html = client.get("/vilnius-2017/").content.decode()
    assert '<time datetime="2017-04-04">' in html
    assert '<time datetime="2017-04-06">' in html
    assert "Vilnius" in html
    for partner in ["EHRN", "IDPC", "HRI", "Youth RISE", "MENAHRA", "EuroNPUD", "ENPUD", "Robert Carr Fund"]:
        assert partner in html


@pytest.mark.django_db
def test_load_demo_twice_leaves_one_conference():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert (
        ConferencePage.objects.filter(slug="vilnius-2017").count()
        == ConferencePage.objects.filter(slug="vilnius-2017").values("locale").distinct().count()
    )
    assert ConferencePage.objects.filter(slug="vilnius-2017", locale__language_code="en").count() == 1
    conference = ConferencePage.objects.get(slug="vilnius-2017", locale__language_code="en")
    assert (str(conference.start_date), str(conference.end_date), conference.time_zone) == (
        "2017-04-04",
        "2017-04-06",
        "Europe/Vilnius",
    )
    assert StandardPage.objects.child_of(conference).filter(slug="privacy").count() == 1


@pytest.mark.django_db
def test_load_demo_creates_no_account_unless_asked(django_user_model):
    before = django_user_model.objects.filter(is_superuser=False, groups__name__in=["Organisers", "Door staff"]).count()
    call_command("load_demo", verbosity=0)
    after = django_user_model.objects.filter(is_superuser=False, groups__name__in=["Organisers", "Door staff"]).count()
    assert before == after == 0


@pytest.mark.django_db
def test_staff_groups_exist_after_migrate():
    organisers = Group.objects.get(name="Organisers")
    door_staff = Group.objects.get(name="Door staff")
    assert organisers.permissions.filter(codename="access_admin").exists()
    assert not door_staff.permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_organiser_from_load_demo_can_edit_and_publish_the_conference(client, django_user_model):
    call_command("load_demo", "--organiser", "organiser@example.org", "--password", "a-long-pass-phrase", verbosity=0)
    user = django_user_model.objects.get(email="organiser@example.org")
    conference = ConferencePage.objects.get(slug="vilnius-2017", locale__language_code="en")
    permissions = conference.permissions_for_user(user)
    assert permissions.can_edit() and permissions.can_publish()
    assert client.login(username=user.username, password="a-long-pass-phrase")
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{conference.pk}/edit/").status_code == 200


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["database"], response.json()["cache"]) == ("ok", "ok", "ok")


def process_env(**env):
    """This process's environment for a child, minus what the browser fixture sets for Playwright."""
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, **env}


def run_django(code, **env):
    """Run `code` in a fresh Python process with the given environment, return its stdout."""
    full_env = process_env(**{"DJANGO_SETTINGS_MODULE": "conference.settings.test", **env})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the assertion below shows stderr when it fails
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_healthz_answers_503_when_the_database_is_unreachable():
    # Port 9 on loopback: nothing listens, so PostgreSQL's connection is refused at once.
    out = run_django(
        "from django.test import Client\nr = Client().get('/healthz')\nprint(r.status_code, r.content.decode())\n",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
    )
    status, body = out.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["status"] != "ok"


def test_settings_read_every_contract_variable(tmp_path):
    out = run_django(
        "import json\nfrom django.conf import settings as s\n"
        "print(json.dumps({'allowed': s.ALLOWED_HOSTS, 'debug': s.DEBUG, 'secret': s.SECRET_KEY,"
        " 'db': s.DATABASES['default']['ENGINE'], 'dbname': s.DATABASES['default']['NAME'],"
        " 'email': s.MAIL_DELIVERY_BACKEND, 'queue': s.EMAIL_BACKEND, 'email_path': s.EMAIL_FILE_PATH,"
        " 'site': s.SITE_URL,"
        " 'cache': s.CACHES['default']['BACKEND'], 'cache_location': s.CACHES['default']['LOCATION'],"
        " 'sessions': s.SESSION_ENGINE}))",
        DJANGO_SETTINGS_MODULE="conference.settings.production",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="conf.example.org, www.conf.example.org",
        DEBUG="false",
        DATABASE_URL="postgres://user:pw@db.example.org:5432/conf",
        EMAIL_FILE_PATH=str(tmp_path),
        SITE_URL="https://conf.example.org/",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    settings = json.loads(out)
    assert settings["allowed"] == ["conf.example.org", "www.conf.example.org"]
    assert settings["debug"] is False
    assert settings["secret"] == "s" * 60
    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["dbname"] == "conf"
    assert settings["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert settings["email_path"] == str(tmp_path)
    assert settings["queue"] == "conference.mail.QueueingEmailBackend"
    assert settings["site"] == "https://conf.example.org"
    assert settings["cache"] == "conference.cache_backends.GuardedRedisCache"
    assert settings["cache_location"] == "redis://127.0.0.1:6379/3"
    assert settings["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_cache_is_shared_between_processes():
    out = run_django(
        "import json\nfrom django.conf import settings as s\nprint(s.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="conference.settings.dev",
        REDIS_URL="",
    )
    assert out.strip() == "conference.cache_backends.GuardedFileBasedCache"


def test_port_sets_the_gunicorn_bind_address():
    namespace = {}
    env_before = os.environ.get("PORT")
    os.environ["PORT"] = "8123"
    try:
        exec((ROOT / "conference" / "gunicorn.conf.py").read_text(), namespace)
    finally:
        if env_before is None:
            del os.environ["PORT"]
        else:
            os.environ["PORT"] = env_before
    assert namespace["bind"] == "127.0.0.1:8123"
    assert namespace["control_socket_disable"] is True


def test_site_url_follows_port_when_unset():
    code = (
        "import json\nfrom django.conf import settings as s\nfrom registration.visa_pdf import verification_url\n"
        "print(json.dumps({'site': s.SITE_URL, 'csrf': s.CSRF_TRUSTED_ORIGINS, 'verify': verification_url('R1')}))"
    )
    env = {key: value for key, value in process_env().items() if key not in ("SITE_URL", "CSRF_TRUSTED_ORIGINS")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "conference.settings.test", "PORT": "18300"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the assertion below shows stderr when it fails
    )
    assert result.returncode == 0, result.stderr
    links = json.loads(result.stdout)
    assert links == {
        "site": "http://127.0.0.1:18300",
        "csrf": ["http://127.0.0.1:18300"],
        "verify": "http://127.0.0.1:18300/verify/R1/",
    }


def test_production_settings_refuse_to_start_without_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=process_env(DJANGO_SETTINGS_MODULE="conference.settings.production", SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,  # failing is the point of this test
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=process_env(
            DJANGO_SETTINGS_MODULE="conference.settings.production",
            SECRET_KEY="k3y-" + "x9Q!zr7#Lm2@" * 5,
            SITE_URL="https://conf.example.org",
            ALLOWED_HOSTS="conf.example.org",
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the assertion below shows the output when it fails
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_404_page_renders_without_traceback_when_debug_is_off(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Traceback" not in html
    assert '<main id="main"' in html


@pytest.mark.django_db
def test_500_page_renders_without_the_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_security_headers_on_public_pages(client):
    response = client.get("/vilnius-2017/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_admin_may_frame_itself_for_previews(client):
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


EXTERNAL_REFERENCE = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//|@import\s+(?:url\()?["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_no_template_or_stylesheet_references_an_external_host():
    offenders = []
    folders = [ROOT / "templates", ROOT / "static"] + list(ROOT.glob("*/templates"))
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_dir() or "vendor" in path.parts or path.suffix not in {".html", ".css", ".js", ".txt", ".svg"}:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if EXTERNAL_REFERENCE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_external_reference_check_catches_a_cdn_script():
    assert EXTERNAL_REFERENCE.search('<script src="https://cdn.example.com/x.js"></script>')
    assert EXTERNAL_REFERENCE.search("@import url('//fonts.example.com/css')")
    assert not EXTERNAL_REFERENCE.search('<a href="{{ organisation.url }}">')


@pytest.mark.django_db
def test_root_page_tree_has_one_home_page():
    assert HomePage.objects.filter(locale__language_code="en").count() == 1
    assert Page.objects.get(depth=1).get_children().count() >= 1


def test_the_gunicorn_master_compiles_templates_and_urls_before_forking_without_a_connection():
    # A database that does not answer: preparing must neither need nor open a connection a forked worker would share.
    out = run_django(
        "from django.db import connection\n"
        "from django.template import engines\n"
        "from django.urls import get_resolver\n"
        "import runpy\n"
        "on_starting = runpy.run_path('conference/gunicorn.conf.py')['on_starting']\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "before = len(loader.get_template_cache)\n"
        "on_starting(None)\n"
        "import gc\n"
        "print(before, len(loader.get_template_cache), 'registration/register.html' in loader.get_template_cache,\n"
        "      get_resolver()._populated, connection.connection is None, gc.get_freeze_count())\n",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
    )
    before, after, register_compiled, urls_populated, no_connection, frozen = out.split()
    assert (int(before), register_compiled, urls_populated, no_connection) == (0, "True", "True", "True")
    assert int(after) > 80  # every template of the site and Django's form widgets
    # Out of the collector's sight: Django, Wagtail and what was prepared (a full collection then has little to walk).
    assert int(frozen) > 100_000


def test_each_gunicorn_worker_freezes_what_it_loaded_and_switches_threads_every_millisecond():
    out = run_django(
        "import gc, runpy, sys\n"
        "post_worker_init = runpy.run_path('conference/gunicorn.conf.py')['post_worker_init']\n"
        "before = (sys.getswitchinterval(), gc.get_freeze_count())\n"
        "post_worker_init(None)\n"
        "print(*before, sys.getswitchinterval(), gc.get_freeze_count())\n",
    )
    interval_before, frozen_before, interval, frozen = out.split()
    assert (float(interval_before), int(frozen_before)) == (0.005, 0)
    assert float(interval) == 0.001
    assert int(frozen) > 100_000
