"""Change notices after schedule releases: one email per attendee who starred a changed session, none to others
or to those who turned them off, in the attendee's language; the marks on /my/ until seen; the preference on /my/
and in the data export. (Here, not in programme/, because it uses registration's accounts and registrations.)"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from conference.worker import drain
from programme.agenda import set_starred
from programme.change_notices import _interest_sources as interest_sources
from programme.change_notices import register_interest_source, set_schedule_change_emails
from programme.models import AgendaItem
from programme.releases import release_schedule
from programme.tests.helpers import demo_session, publish_change
from registration import services
from registration.tests.registration_factories import details, make_type, make_user
from registration.workshops import sign_up

pytestmark = pytest.mark.django_db


def star(user, conference, *slugs):
    for slug in slugs:
        set_starred(user=user, session_id=demo_session(conference, slug).pk, starred=True)


def move_and_cancel(conference):
    """Between two releases: OST in prisons one hour later (14:00 → 15:00), the chemsex session cancelled."""
    moved = demo_session(conference, "ost-in-prisons")
    publish_change(moved, start=moved.start + timedelta(hours=1), end=moved.end + timedelta(hours=1))
    publish_change(demo_session(conference, "chemsex"), status="cancelled")


@pytest.fixture
def attendees(conference):
    """Who starred what: two changed sessions, one unchanged, one opted out, one writing in Russian."""
    people = {
        "both": make_user("both@example.org"),
        "unchanged": make_user("unchanged@example.org"),
        "opted_out": make_user("opted-out@example.org"),
        "russian": make_user("russian@example.org"),
    }
    star(people["both"], conference, "ost-in-prisons", "chemsex", "naloxone-in-every-pocket")
    star(people["unchanged"], conference, "naloxone-in-every-pocket")
    star(people["opted_out"], conference, "chemsex")
    set_schedule_change_emails(user=people["opted_out"], enabled=False)
    star(people["russian"], conference, "ost-in-prisons")
    services.register(
        user=people["russian"],
        conference=conference,
        registration_type=make_type(conference, capacity=10),
        details=details(),
        language="ru",
    )
    return people


def release_twice(conference, django_capture_on_commit_callbacks, mailoutbox):
    """Two releases, each followed by a worker run over the mail queue (notices are queued, never sent inline)."""
    drain()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release_schedule(conference=conference, note="First programme")
    drain()
    assert mailoutbox == []  # the first release has nothing to compare with
    move_and_cancel(conference)
    with django_capture_on_commit_callbacks(execute=True):
        release_schedule(conference=conference, note="Afternoon changes", note_ru="Изменения после обеда")
    drain()


def test_release_emails_each_attendee_who_starred_a_changed_session_once(
    conference, attendees, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()  # the Russian attendee's registration email
    release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    assert sorted(message.to[0] for message in mailoutbox) == ["both@example.org", "russian@example.org"]
    [both] = [message for message in mailoutbox if message.to == ["both@example.org"]]
    assert both.subject == "Changes to your sessions at Harm Reduction in the New Environment"
    assert "Opioid substitution behind bars — Moved" in both.body
    assert "Was: Tue 4 April, 14:00–15:30, Vilnius room" in both.body
    assert "Now: Tue 4 April, 15:00–16:30, Vilnius room" in both.body
    assert "Chemsex and harm reduction — Cancelled" in both.body
    assert "It is cancelled." in both.body
    assert "Naloxone" not in both.body  # starred, but unchanged
    assert "Organisers' note: Afternoon changes" in both.body


def test_russian_attendee_gets_the_notice_in_russian(
    conference, attendees, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    [russian] = [message for message in mailoutbox if message.to == ["russian@example.org"]]
    assert russian.subject.startswith("Изменения в ваших сессиях")
    assert "Было: Вт 4 апреля, 14:00–15:30" in russian.body
    assert "Стало: Вт 4 апреля, 15:00–16:30" in russian.body
    assert "/ru/my/" in russian.body
    assert "Изменения после обеда" in russian.body and "Afternoon changes" not in russian.body


def test_a_third_release_without_changes_sends_nothing_more(
    conference, attendees, django_capture_on_commit_callbacks, mailoutbox
):
    release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release_schedule(conference=conference)
    assert mailoutbox == []


def test_another_source_of_interest_adds_its_attendees(conference, django_capture_on_commit_callbacks, mailoutbox):
    # How registration's workshop sign-ups plug in: a source of (user, session) pairs.
    signed_up = make_user("signed-up@example.org")
    chemsex = demo_session(conference, "chemsex")

    def sign_ups(session_ids):
        return [(signed_up.pk, chemsex.pk)] if chemsex.pk in session_ids else []

    register_interest_source(sign_ups)
    try:
        release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    finally:
        interest_sources.remove(sign_ups)
    assert [message.to for message in mailoutbox] == [["signed-up@example.org"]]
    assert "Chemsex and harm reduction" in mailoutbox[0].body


def test_my_page_marks_changed_sessions_until_seen(
    client, conference, attendees, django_capture_on_commit_callbacks, mailoutbox
):
    release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    client.force_login(attendees["both"])
    html = client.get("/my/").content.decode()
    assert html.count("agenda-item--changed") == 2
    assert "Changed in version 2:" in html
    assert "was Tue 4 April, 14:00–15:30, Vilnius room" in html
    client.post(reverse("agenda_changes_seen"))
    assert "agenda-item--changed" not in client.get("/my/").content.decode()
    assert not AgendaItem.objects.filter(user=attendees["both"], changed_in__isnull=False).exists()


def test_attendee_turns_change_emails_off_and_on_from_my_page(client, conference):
    user = make_user()
    client.force_login(user)
    assert 'name="schedule_changes" value="1" checked' in client.get("/my/").content.decode()
    client.post(reverse("agenda_notice_preference"), {})
    assert 'name="schedule_changes" value="1" checked' not in client.get("/my/").content.decode()
    exported = json.loads(client.get(reverse("download_personal_data")).content)
    assert exported["notifications"] == {"schedule_change_emails": False, "language": "en"}
    client.post(reverse("agenda_notice_preference"), {"schedule_changes": "1"})
    exported = json.loads(client.get(reverse("download_personal_data")).content)
    assert exported["notifications"]["schedule_change_emails"] is True


def test_workshop_sign_ups_get_the_notice_too(conference, django_capture_on_commit_callbacks, mailoutbox):
    """registration's sign-ups are a source of interest: someone signed up for a cancelled session hears of it."""
    chemsex = demo_session(conference, "chemsex")
    chemsex.signup_capacity = 5
    chemsex.save(update_fields=["signup_capacity"])
    user = make_user("workshop@example.org")
    registration = services.register(
        user=user, conference=conference, registration_type=make_type(conference, capacity=10), details=details()
    )
    sign_up(registration=registration, session=chemsex)
    mailoutbox.clear()
    release_twice(conference, django_capture_on_commit_callbacks, mailoutbox)
    assert [message.to for message in mailoutbox] == [["workshop@example.org"]]
    assert "Chemsex and harm reduction — Cancelled" in mailoutbox[0].body
