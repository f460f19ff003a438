"""Attendee-facing registration views (filled in by the registration work)."""

from django.http import HttpResponse


def register(request, *, conference):
    return HttpResponse(status=501)


def my_registrations(request):
    return HttpResponse(status=501)
