"""The attendee's badges under /my/badges/."""

from django.urls import path

from . import badge_views

urlpatterns = [
    path("<int:pk>.pdf", badge_views.badge_pdf, name="badge_pdf"),
    path("<int:pk>.png", badge_views.badge_qr, name="badge_qr"),
]
