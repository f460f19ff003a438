from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from conference.models import ConferencePage
        from programme.agenda import export_starred_sessions

        from . import door_rights_signals
        from .personal_data import register_section
        from .views import register

        # The conference page serves the form at /<conference>/register/; conference must not import us.
        ConferencePage.registration_view = staticmethod(register)
        # The personal-data download on /my/ includes the attendee's starred sessions.
        register_section("agenda", export=export_starred_sessions)
        door_rights_signals.connect()
