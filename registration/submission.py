"""From a valid registration form to a registration: the seat (services.register), the visa letter request and
the answers to the type's questions, in one transaction, for a signed-in user and for a confirmed visitor."""

from django.db import transaction

from . import questions, services, visa


def submit(*, user, conference, cleaned_data, language, answers=None):
    """Register `user` with the form's data and `answers` ({question: value}); returns the registration.
    Raises services.RegistrationError."""
    details = dict(cleaned_data)
    registration_type = details.pop("registration_type")
    with transaction.atomic():
        registration = services.register(
            user=user, conference=conference, registration_type=registration_type, details=details, language=language
        )
        if details.get("needs_visa_letter"):
            visa.request_letter(
                registration=registration,
                **{name: details[name] for name in ("passport_name", "passport_number", "nationality")},
                date_of_birth=details["date_of_birth"],
            )
        if answers:
            questions.save_answers(registration=registration, answers=answers)
    return registration
