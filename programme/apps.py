"""The programme app: on start, connects the signals that keep the cached programme current."""

from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from . import signals  # noqa: PLC0415

        signals.connect()
