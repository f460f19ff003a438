"""/healthz stays cheap as the mail log grows (issue 25): on PostgreSQL its mail-queue queries read only unsent
rows through an index, never walking the sent ones, even with statistics older than the rows (the machine's
autovacuum is off, as the issue measured it); the figures it reports stay right."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conference.mail import OutboundEmail

SENT = 3000


def plans_of(queries):
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query["sql"])
                yield query["sql"], "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db
def test_healthz_reads_the_mail_log_through_indexes(client):
    with connection.cursor() as cursor:  # statistics taken before the rows came: stale, as the issue measured
        cursor.execute("ANALYZE conference_outboundemail")
    now = timezone.now()
    OutboundEmail.objects.bulk_create(
        OutboundEmail(recipients=f"a{n}@example.org", subject="Sent", status=OutboundEmail.SENT, sent_at=now)
        for n in range(SENT)
    )
    OutboundEmail.objects.bulk_create(
        OutboundEmail(recipients=f"q{n}@example.org", subject="Waiting", status=OutboundEmail.QUEUED) for n in range(3)
    )
    with CaptureQueriesContext(connection) as captured:
        report = client.get("/healthz").json()
    assert report["mail_queue"]["backlog"] == 3
    assert report["mail_queue"]["oldest_age_seconds"] is not None
    plans = list(plans_of(captured.captured_queries))
    assert any('"conference_outboundemail"' in sql for sql, _plan in plans)
    walked = [
        (sql, plan)
        for sql, plan in plans
        if '"conference_outboundemail"' in sql
        and (
            re.search(r"Seq Scan on conference_outboundemail\b", plan)
            or any(int(n) > 10 for n in re.findall(r"Rows Removed by Filter: (\d+)", plan))
        )
    ]
    assert walked == []
