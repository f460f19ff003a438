"""How the site answers when a part it depends on fails mid-request: the database drops the connection (a
restart, a failover, a killed backend) or the disk is full. Never a bare 500: a read is tried once more on a
fresh connection, anything else gets a 503 with Retry-After (the database) or 507 (the disk) and a page, or a
JSON error, that says what happened in the visitor's language."""

import errno
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .text_input import wants_json

RETRY_AFTER_SECONDS = 5
SAFE_METHODS = {"GET", "HEAD"}
MESSAGES = {
    "database": _("The site cannot reach its database for a moment. Please try again in a few seconds."),
    "disk_full": _(
        "The server's disk is full, so nothing could be saved. Nothing was changed. Please tell the site's "
        "administrators; try again once they have made room."
    ),
}


def fault_of(error):
    """ "database", "disk_full" or None for an exception that reached Django's 500 handling."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return "database"
    if isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}:
        return "disk_full"
    if isinstance(error, DatabaseError) and "could not extend file" in str(error):
        return "disk_full"  # PostgreSQL out of disk space
    return None


def note_fault(sender, request=None, **kwargs):
    """Receiver of got_request_exception (sent inside Django's except block, so the exception is at hand)."""
    if request is not None:
        request.fault = fault_of(sys.exc_info()[1])


got_request_exception.connect(note_fault, dispatch_uid="conference.faults.note_fault")


def fault_response(request, fault):
    status = 503 if fault == "database" else 507
    message = MESSAGES[fault]
    if wants_json(request):
        response = JsonResponse({"error": str(message)}, status=status)
    else:
        # A bare page (no base.html): its header would ask the database for menus.
        response = render(request, "fault.html", {"message": message}, status=status)
    if fault == "database":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class RetryReadsMiddleware:
    """Outermost: a GET or HEAD whose database connection broke is served once more on a fresh connection
    (reads change nothing, so repeating one is safe); a second failure, or any other request, answers with the
    fault's status and page (conference.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "fault", None) == "database":
            for connection in connections.all(initialized_only=True):
                connection.close()
            if request.method in SAFE_METHODS and not getattr(request, "retried", False):
                request.retried = True
                request.fault = None
                response = self.get_response(request)
        return response
