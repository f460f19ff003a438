"""The door: scanner page and check-in API (CONTRACT.md, "Check-in API")."""

from django.urls import path

from . import checkin_api, checkin_pages, checkin_pwa

app_name = "checkin"
urlpatterns = [
    path("", checkin_pages.scanner_page, name="scanner"),
    path("sw.js", checkin_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", checkin_pwa.manifest, name="manifest"),
    path("manual/", checkin_pages.manual_checkin_form, name="manual_form"),
    path("api/scan/", checkin_api.scan_api, name="scan"),
    path("api/manual/", checkin_api.manual_checkin_api, name="manual"),
    path("api/search/", checkin_api.search_api, name="search"),
    path("api/offline-data/", checkin_api.offline_data_api, name="offline_data"),
]
