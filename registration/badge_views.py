"""The signed-in attendee's own badge: the PDF and the QR image (404 for anyone else's)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .badge_pdf import badge_filename, render_badge_pdf, render_qr_png
from .enums import RegistrationStatus
from .models import Registration


def _own_confirmed_registration(request, pk):
    """Only the owner sees a badge, and only while the registration is confirmed; anything else is a 404,
    so that nobody learns which registrations exist."""
    registration = (
        Registration.objects.select_related("registration_type", "conference")
        .filter(pk=pk, user=request.user, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def own_badge_view(render):
    """A view of the signed-in attendee's own confirmed badge (GET, never cached): `render` gets the registration."""

    @require_GET
    @login_required
    @cache_control(private=True, no_store=True)
    @wraps(render)
    def view(request, pk):
        return render(_own_confirmed_registration(request, pk))

    return view


@own_badge_view
def badge_pdf(registration):
    response = HttpResponse(render_badge_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{badge_filename(registration)}"'
    return response


@own_badge_view
def badge_qr(registration):
    return HttpResponse(render_qr_png(registration), content_type="image/png")
