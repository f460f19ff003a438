"""Operational endpoints of the site: the health check and the error pages."""

import sys

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .faults import fault_of, fault_response
from .mail import queue_state
from .worker import last_heartbeat

HEALTH_CACHE_PREFIX = "healthz:probe:"
TOO_LARGE_MESSAGE = _(
    "What you sent is too large to read (a form may hold about 2.5 MB; an abstract at most 5,000 characters). "
    "Nothing was saved: go back, shorten the longest text and send it again."
)


def cache_state():
    """ "ok" if a value written to the cache reads back; the cache backend swallows errors, so a mismatch
    is how a failing cache shows."""
    if getattr(cache, "is_resting", lambda: False)():
        return "failing"  # it failed moments ago: asking again would only wait for another timeout
    token = get_random_string(16)
    key = f"{HEALTH_CACHE_PREFIX}{token}"  # one key per probe: concurrent probes cannot disturb each other
    cache.set(key, token, 60)
    state = "ok" if cache.get(key) == token else "failing"
    cache.delete(key)
    return state


def worker_state():
    last = last_heartbeat()
    return {
        "last_heartbeat": last.isoformat() if last else None,
        "age_seconds": round((timezone.now() - last).total_seconds()) if last else None,
    }


@never_cache
def healthz(request):
    """503 only when the database does not answer; otherwise 200 with the state of the cache, the mail
    queue and the workers, for a monitor to alert on (a growing backlog or an old heartbeat)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        mail_queue = queue_state()
        worker = worker_state()
    except Exception:  # noqa: BLE001 - any failure to reach the database is "down"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "cache": cache_state(), "mail_queue": mail_queue, "worker": worker}
    )


def bad_request(request, exception=None):
    """A request Django refused before any view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, say: a 10 MB abstract
    pasted into a form) gets a page that says what to do, in the visitor's language."""
    message = TOO_LARGE_MESSAGE if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)) else None
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """A database that dropped the connection or a full disk is said as such (503 / 507, conference.faults);
    anything else is a plain 500. Bare templates: the error may come from the database, so nothing here queries."""
    fault = fault_of(sys.exc_info()[1])
    if fault is not None:
        return fault_response(request, fault)
    return render(request, "500.html", status=500)
