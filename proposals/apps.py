"""The call for proposals: on start, hands the conference page its /<conference>/call/ view."""

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from conference.models import ConferencePage  # noqa: PLC0415

        from .views import call_page  # noqa: PLC0415

        # The conference must not import us (the import direction runs conference <- programme <- proposals).
        ConferencePage.call_view = staticmethod(call_page)
