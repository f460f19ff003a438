from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"

    def ready(self):
        # The visa letter admin registers its own hooks, apart from the shared wagtail_hooks module.
        from . import visa_admin  # noqa: F401, PLC0415  (admin views need the app registry ready)
        from .personal_data import register_section  # noqa: PLC0415  (imports models)
        from .questions import export_answers  # noqa: PLC0415  (imports models)
        from .visa import export_visa_letters  # noqa: PLC0415  (imports models)

        # Passport details are erased by services.anonymise with the registration, so no `erase` here.
        register_section("visa_letters", export=export_visa_letters)
        register_section("answers", export=export_answers)
