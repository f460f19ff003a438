"""purge_personal_data: anonymise the registrations of conferences whose retention period has passed.

Run it daily from cron (docs/registration.md). A conference's registrations are due once its last day
plus ConferencePage.personal_data_retention_days has passed in the conference's own time zone. Idempotent:
anonymised registrations are skipped, so a second run changes nothing."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from conference.models import ConferencePage
from registration import account_deletion, services, signup_flow
from registration.models import Registration


def conferences_due(now=None):
    """Conferences holding registrations whose personal data must go by `now`, with their deadline."""
    now = now or timezone.now()
    due = []
    holding = ConferencePage.objects.filter(pk__in=Registration.objects.values("conference_id"))
    for conference in holding.order_by("start_date"):
        deadline = datetime.combine(
            conference.end_date + timedelta(days=conference.personal_data_retention_days + 1),
            time(0, 0),
            tzinfo=conference.tzinfo,
        )
        if now >= deadline:
            due.append((conference, deadline))
    return due


class Command(BaseCommand):
    help = "Anonymise registrations of conferences that ended more than their retention period ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be anonymised.")

    def handle(self, *args, dry_run=False, **options):
        total = 0
        for conference, deadline in conferences_due():
            registrations = Registration.objects.filter(conference=conference, anonymised_at__isnull=True)
            count = registrations.count() if dry_run else services.anonymise(registrations=registrations)
            total += count
            if count or options["verbosity"] > 1:
                verb = "would anonymise" if dry_run else "anonymised"
                self.stdout.write(f"{conference.slug}: {verb} {count} registrations (due since {deadline:%Y-%m-%d})")
        if not dry_run:
            # Forms whose email was never confirmed: nobody will complete them, and they hold personal data.
            signup_flow.delete_expired()
            account_deletion.delete_expired()
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {total} registrations.")
