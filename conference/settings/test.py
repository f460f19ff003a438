"""Tests: same stack as production, with fast password hashing and an isolated cache and mail outbox."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import CACHES_FOR_FOLDER, DATABASES, LIMITS_CACHE

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The worker delivers into django.core.mail.outbox. (Django's test set-up also points EMAIL_BACKEND at locmem,
# so mail sent directly, not through conference.mail, lands there at once.)
MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A file cache, like production without Redis, but private to this test run.
CACHES = {
    # As in development (MAX_ENTRIES 20,000: the warm-up stores every session and speaker page; Django's default of
    # 300 entries would cull stored programmes at random), with the installation's key prefix.
    "default": CACHES_FOR_FOLDER(tempfile.mkdtemp(prefix="hrne-test-cache-")),
    "limits": LIMITS_CACHE,
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="hrne-test-media-")
BADGE_STORE_DIR = tempfile.mkdtemp(prefix="hrne-test-badges-")
ACCOUNT_RATE_LIMITS = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that live-server and threaded tests share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"hrne-test-{os.getpid()}.sqlite3")}
STATIC_ROOT = tempfile.mkdtemp(prefix="hrne-test-static-")
WHITENOISE_USE_FINDERS = True
# TASKS as in base.py: real queue rows in the test database; tests run the worker with conference.worker.drain().
# No page warm-ups queued by every publish (drains would render programmes); programme/tests/test_warming.py
# turns them on.
PAGE_WARM_UP = False
