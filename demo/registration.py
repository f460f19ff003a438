"""Demo registration types and registrations for load_demo."""

from itertools import cycle

from django.utils import timezone

from programme.enums import SessionKind
from programme.models import SessionPage
from registration.enums import RegistrationStatus, Role
from registration.models import Registration, RegistrationStatusChange, RegistrationType

REGISTRATION_TYPES = [
    # slug, name, capacity, needs approval, description
    (
        "participant",
        "Participant",
        350,
        False,
        "All three days: plenaries, sessions, workshops, lunch and coffee.",
    ),
    ("speaker", "Speaker", 80, True, "For people presenting in the programme; the programme team confirms you."),
    (
        "scholarship",
        "Scholarship",
        60,
        True,
        "Travel, accommodation and fee covered, with priority for community members and outreach workers. "
        "An organiser reviews each application.",
    ),
    ("press", "Press", 20, False, "Journalists. Please respect the no-photo badges and the closed sessions."),
    (
        "community-skills-workshop",
        "Community skills workshop",
        10,
        False,
        "A hands-on day before the conference on naloxone, peer support and safer use. Ten places.",
    ),
]

# How many demo registrations of each type end in each status.
DEMO_COUNTS = {
    "participant": {RegistrationStatus.CONFIRMED: 190, RegistrationStatus.CANCELLED: 12},
    "speaker": {RegistrationStatus.CONFIRMED: 38, RegistrationStatus.CANCELLED: 2},
    "scholarship": {RegistrationStatus.CONFIRMED: 24, RegistrationStatus.PENDING: 14, RegistrationStatus.CANCELLED: 5},
    "press": {RegistrationStatus.CONFIRMED: 7, RegistrationStatus.PENDING: 0},
    "community-skills-workshop": {
        RegistrationStatus.CONFIRMED: 10,
        RegistrationStatus.WAITLISTED: 6,
        RegistrationStatus.CANCELLED: 2,
    },
}

FIRST_NAMES = ["Alda", "Boris", "Chynara", "Dana", "Erlan", "Farida", "Giorgi", "Hanna", "Ilya", "Jurga", "Karina"]
COUNTRIES = ["LT", "UA", "GE", "KZ", "KG", "MD", "EE", "LV", "PL", "AM", "TJ", "UZ", "RO", "BG", "DE", "NL"]
ORGANISATIONS = ["Demo Outreach Network", "Example Harm Reduction Centre", "Sample Peer Group", ""]
ROLES = list(Role.values)


def load_registration_types(conference):
    types = {}
    for order, (slug, name, capacity, needs_approval, description) in enumerate(REGISTRATION_TYPES, start=1):
        types[slug], _created = RegistrationType.objects.update_or_create(
            conference=conference,
            slug=slug,
            defaults={
                "name": name,
                "capacity": capacity,
                "needs_approval": needs_approval,
                "description": description,
                "sort_order": order,
            },
        )
    return types


def load_registrations(conference):
    """Create or update the demo registration types and registrations of `conference`. Registrations are
    made once (plainly fake names, no accounts); a second run leaves them as they are."""
    types = load_registration_types(conference)
    enable_workshop_signup(conference)
    if Registration.objects.filter(conference=conference).exists():
        return
    first_names, countries, organisations, roles = (
        cycle(FIRST_NAMES),
        cycle(COUNTRIES),
        cycle(ORGANISATIONS),
        cycle(ROLES),
    )
    registrations = []
    number = 0
    now = timezone.now()
    for slug, counts in DEMO_COUNTS.items():
        for status, count in counts.items():
            for _index in range(count):
                number += 1
                first = next(first_names)
                registrations.append(
                    Registration(
                        conference=conference,
                        registration_type=types[slug],
                        status=status,
                        full_name=f"{first} Demo-{number:03d}",
                        badge_name=f"{first} {number:03d}",
                        organisation=next(organisations),
                        country=next(countries),
                        role=next(roles),
                        photo_consent=number % 3 != 0,
                        interpretation_language="ru" if number % 4 == 0 else "",
                        privacy_consent_at=now,
                        privacy_notice_version=conference.privacy_notice_version,
                        language="ru" if number % 4 == 0 else "en",
                    )
                )
    for registration in registrations:
        registration.fill_search_name()  # bulk_create skips save()
    created = Registration.objects.bulk_create(registrations)
    RegistrationType.objects.filter(conference=conference).recount_seats()  # bulk_create skips the services
    changes = []
    for registration in created:
        first_status = (
            RegistrationStatus.PENDING if registration.registration_type.needs_approval else registration.status
        )
        if registration.status == RegistrationStatus.CANCELLED and not registration.registration_type.needs_approval:
            first_status = RegistrationStatus.CONFIRMED
        changes.append(RegistrationStatusChange(registration=registration, from_status="", to_status=first_status))
        if first_status != registration.status:
            changes.append(
                RegistrationStatusChange(
                    registration=registration,
                    from_status=first_status,
                    to_status=registration.status,
                    note="approved" if registration.status == RegistrationStatus.CONFIRMED else "demo",
                )
            )
    RegistrationStatusChange.objects.bulk_create(changes)


WORKSHOP_SIGNUP_PLACES = 12


def enable_workshop_signup(conference):
    """The demo's workshops take sign-ups (CONTRACT.md "Workshop sign-up"): places limited, in every language."""
    SessionPage.objects.descendant_of(conference).filter(
        kind=SessionKind.WORKSHOP, signup_capacity__isnull=True
    ).update(signup_capacity=WORKSHOP_SIGNUP_PLACES)
