"""The door: scanner page and check-in API (CONTRACT.md, "Check-in API")."""

from django.urls import path

from . import checkin_views

app_name = "checkin"
urlpatterns = [
    path("", checkin_views.scanner_page, name="scanner"),
    path("sw.js", checkin_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", checkin_views.manifest, name="manifest"),
    path("manual/", checkin_views.manual_checkin_form, name="manual_form"),
    path("api/scan/", checkin_views.scan_api, name="scan"),
    path("api/manual/", checkin_views.manual_checkin_api, name="manual"),
    path("api/search/", checkin_views.search_api, name="search"),
    path("api/offline-data/", checkin_views.offline_data_api, name="offline_data"),
]
