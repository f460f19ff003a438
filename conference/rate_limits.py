"""Where rate-limit counters are kept: the `limits` cache of settings, a database table of its own, apart from the
shared cache that holds pages. A flood of pages can fill Redis or the file cache and make it evict or cull
entries; counters kept there would vanish with them, and a password guesser would start again from zero.

allauth counts its limits, and ours (conference.email_proof goes through allauth's ratelimit), in
`django.core.cache.cache`; `use_limits_store` points allauth's counting at the limits cache instead."""

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.connection import ConnectionProxy

LIMITS_CACHE_ALIAS = "limits"
# Read through on every use, so that a test's settings.CACHES applies as everywhere else.
limits_cache = ConnectionProxy(caches, LIMITS_CACHE_ALIAS)


def use_limits_store():
    """On start (ConferenceConfig.ready): allauth's rate limits count in the limits cache."""
    from allauth.core.internal import ratelimit  # noqa: PLC0415 - allauth's models load with the app registry

    if not hasattr(ratelimit, "cache"):
        # allauth moved its counting elsewhere: counters would silently go back to the page cache.
        raise ImproperlyConfigured("allauth's ratelimit no longer reads `cache`: see conference.rate_limits")
    ratelimit.cache = limits_cache
