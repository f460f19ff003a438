"""The registration services: seats, waiting list, approval, type changes, audit trail and emails."""

from datetime import timedelta

import icalendar
import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conference.mail import OutboundEmail
from registration import services
from registration.models import Registration, RegistrationStatusChange, RegistrationType

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db


def test_register_confirms_while_seats_remain(conference):
    workshop = make_type(conference, capacity=2)
    first = register(make_user(), conference, workshop)
    second = register(make_user(), conference, workshop)
    assert (first.status, second.status) == ("confirmed", "confirmed")


def test_register_waitlists_when_full(conference):
    workshop = make_type(conference, capacity=1)
    register(make_user(), conference, workshop)
    late = register(make_user(), conference, workshop)
    assert late.status == "waitlisted"
    assert late.waitlist_position == 1


def test_register_needs_approval_goes_pending(conference):
    scholarship = make_type(conference, capacity=5, needs_approval=True)
    registration = register(make_user(), conference, scholarship)
    assert registration.status == "pending"


def test_register_twice_raises_already_registered_with_the_first(conference):
    user = make_user()
    participant = make_type(conference, capacity=5)
    first = register(user, conference, participant)
    with pytest.raises(services.RegistrationError) as error:
        register(user, conference, make_type(conference, capacity=5))
    assert error.value.code == "already_registered"
    assert error.value.registration.pk == first.pk
    assert Registration.objects.filter(user=user).count() == 1


def test_register_after_cancel_is_allowed(conference):
    user = make_user()
    participant = make_type(conference, capacity=5)
    first = register(user, conference, participant)
    services.cancel(registration=first, by=user)
    second = register(user, conference, participant)
    assert second.status == "confirmed"
    assert Registration.objects.filter(user=user).count() == 2


def test_register_stores_against_the_canonical_conference(conference):
    russian = conference.get_translations().get(locale__language_code="ru").specific
    registration = services.register(
        user=make_user(),
        conference=russian,
        registration_type=make_type(conference),
        details={"full_name": "Анна", "badge_name": "Аня"},
        language="ru",
    )
    assert (registration.conference_id, registration.language) == (conference.pk, "ru")


def test_register_when_conference_closed_raises_closed(conference):
    conference.registration_closes_at = timezone.now() - timedelta(minutes=1)
    conference.save(update_fields=["registration_closes_at"])
    with pytest.raises(services.RegistrationError) as error:
        register(make_user(), conference, make_type(conference))
    assert error.value.code == "closed"


def test_register_when_type_not_open_yet_raises_type_closed(conference):
    future = make_type(conference, opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.RegistrationError) as error:
        register(make_user(), conference, future)
    assert error.value.code == "type_closed"


def test_register_records_consent_version_and_time(conference):
    registration = register(make_user(), conference, make_type(conference))
    assert registration.privacy_notice_version == conference.privacy_notice_version
    assert registration.privacy_consent_at is not None


def test_cancel_promotes_the_oldest_waitlisted(conference):
    workshop = make_type(conference, capacity=1)
    holder = register(make_user(), conference, workshop)
    oldest = register(make_user(), conference, workshop)
    younger = register(make_user(), conference, workshop)
    services.cancel(registration=holder, by=holder.user)
    oldest.refresh_from_db()
    younger.refresh_from_db()
    assert (oldest.status, younger.status, younger.waitlist_position) == ("confirmed", "waitlisted", 1)


def test_cancel_of_waitlisted_promotes_nobody(conference):
    workshop = make_type(conference, capacity=1)
    register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)
    other = register(make_user(), conference, workshop)
    services.cancel(registration=waiting, by=waiting.user)
    other.refresh_from_db()
    assert other.status == "waitlisted"


def test_cancel_twice_raises_not_active(conference):
    registration = register(make_user(), conference, make_type(conference))
    services.cancel(registration=registration, by=registration.user)
    with pytest.raises(services.RegistrationError) as error:
        services.cancel(registration=registration, by=registration.user)
    assert error.value.code == "not_active"


def test_approve_with_free_seat_confirms(conference, django_user_model):
    registration = register(make_user(), conference, make_type(conference, needs_approval=True, capacity=1))
    services.approve(registration=registration, by=None)
    assert registration.status == "confirmed"


def test_approve_without_free_seat_waitlists(conference):
    scholarship = make_type(conference, needs_approval=True, capacity=1)
    first = register(make_user(), conference, scholarship)
    second = register(make_user(), conference, scholarship)
    services.approve(registration=first, by=None)
    services.approve(registration=second, by=None)
    assert (first.status, second.status) == ("confirmed", "waitlisted")


def test_approve_confirmed_raises_not_pending(conference):
    registration = register(make_user(), conference, make_type(conference))
    with pytest.raises(services.RegistrationError) as error:
        services.approve(registration=registration, by=None)
    assert error.value.code == "not_pending"


