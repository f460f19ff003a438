"""The registration app: on start, hands the conference page its form view, /my/ its data exports, the
change notices the attendees' languages and workshop sign-ups, and connects the door-rights signals."""

from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from conference.models import ConferencePage  # noqa: PLC0415
        from programme.agenda import export_starred_sessions  # noqa: PLC0415
        from programme.change_notices import (  # noqa: PLC0415
            export_notification_preferences,
            register_interest_source,
            register_language_source,
        )

        # visa_admin registers its own Wagtail hooks on import, apart from the registration.admin package.
        from . import door_rights_signals, visa_admin  # noqa: F401, PLC0415
        from .emails import registration_languages  # noqa: PLC0415
        from .personal_data import register_section  # noqa: PLC0415
        from .questions import export_answers  # noqa: PLC0415
        from .signup_views import register  # noqa: PLC0415
        from .visa import export_visa_letters  # noqa: PLC0415
        from .workshops import signed_up_users  # noqa: PLC0415

        # The conference page serves the one-flow form at /<conference>/register/; conference must not import us.
        ConferencePage.registration_view = staticmethod(register)
        # The personal-data download on /my/ includes the attendee's starred sessions, visa letters and answers.
        register_section("agenda", export=export_starred_sessions)
        # Passport details are erased by services.anonymise with the registration, so no `erase` here.
        register_section("visa_letters", export=export_visa_letters)
        register_section("answers", export=export_answers)
        door_rights_signals.connect()
        register_section("notifications", export=export_notification_preferences)
        # Change notices are written in the language of the attendee's latest registration (programme cannot ask).
        register_language_source(registration_languages)
        # ...and reach those signed up for a changed workshop as well as those who starred it.
        register_interest_source(signed_up_users)
