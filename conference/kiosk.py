"""The registration desk (issue 25): a device that door staff or an organiser authorises at /kiosk/ carries a
signed cookie, and emailed codes asked for or typed on it are not limited per network address (a venue's desk
serves hundreds of people from one address). The limits per email address and per pending form still apply."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .permissions import is_door_staff

KIOSK_COOKIE = "conference_kiosk"
KIOSK_SALT = "conference.kiosk"


def is_kiosk(request):
    """Whether the request comes from a device staff authorised as a registration desk (and not too long ago)."""
    value = request.get_signed_cookie(KIOSK_COOKIE, default=None, salt=KIOSK_SALT, max_age=settings.KIOSK_MAX_AGE)
    return value is not None


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request):
    """GET: whether this device is a desk. POST start (staff only): make it one and end the staff session, so the
    visitors using the desk next never act as staff. POST stop (anyone at the device): end the desk mode."""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "start":
        if not is_door_staff(request.user):
            return _page(request, status=403, error=_("Only door staff and organisers can make a registration desk."))
        authorised_by = request.user.pk
        logout(request)
        response = redirect(request.path)
        response.set_signed_cookie(
            KIOSK_COOKIE,
            f"{authorised_by}:{timezone.now().isoformat()}",
            salt=KIOSK_SALT,
            max_age=settings.KIOSK_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        messages.success(request, _("This device is now a registration desk."))
        return response
    if action == "stop":
        response = redirect(request.path)
        response.delete_cookie(KIOSK_COOKIE)
        messages.success(request, _("This device is no longer a registration desk."))
        return response
    if action is not None:
        return _page(request, status=400, error=_("Choose to start or stop the registration desk."))
    return _page(request)


def _page(request, *, status=200, error=None):
    context = {"is_kiosk": is_kiosk(request), "may_start": is_door_staff(request.user), "error": error}
    return TemplateResponse(request, "conference/kiosk.html", context, status=status)
