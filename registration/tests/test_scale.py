"""Registration at scale (issue 25): the code POST finds accounts through indexes, never scans the user or email
tables, and never asks the user table for a free username."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration import services
from registration.models import Registration, RegistrationType

from .registration_factories import make_type, make_user, register
from .test_one_flow import URL, code_from, visitor_post

ACCOUNTS = 2000
SCANNED_TABLES = ("auth_user", "account_emailaddress")


def bulk_accounts(count):
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"u-bulk{n}", email=f"Bulk.Person{n}@Example.org") for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email.lower(), verified=True, primary=True) for user in users
    )


def sequential_scans(queries):
    """The captured queries on the account tables whose PostgreSQL plan reads a whole table."""
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(f'"{t}"' in sql for t in SCANNED_TABLES):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = [table for table in SCANNED_TABLES if re.search(rf"Seq Scan on {table}\b", plan)]
            if scans:
                found.append((sql, plan))
    return found


@pytest.mark.postgres
@pytest.mark.django_db
def test_code_post_reads_the_account_tables_through_indexes(client, conference, django_capture_on_commit_callbacks):
    bulk_accounts(ACCOUNTS)
    with connection.cursor() as cursor:  # the machine's autovacuum is off: fresh statistics, as a deploy would have
        cursor.execute("ANALYZE auth_user; ANALYZE account_emailaddress")
    workshop = make_type(conference, capacity=5)
    email = "Bulk.Person7@example.ORG"  # an existing account, typed in another case
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, visitor_post(workshop, email=email))
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/confirm/", {"code": code_from(mail.outbox[0])})
    assert response["Location"] == "/my/"
    registration = Registration.objects.get(registration_type=workshop)
    assert registration.user.username == "u-bulk7"
    looked_up = [q for q in captured.captured_queries if any(f'"{t}"' in q["sql"] for t in SCANNED_TABLES)]
    assert looked_up  # the test reads the look-ups it means to check
    assert sequential_scans(captured.captured_queries) == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_new_visitor_code_post_reads_the_account_tables_through_indexes(
    client, conference, django_capture_on_commit_callbacks
):
    bulk_accounts(ACCOUNTS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auth_user; ANALYZE account_emailaddress")
    workshop = make_type(conference, capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, visitor_post(workshop, email="Someone.New@example.org"))
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/confirm/", {"code": code_from(mail.outbox[0])})
    assert response["Location"] == "/my/"
    assert get_user_model().objects.get(email="someone.new@example.org").username.startswith("u-")
    assert sequential_scans(captured.captured_queries) == []


@pytest.mark.django_db
def test_password_sign_up_gets_a_token_username_without_asking_the_user_table(client, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/accounts/signup/",
            {"email": "Signer@example.org", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="signer@example.org")
    assert re.fullmatch(r"u-[0-9a-f]{20}", user.username)
    wheres = [q["sql"].partition(" WHERE ")[2] for q in captured.captured_queries]
    assert [where for where in wheres if '"username"' in where] == []


@pytest.mark.django_db
def test_seat_counter_follows_every_status_change(conference):
    workshop, other = make_type(conference, capacity=2), make_type(conference, capacity=5)
    first, second, third = (register(make_user(), conference, workshop) for _ in range(3))
    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    services.cancel(registration=first, by=None)  # third is promoted
    services.change_type(registration=second, registration_type=other, by=None)  # and nobody waits for its seat
    counters = dict(
        RegistrationType.objects.filter(pk__in=[workshop.pk, other.pk]).values_list("pk", "confirmed_seats")
    )
    assert counters == {workshop.pk: 1, other.pk: 1}
    assert list(RegistrationType.objects.filter(pk__in=[workshop.pk, other.pk]).with_wrong_seat_counters()) == []


@pytest.mark.django_db
def test_check_seat_counts_reports_and_fixes_a_wrong_counter(conference):
    workshop = make_type(conference, capacity=3)
    register(make_user(), conference, workshop)
    call_command("check_seat_counts", stdout=StringIO())
    RegistrationType.objects.filter(pk=workshop.pk).update(confirmed_seats=3)  # as a raw delete would leave it
    assert register(make_user(), conference, workshop).status == "waitlisted"  # the counter decides seats
    with pytest.raises(CommandError, match="1 seat counter"):
        call_command("check_seat_counts", stdout=StringIO())
    out = StringIO()
    call_command("check_seat_counts", "--fix", stdout=out)
    assert f"/{workshop.slug}: counter 3, confirmed registrations 1" in out.getvalue()
    workshop.refresh_from_db()
    assert workshop.confirmed_seats == 1
    assert register(make_user(), conference, workshop).status == "confirmed"
