"""The conferences on the admin's home page: registrations by type and status with seats left, visa letters
waiting, workshops near capacity, emails failed or waiting, check-ins per day and today by gate and hour,
sessions published since the last release; each figure a link to the list behind it; the same number of queries
for one conference or several, few registrations or many."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conference.mail import OutboundEmail
from conference.models import ConferencePage
from programme.models import SessionPage
from programme.releases import release_schedule
from registration.models import CheckIn, VisaLetterRequest, WorkshopSignup
from tests.admin_page_data import rich_registration

from .registration_factories import make_type, make_user, register

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def panel(client, conference):
    """The text and links of one conference's panel on the home page."""
    html = client.get(HOME).content.decode()
    start = html.index(f'id="conference-{conference.slug}')
    return html[start : html.index("</section>", start)]


def link_of(html, text):
    """The href of the link whose text is `text` in `html`."""
    match = re.search(rf'<a href="([^"]+)"[^>]*>\s*{re.escape(text)}\s*</a>', html)
    assert match, f"no link {text!r}"
    return match.group(1).replace("&amp;", "&")


def test_home_shows_each_types_seats_and_links_to_its_registrations(client, organiser, conference):
    small = make_type(conference, name="Small dashboard type", capacity=2)
    confirmed = [register(make_user(), conference, small) for _ in range(2)]
    waiting = register(make_user(), conference, small)
    html = panel(client, conference)
    row = html[html.index("Small dashboard type") :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(?:<a[^>]*>)?(\d+)", row)
    assert cells == ["2", "0", "1", "0", "2", "0"]  # confirmed, pending, waiting list, cancelled; capacity, seats left
    waiting_url = re.findall(r'<a href="([^"]+)"', row)[2].replace("&amp;", "&")  # confirmed, pending, waiting
    listing = client.get(waiting_url)
    assert [registration.pk for registration in listing.context["page_obj"]] == [waiting.pk]
    assert len(confirmed) == 2


def test_home_counts_visa_letters_waiting_for_a_decision(client, organiser, conference):
    rich_registration()
    waiting = VisaLetterRequest.objects.filter(status="requested", registration__conference=conference).count()
    html = panel(client, conference)
    text = f"{waiting} visa letter{'s' if waiting != 1 else ''} waiting for a decision"
    url = link_of(html, text)
    assert url == "/admin/visa-letters/?conference=vilnius-2017&status=requested"
    listed = client.get(url).context["requests"]
    assert len(listed) == waiting and all(item.status == "requested" for item in listed)


def test_home_lists_workshops_near_capacity(client, organiser, conference):
    registration = rich_registration()
    session = registration.workshop_signups.get().session
    for number in range(session.signup_capacity):  # the rest of the places, and one more who waits
        other = register(make_user(), conference, registration.registration_type)
        status = "confirmed" if number < session.signup_capacity - 1 else "waitlisted"
        WorkshopSignup.objects.create(registration=other, session=session, status=status)
    html = panel(client, conference)
    url = link_of(html, session.title)
    row = html[html.index(session.title) :].split("</tr>")[0]
    assert f"{session.signup_capacity} / {session.signup_capacity}" in row
    listing = client.get(url)
    assert listing.context["page_obj"].paginator.count == session.signup_capacity + 1


def test_home_counts_failed_and_waiting_emails_of_the_conference(client, organiser, conference):
    OutboundEmail.objects.create(recipients="x@example.org", subject="Broken", status="failed", conference=conference)
    OutboundEmail.objects.create(recipients="y@example.org", subject="Elsewhere", status="failed")
    waiting = OutboundEmail.objects.filter(conference=conference).exclude(status__in=["sent", "failed"]).count()
    html = panel(client, conference)
    url = link_of(html, "1 email failed")
    assert [email.subject for email in client.get(url).context["page"]] == ["Broken"]
    assert f"{waiting} waiting to be sent" in html


def test_home_counts_checkins_per_day_and_today_by_gate_and_hour(client, organiser, conference):
    registration = rich_registration()  # checked in on the second day
    today = conference.today()
    now = timezone.now()
    for gate in ("North", "North", "South"):
        other = register(make_user(), conference, registration.registration_type)
        CheckIn.objects.create(registration=other, conference=conference, day=today, checked_in_at=now, gate=gate)
    html = panel(client, conference)
    row = html[html.index("Wed 5 Apr") :].split("</tr>")[0]
    second_day = link_of(row, "1")
    assert "checked_in_on=2017-04-05" in second_day
    assert [r.pk for r in client.get(second_day).context["page_obj"]] == [registration.pk]
    assert "North: 2" in html and "South: 1" in html
    hour = now.astimezone(conference.tzinfo).hour
    assert re.search(rf"<td>{hour:02d}:00</td><td>3</td>", html)


def test_home_counts_sessions_published_since_the_last_release(client, organiser, conference):
    release_schedule(conference=conference, note="first")
    html = panel(client, conference)
    assert "0 sessions published since version 1" in html
    moved = SessionPage.objects.live().filter(locale=conference.locale).descendant_of(conference).first()
    moved.start += timedelta(minutes=30)
    moved.end += timedelta(minutes=30)
    moved.save_revision().publish()
    html = panel(client, conference)
    assert (
        link_of(html, "1 session published since version 1") == f"/admin/programme/releases/?conference={conference.pk}"
    )


def add_conference(number, demo):
    home = demo.get_parent()
    start = timezone.now().date() + timedelta(days=30 * number)
    page = ConferencePage(
        title=f"Dashboard conference {number}",
        slug=f"dashboard-{number}",
        start_date=start,
        end_date=start + timedelta(days=2),
        time_zone="Europe/Vilnius",
        city="Vilnius",
    )
    home.add_child(instance=page)
    return page


def test_home_takes_the_same_queries_for_one_conference_or_several(client, organiser, conference):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    client.get(HOME)  # Wagtail's own first-visit work (user profile) out of the way
    one = queries()
    for number in (1, 2, 3):
        other = add_conference(number, conference)
        registration_type = make_type(other, capacity=3)
        for _ in range(5):
            registration = register(make_user(), other, registration_type)
            CheckIn.objects.create(
                registration=registration, conference=other, day=other.start_date, checked_in_at=timezone.now()
            )
        OutboundEmail.objects.create(recipients="z@example.org", subject="Broken", status="failed", conference=other)
    several = queries()
    html = client.get(HOME).content.decode()
    assert html.count("conference-panel") >= 3
    assert several == one
    many_type = make_type(other, capacity=500)
    for _ in range(40):
        register(make_user(), other, many_type)
    assert queries() == one  # many registrations, as few
