"""The home app: on start, puts back the base content (locales, roots, home page, site) after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from .bootstrap import ensure_base_content_after_migrate  # noqa: PLC0415

        # Connected before conference's receiver (home comes first in INSTALLED_APPS, so its ready() runs
        # first): the group permissions it grants need the root page and collection this creates.
        post_migrate.connect(ensure_base_content_after_migrate, dispatch_uid="home.ensure_base_content")
