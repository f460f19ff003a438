"""Two installations sharing one Redis (issue 22, point 4): every cache key carries the installation's KEY_PREFIX
(settings.CACHE_KEY_PREFIX), so one site's stored pages, exports and generations never answer for the other, and
clearing one site's cache leaves the other's keys. Against a real redis-server."""

import pytest
import redis
from django.core.cache import cache

from conference.settings import base as base_settings
from programme.cache import invalidate_programme
from programme.models import SessionPage

from .redis_server import running_redis

pytestmark = pytest.mark.django_db

SESSION_ICS = "/vilnius-2017/programme/chemsex/session.ics"
PROGRAMME = "/vilnius-2017/programme/"
RENAMED = "Renamed behind the cache"


@pytest.fixture
def shared_redis():
    with running_redis() as url:
        yield url


def use_site(settings, url, prefix):
    """This process now runs as the installation whose cache keys start with `prefix`."""
    settings.CACHES = {**settings.CACHES, "default": base_settings.CACHES_FOR_REDIS(url, key_prefix=prefix)}


def rename_session_behind_the_cache():
    """A title changed without the signals that retire stored pages: only a fresh render shows it."""
    SessionPage.objects.filter(slug="chemsex").update(title=RENAMED)


@pytest.mark.parametrize("path", [SESSION_ICS, PROGRAMME])
def test_a_site_is_not_served_another_sites_pages(client, conference, settings, shared_redis, path):
    use_site(settings, shared_redis, "site-a")
    stored_by_a = client.get(path).content.decode()
    rename_session_behind_the_cache()
    assert client.get(path).content.decode() == stored_by_a  # A serves what it stored

    use_site(settings, shared_redis, "site-b")
    assert RENAMED in client.get(path).content.decode()  # B renders its own

    use_site(settings, shared_redis, "site-a")
    assert client.get(path).content.decode() == stored_by_a  # and B's render did not replace A's


def test_every_key_in_the_shared_redis_carries_a_prefix(client, conference, settings, shared_redis):
    for prefix in ("site-a", "site-b"):
        use_site(settings, shared_redis, prefix)
        client.get(PROGRAMME)
        client.get(SESSION_ICS)
    keys = [key.decode() for key in redis.Redis.from_url(shared_redis).scan_iter(count=1000)]
    assert any(key.startswith("site-a:") for key in keys)
    assert any(key.startswith("site-b:") for key in keys)
    assert all(key.startswith(("site-a:", "site-b:")) for key in keys)


def test_a_change_on_one_site_does_not_retire_the_others_pages(client, conference, settings, shared_redis):
    use_site(settings, shared_redis, "site-a")
    stored_by_a = client.get(SESSION_ICS).content.decode()
    rename_session_behind_the_cache()
    use_site(settings, shared_redis, "site-b")
    invalidate_programme()
    use_site(settings, shared_redis, "site-a")
    assert client.get(SESSION_ICS).content.decode() == stored_by_a


def test_clearing_one_sites_cache_keeps_the_others(client, conference, settings, shared_redis):
    use_site(settings, shared_redis, "site-a")
    client.get(SESSION_ICS)
    use_site(settings, shared_redis, "site-b")
    client.get(SESSION_ICS)
    cache.clear()
    keys = [key.decode() for key in redis.Redis.from_url(shared_redis).scan_iter(count=1000)]
    assert keys
    assert all(key.startswith("site-a:") for key in keys)


def test_the_default_prefix_follows_the_database():
    one = {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "PORT": 5432, "NAME": "vilnius"}
    same_elsewhere = {**one, "PASSWORD": "rotated"}
    other = {**one, "NAME": "warsaw"}
    prefix = base_settings.installation_key_prefix(one)
    assert prefix == base_settings.installation_key_prefix(same_elsewhere)
    assert prefix != base_settings.installation_key_prefix(other)


def test_every_configured_cache_has_the_installation_prefix(settings):
    assert settings.CACHE_KEY_PREFIX
    assert all(config.get("KEY_PREFIX") == settings.CACHE_KEY_PREFIX for config in settings.CACHES.values())
    assert settings.CACHES["default"]["LOCATION"].endswith(settings.CACHE_KEY_PREFIX)
