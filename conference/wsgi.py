"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings.dev")
application = get_wsgi_application()

# The build identity hashes the tree once (conference/build_identity.py): here, so that with preload_app the
# gunicorn master does it before forking and no worker's first request pays for it.
from conference.build_identity import build_id  # noqa: E402 - needs the settings configured above

build_id()
