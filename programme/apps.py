"""The programme app: on start, connects the signals that keep the cached programme current and the change
notices to schedule releases."""

from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from . import change_notices, releases, signals  # noqa: PLC0415

        signals.connect()
        # Each schedule release tells the attendees whose starred sessions changed.
        releases.register_release_listener(change_notices.notify_release)