def test_reject_pending_cancels_with_note(conference):
    registration = register(make_user(), conference, make_type(conference, needs_approval=True))
    services.reject(registration=registration, by=None)
    last = registration.status_changes.last()
    assert (registration.status, last.from_status, last.to_status, last.note) == (
        "cancelled",
        "pending",
        "cancelled",
        "rejected",
    )


def test_change_type_frees_the_old_seat_for_the_waiting_list(conference):
    small, roomy = make_type(conference, capacity=1), make_type(conference, capacity=10)
    moved = register(make_user(), conference, small)
    waiting = register(make_user(), conference, small)
    services.change_type(registration=moved, registration_type=roomy, by=None)
    waiting.refresh_from_db()
    assert (moved.registration_type_id, moved.status, waiting.status) == (roomy.pk, "confirmed", "confirmed")


def test_change_type_into_a_full_type_waitlists(conference):
    full, other = make_type(conference, capacity=1), make_type(conference, capacity=5)
    register(make_user(), conference, full)
    moved = register(make_user(), conference, other)
    services.change_type(registration=moved, registration_type=full, by=None)
    assert moved.status == "waitlisted"


def test_change_type_to_another_conference_type_raises(conference):
    registration = register(make_user(), conference, make_type(conference))
    foreign = RegistrationType(pk=10**9, conference_id=10**9, slug="x", name="x", capacity=1)
    with pytest.raises(services.RegistrationError) as error:
        services.change_type(registration=registration, registration_type=foreign, by=None)
    assert error.value.code == "wrong_conference"


def test_fill_free_seats_promotes_after_capacity_raised(conference):
    workshop = make_type(conference, capacity=1)
    register(make_user(), conference, workshop)
    waiting = [register(make_user(), conference, workshop) for _ in range(3)]
    workshop.capacity = 3
    workshop.save()
    promoted = services.fill_free_seats(registration_type=workshop)
    assert [r.pk for r in promoted] == [waiting[0].pk, waiting[1].pk]


def test_every_status_change_is_audited_with_who(conference):
    organiser = make_user()
    workshop = make_type(conference, capacity=1)
    holder = register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)
    services.cancel(registration=holder, by=organiser)
    trail = list(
        RegistrationStatusChange.objects.filter(registration__in=[holder, waiting])
        .order_by("pk")
        .values_list("registration_id", "from_status", "to_status", "changed_by_id")
    )
    assert trail == [
        (holder.pk, "", "confirmed", holder.user_id),
        (waiting.pk, "", "waitlisted", waiting.user_id),
        (holder.pk, "confirmed", "cancelled", organiser.pk),
        (waiting.pk, "waitlisted", "confirmed", organiser.pk),
    ]


def test_update_details_keeps_status(conference):
    registration = register(make_user(), conference, make_type(conference))
    services.update_details(registration=registration, details={"badge_name": "New"}, by=registration.user)
    assert (registration.badge_name, registration.status) == ("New", "confirmed")


def test_anonymise_blanks_personal_fields_and_keeps_counts(conference):
    registration = register(make_user(), conference, make_type(conference), dietary_needs="vegan")
    count = services.anonymise(registrations=Registration.objects.filter(pk=registration.pk))
    registration.refresh_from_db()
    assert count == 1
    assert (registration.full_name, registration.badge_name, registration.organisation, registration.dietary_needs) == (
        "",
        "",
        "",
        "",
    )
    assert (registration.user_id, registration.status, registration.country) == (None, "confirmed", "LT")
    assert services.anonymise(registrations=Registration.objects.filter(pk=registration.pk)) == 0


# Emails: sent after commit, in the registration's language, text and HTML.


def test_confirmation_email_has_text_html_ics_and_badge(conference, deliver_mail, mailoutbox):
    user = make_user()
    with deliver_mail():
        register(user, conference, make_type(conference))
    [message] = mailoutbox
    assert message.to == [user.email]
    assert message.subject == "Your registration for Harm Reduction in the New Environment is confirmed"
    assert message.alternatives[0].mimetype == "text/html"
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    ics, pdf = names["vilnius-2017.ics"], next(v for k, v in names.items() if k.endswith(".pdf"))
    event = icalendar.Calendar.from_ical(ics[0]).walk("VEVENT")[0]
    assert (event.decoded("dtstart").isoformat(), event.decoded("dtend").isoformat()) == ("2017-04-04", "2017-04-07")
    assert pdf[0].startswith(b"%PDF") and pdf[1] == "application/pdf"


def test_email_is_queued_not_sent_in_the_request(conference, mailoutbox):
    user = make_user()
    register(user, conference, make_type(conference))
    assert mailoutbox == []
    assert list(OutboundEmail.objects.filter(recipients=user.email).values_list("status", flat=True)) == ["queued"]


