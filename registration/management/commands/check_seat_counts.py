"""Compare each registration type's confirmed_seats counter with the real count of confirmed registrations."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registration.models import RegistrationType


class Command(BaseCommand):
    help = (
        "Compare each registration type's counter of confirmed seats with the confirmed registrations; "
        "with --fix, set the counters to the real counts. Exits with an error when a counter was wrong and not fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Set every wrong counter to the real count.")

    def handle(self, *args, fix=False, **options):
        wrong = list(RegistrationType.objects.with_wrong_seat_counters().order_by("pk"))
        for registration_type in wrong:
            self.stdout.write(
                f"{registration_type.conference_id}/{registration_type.slug}: counter "
                f"{registration_type.confirmed_seats}, confirmed registrations {registration_type.confirmed_count}"
            )
        if not wrong:
            self.stdout.write("Every seat counter matches its confirmed registrations.")
            return
        if not fix:
            raise CommandError(f"{len(wrong)} seat counter(s) wrong; run with --fix to correct them.")
        # Under each type's row lock, so that a registration deciding a seat waits for the corrected counter.
        types = RegistrationType.objects.filter(pk__in=[t.pk for t in wrong])
        with transaction.atomic():
            list(types.select_for_update())
            types.recount_seats()
        self.stdout.write(f"Fixed {len(wrong)} seat counter(s).")
