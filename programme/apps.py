from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"

    def ready(self):
        from . import signals

        signals.connect()
        # The personal-data download on /my/ includes the attendee's starred sessions.
        from registration.personal_data import register_section

        from .agenda import export_starred_sessions

        register_section("agenda", export=export_starred_sessions)
