"""What makes the scanner an installable, offline-capable web app: its service worker and manifest."""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# The files the service worker keeps for offline use, besides the page itself.
SCANNER_ASSETS = [
    "css/site.css",
    "css/checkin.css",
    "js/checkin/scanner.js",
    "js/checkin/offline-store.js",
    "vendor/jsqr-1.4.0/jsQR.js",
    "img/favicon.svg",
    "img/checkin-icon-192.png",
]


def _asset_urls():
    return [static(path) for path in SCANNER_ASSETS]


def _service_worker_source():
    path = finders.find("js/checkin/sw.js")
    if path:
        return Path(path).read_text(encoding="utf-8")
    with staticfiles_storage.open("js/checkin/sw.js") as source:
        return source.read().decode("utf-8")


def service_worker(request):
    """/checkin/sw.js: served from under /checkin/ so that its scope is the scanner. The list of files to
    keep offline is written in here, so a new deployment (new hashed file names) installs a new worker."""
    source = _service_worker_source()
    assets = [reverse("checkin:scanner"), *_asset_urls()]
    version = hashlib.sha256((source + json.dumps(assets)).encode()).hexdigest()[:12]
    prelude = f"const CACHE_VERSION = {json.dumps(version)};\nconst OFFLINE_ASSETS = {json.dumps(assets)};\n"
    response = HttpResponse(prelude + source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("checkin:scanner")
    return response


def manifest(request):
    """/checkin/manifest.webmanifest: makes the scanner installable on a phone's home screen."""
    scope = reverse("checkin:scanner")
    data = {
        "name": _("Door check-in"),
        "short_name": _("Check-in"),
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("img/checkin-icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/checkin-icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