@pytest.mark.django_db(transaction=True)
def test_email_rolls_back_with_the_registration(demo_tx):
    user, registration_type = make_user(), make_type(demo_tx)
    tasks_before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        register(user, demo_tx, registration_type)
        assert OutboundEmail.objects.filter(recipients=user.email).count() == 1
        raise RuntimeError("something after the registration failed")
    assert not Registration.objects.filter(user=user).exists()
    assert not OutboundEmail.objects.filter(recipients=user.email).exists()
    assert DBTaskResult.objects.count() == tasks_before


def test_waitlisted_email_tells_the_position(conference, deliver_mail, mailoutbox):
    workshop = make_type(conference, capacity=0)
    with deliver_mail():
        register(make_user(), conference, workshop)
    assert mailoutbox[0].subject == "You are on the waiting list for Harm Reduction in the New Environment"
    assert "You are number 1 on the waiting list." in mailoutbox[0].body
    assert mailoutbox[0].attachments == []


def test_cancel_sends_cancelled_and_promoted_emails(conference, deliver_mail, mailoutbox):
    workshop = make_type(conference, capacity=1)
    holder = register(make_user(), conference, workshop)
    waiting = register(make_user(), conference, workshop)
    with deliver_mail():
        services.cancel(registration=holder, by=holder.user)
    assert [(m.to[0], m.subject.split(":")[0]) for m in mailoutbox] == [
        (holder.user.email, "Your registration for Harm Reduction in the New Environment is cancelled"),
        (waiting.user.email, "A seat is free"),
    ]
    promoted_attachments = sorted(mimetype for _name, _content, mimetype in mailoutbox[1].attachments)
    assert promoted_attachments == ["application/pdf", "text/calendar"]


def test_emails_for_approval_and_rejection(conference, deliver_mail, mailoutbox):
    scholarship = make_type(conference, needs_approval=True)
    accepted = register(make_user(), conference, scholarship)
    refused = register(make_user(), conference, scholarship)
    with deliver_mail():
        services.approve(registration=accepted, by=None)
        services.reject(registration=refused, by=None)
    assert [m.subject for m in mailoutbox] == [
        "Your registration for Harm Reduction in the New Environment is approved",
        "Your registration for Harm Reduction in the New Environment was not accepted",
    ]


def test_email_goes_out_in_the_registration_language(conference, deliver_mail, mailoutbox):
    with deliver_mail():
        services.register(
            user=make_user(),
            conference=conference,
            registration_type=make_type(conference, capacity=0),
            details={"full_name": "Анна", "badge_name": "Аня"},
            language="ru",
        )
    russian_title = conference.get_translations().get(locale__language_code="ru").title
    assert russian_title in mailoutbox[0].subject
    assert "/ru/my/" in mailoutbox[0].body


def test_refused_second_registration_sends_no_email(conference, deliver_mail, mailoutbox):
    user = make_user()
    participant = make_type(conference)
    register(user, conference, participant)
    mailoutbox.clear()
    with deliver_mail(), pytest.raises(services.RegistrationError):
        register(user, conference, participant)
    assert mailoutbox == []


def test_organiser_entry_without_account_skips_approval_and_email(conference, deliver_mail, mailoutbox):
    organiser = make_user()
    scholarship = make_type(conference, needs_approval=True)
    with deliver_mail():
        registration = services.register(
            user=None,
            conference=conference,
            registration_type=scholarship,
            details={"full_name": "Walk In", "badge_name": "Walk"},
            by=organiser,
        )
    assert (registration.status, registration.status_changes.get().changed_by) == ("confirmed", organiser)
    assert mailoutbox == []


def test_with_seat_counts_counts_each_status_and_never_goes_below_zero(conference):
    workshop = make_type(conference, capacity=2)
    scholarship = make_type(conference, capacity=5, needs_approval=True)
    for _ in range(3):
        register(make_user(), conference, workshop)
    register(make_user(), conference, scholarship)
    services.cancel(registration=register(make_user(), conference, scholarship), by=None)
    workshop.capacity = 1  # lowered below the confirmed seats by an organiser
    workshop.save()
    counts = {
        t.slug: (t.confirmed_count, t.pending_count, t.waitlisted_count, t.seats_left)
        for t in RegistrationType.objects.filter(pk__in=[workshop.pk, scholarship.pk]).with_seat_counts()
    }
    assert counts == {workshop.slug: (2, 0, 1, 0), scholarship.slug: (0, 1, 0, 5)}
    assert workshop.count_free_seats() == 0


def test_registration_type_window_closes_at_its_closing_time(conference):
    now = timezone.now()
    workshop = make_type(conference, opens_at=now - timedelta(days=1), closes_at=now + timedelta(hours=1))
    assert workshop.is_open(now)
    assert not workshop.is_open(now - timedelta(days=2))
    assert not workshop.is_open(workshop.closes_at)
