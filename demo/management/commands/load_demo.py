"""load_demo: the demo conference (docs/contract.md), idempotent; staff accounts only when asked."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conference.permissions import DOOR_STAFF, ORGANISERS
from demo import content as site_demo
from demo import programme as programme_demo
from demo import registration as registration_demo
from demo import translations as demo_translations
from registration.models import DoorAssignment


class Command(BaseCommand):
    help = "Create or update the demo conference 'Harm Reduction in the New Environment' (vilnius-2017)."

    def add_arguments(self, parser):
        parser.add_argument("--organiser", metavar="EMAIL", help="Create an organiser account with this email.")
        parser.add_argument("--door-staff", metavar="EMAIL", help="Create a door-staff account with this email.")
        parser.add_argument("--password", help="Password for the accounts named above.")
        parser.add_argument("--no-registrations", action="store_true", help="Skip the demo registrations.")

    def handle(self, *args, **options):
        wants_accounts = options["organiser"] or options["door_staff"]
        if wants_accounts and not options["password"]:
            raise CommandError("--password is required with --organiser or --door-staff.")
        with transaction.atomic():
            home = site_demo.load_site()
            conference = site_demo.load_conference(home)
            programme_demo.load_programme(conference)
            if not options["no_registrations"]:
                registration_demo.load_registrations(conference)
            demo_translations.load_translations(conference)
        if options["organiser"]:
            self.create_account(options["organiser"], options["password"], ORGANISERS)
        if options["door_staff"]:
            door_staff = self.create_account(options["door_staff"], options["password"], DOOR_STAFF)
            # Door staff work only the doors they are assigned to (CONTRACT.md, "Check-in API").
            DoorAssignment.objects.get_or_create(user=door_staff, conference=conference.canonical)
        self.stdout.write(self.style.SUCCESS(f"Demo conference ready at {conference.url}"))

    def create_account(self, email, password, group_name):
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email[:150], email=email)
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        self.stdout.write(f"{group_name} account: {email}")
        return user
