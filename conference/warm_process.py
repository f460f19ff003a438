"""Django and Wagtail build much of what a request needs on its first use: the URL patterns, compiled templates,
translation catalogues, Wagtail's hooks. A fresh gunicorn worker paid about half a second for them on its first
requests (a restarted app server, in the middle of a conference morning, on every one of its workers). With the
app preloaded, gunicorn's master does this once before it forks, and every worker starts with it done.
Nothing here touches the database or the cache: no connection is opened that a forked worker would share."""

import gc
import logging
from pathlib import Path

import django
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation
from wagtail import hooks

logger = logging.getLogger(__name__)


def _template_names():
    """Our site's templates and Django's form widget templates, by the name they are loaded with."""
    folders = [(Path(folder), "") for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders.append((Path(django.__file__).parent / "forms" / "templates", ""))
    for folder, _prefix in folders:
        for path in sorted(folder.rglob("*.html")):
            yield path.relative_to(folder).as_posix()


def prepare():
    """Fill the lazy parts of this process; a failure is logged, never raised (the workers would do it anyway)."""
    try:
        get_resolver().reverse_dict  # noqa: B018 - populates the resolver (and imports every URLconf and view)
        hooks.search_for_hooks()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Register")  # loads the language's catalogues
        site, forms = engines["django"], get_default_renderer()
        for name in _template_names():
            for engine in (site, forms):
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    continue
    except Exception:
        logger.exception("Preparing the process before forking failed; workers will do it on first use")


def freeze_startup_objects():
    """Move every object alive now (Django, Wagtail, the URL patterns and templates just prepared: some 240,000)
    out of the garbage collector's sight. A full collection walks every tracked object and stops every thread
    of the worker while it does: about 140 ms with them, a few ms without, which was a slow answer at random.
    They live as long as the process, so nothing is lost; frozen before the fork, the workers also keep sharing
    their memory pages with the master instead of copying them when a collection touches them."""
    gc.freeze()
