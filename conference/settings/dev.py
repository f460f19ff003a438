"""Local development and the demo served by bin/serve: debug on unless DEBUG says otherwise."""

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY as _SECRET_KEY
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is fine on a laptop; production.py refuses to start without a real one.
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuv"
# Serve files straight from static/ too, so edits show without collectstatic.
WHITENOISE_USE_FINDERS = True
