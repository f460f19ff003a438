"""The programme app: on start, connects the signals that keep the cached programme current and the change
notices to schedule releases."""

from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from . import cache, change_notices, releases, signals, warming  # noqa: PLC0415

        signals.connect()
        # Retired stored pages are rendered again by a worker (programme/warming.py).
        cache.stored_pages_retired.connect(warming.warm_after_commit, dispatch_uid="programme.warming")
        # Each schedule release tells the attendees whose starred sessions changed.
        releases.register_release_listener(change_notices.notify_release)
