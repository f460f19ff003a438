"""Visa invitation letters on the public site: the owner's PDF download and the consulates' /verify/ page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from conference.rate_limits import limits_cache

from . import visa
from .models import VisaLetterRequest
from .visa_pdf import render_visa_letter_pdf

VERIFY_LIMIT_PER_MINUTE = 30


@require_GET
@login_required
@cache_control(private=True, no_store=True)
def visa_letter_pdf(request, pk):
    """/my/registrations/<pk>/visa-letter.pdf: only the owner, only once approved; anything else is a 404."""
    visa_request = (
        VisaLetterRequest.objects.select_related("registration__conference__venue")
        .filter(registration_id=pk, registration__user=request.user, status=VisaLetterRequest.APPROVED)
        .exclude(passport_name="")
        .first()
    )
    if visa_request is None:
        raise Http404
    response = HttpResponse(render_visa_letter_pdf(visa_request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="visa-letter-{visa_request.registration.conference.slug}.pdf"'
    return response


def _over_limit(request):
    """A coarse per-address limit: references carry 128 bits, this only keeps scanners from hammering the page."""
    key = f"visa-verify:{request.META.get('REMOTE_ADDR', '')}"
    limits_cache.add(key, 0, timeout=60)
    try:
        return limits_cache.incr(key) > VERIFY_LIMIT_PER_MINUTE
    except ValueError:  # expired between add and incr
        return False


@require_GET
@never_cache
def verify_visa_letter(request, reference):
    """/verify/<reference>/: the holder's name, the conference and its dates, valid or withdrawn (since when); for
    any other reference a 404 page that says no valid letter has it."""
    if _over_limit(request):
        return HttpResponse(_("Too many checks. Please wait a minute."), status=429)
    letter = visa.for_verification(reference)
    # An unknown reference is a 404 (CONTRACT.md), but on the site's own page, which tells the consulate what
    # that means, in its language: a bare "not found" reads like a broken site, not like an invalid letter.
    response = render(
        request,
        "registration/verify_visa_letter.html",
        {"letter": letter, "conference": letter.registration.conference.localized if letter else None},
        status=200 if letter else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
