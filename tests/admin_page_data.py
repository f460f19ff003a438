"""One registration with everything an organiser's page can show about it: an account, answers to the type's
questions, a visa letter request, a workshop place, a check-in on the second day and its emails (queued; a test
runs the worker to send them). Made through the services, like a real attendee's."""

from datetime import date, time

from django.contrib.auth import get_user_model
from wagtail.models import Locale

from conference.models import ConferencePage
from programme.models import SessionPage
from registration import services, visa, workshops
from registration.models import CheckIn, Registration, RegistrationQuestion, RegistrationType
from registration.questions import save_answers

EMAIL = "ona.rich@example.org"


def rich_registration():
    """The registration (made on the first call, found on the next ones)."""
    existing = Registration.objects.filter(user__email=EMAIL).first()
    if existing is not None:
        return existing
    conference = ConferencePage.objects.get(slug="vilnius-2017", locale=Locale.get_default())
    registration_type = RegistrationType.objects.create(
        conference=conference, slug="rich-test", name="Rich test", capacity=10, badge_colour="#7a1f5c"
    )
    why = RegistrationQuestion.objects.create(
        registration_type=registration_type, text="Why do you come?", text_ru="Зачем вы едете?", sort_order=0
    )
    size = RegistrationQuestion.objects.create(
        registration_type=registration_type,
        text="T-shirt size",
        kind=RegistrationQuestion.ONE_CHOICE,
        choices="S\nM\nL",
        sort_order=1,
    )
    user = get_user_model().objects.create_user(username=EMAIL, email=EMAIL, password="a long pass phrase 1")
    registration = services.register(
        user=user,
        conference=conference,
        registration_type=registration_type,
        details={
            "full_name": "Ona Richardson",
            "badge_name": "Ona",
            "organisation": "Vilnius Harm Reduction Centre",
            "country": "LT",
        },
    )
    save_answers(registration=registration, answers={why: "To learn about naloxone", size: "M"})
    visa.request_letter(
        registration=registration,
        passport_name="ONA RICHARDSON",
        passport_number="LT1234567",
        nationality="UA",
        date_of_birth=date(1990, 5, 17),
    )
    workshop = SessionPage.objects.filter(locale=Locale.get_default(), signup_capacity__isnull=False).first()
    workshops.sign_up(registration=registration, session=workshop)
    second_day = conference.days[1]
    CheckIn.objects.create(
        registration=registration,
        conference=conference,
        day=second_day,
        checked_in_at=conference.local_datetime(second_day, time(9, 5)),
        gate="Main door",
    )
    return registration
