"""purge_personal_data: anonymises what is due after the retention period, idempotent, with --dry-run."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from registration.management.commands.purge_personal_data import conferences_due
from registration.models import Registration

pytestmark = pytest.mark.django_db


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_dry_run_changes_nothing(conference):
    before = Registration.objects.filter(conference=conference, anonymised_at__isnull=True).count()
    output = purge("--dry-run")
    assert f"vilnius-2017: would anonymise {before} registrations" in output
    assert Registration.objects.filter(conference=conference, anonymised_at__isnull=True).count() == before


def test_past_retention_anonymises_and_keeps_counts(conference):
    statuses_before = sorted(Registration.objects.filter(conference=conference).values_list("status", flat=True))
    purge()
    remaining = Registration.objects.filter(conference=conference).exclude(full_name="", badge_name="", organisation="")
    assert remaining.count() == 0
    assert (
        sorted(Registration.objects.filter(conference=conference).values_list("status", flat=True)) == statuses_before
    )


def test_second_run_is_a_no_op(conference):
    purge()
    assert purge().strip() == "Anonymised 0 registrations."


def test_within_retention_nothing_is_due(conference):
    conference.end_date = timezone.now().date() - timedelta(days=10)
    conference.personal_data_retention_days = 30
    conference.save(update_fields=["end_date", "personal_data_retention_days"])
    assert purge().strip() == "Anonymised 0 registrations."
    assert not Registration.objects.filter(conference=conference, anonymised_at__isnull=False).exists()


def test_due_the_day_after_the_retention_period(conference):
    local_midnight = timezone.localtime(timezone.now(), conference.tzinfo).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    conference.end_date = local_midnight.date() - timedelta(days=5)
    conference.personal_data_retention_days = 5
    conference.save(update_fields=["end_date", "personal_data_retention_days"])
    deadline = local_midnight + timedelta(days=1)
    assert conferences_due(deadline - timedelta(seconds=1)) == []
    assert [c.pk for c, _ in conferences_due(deadline)] == [conference.pk]
