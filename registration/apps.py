"""The registration app: on start, hands the conference page its form view, /my/ its agenda export and the
change notices the attendees' languages."""

from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from conference.models import ConferencePage  # noqa: PLC0415
        from programme.agenda import export_starred_sessions  # noqa: PLC0415
        from programme.change_notices import (  # noqa: PLC0415
            export_notification_preferences,
            register_language_source,
        )

        from .emails import registration_languages  # noqa: PLC0415
        from .personal_data import register_section  # noqa: PLC0415
        from .views import register  # noqa: PLC0415

        # The conference page serves the form at /<conference>/register/; conference must not import us.
        ConferencePage.registration_view = staticmethod(register)
        # The personal-data download on /my/ includes the attendee's starred sessions.
        register_section("agenda", export=export_starred_sessions)
        register_section("notifications", export=export_notification_preferences)
        # Change notices are written in the language of the attendee's latest registration (programme cannot ask).
        register_language_source(registration_languages)
