"""The registration app: on start, hands the conference page its form view and /my/ its agenda export."""

from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from conference.models import ConferencePage  # noqa: PLC0415
        from programme.agenda import export_starred_sessions  # noqa: PLC0415

        from . import door_rights_signals  # noqa: PLC0415
        from .personal_data import register_section  # noqa: PLC0415
        from .views import register  # noqa: PLC0415

        # The conference page serves the form at /<conference>/register/; conference must not import us.
        ConferencePage.registration_view = staticmethod(register)
        # The personal-data download on /my/ includes the attendee's starred sessions.
        register_section("agenda", export=export_starred_sessions)
        door_rights_signals.connect()
