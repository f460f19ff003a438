"""The personal agenda: stars (form and fetch), clashes on /my/, the private calendar feed (with and without
its secret, renewed, revoked) following sessions that move, are cancelled or unpublished."""

import json
import re
from datetime import datetime, timedelta

import icalendar
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from wagtail.models import Locale

from programme.enums import SessionStatus
from programme.models import AgendaFeed, AgendaItem, ProgrammePage, Room, SessionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee(django_user_model):
    user = django_user_model.objects.create_user(username="ana", email="ana@example.org", password="x")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def signed_in(client, attendee):
    client.force_login(attendee)
    return client


@pytest.fixture
def programme(conference):
    programme = ProgrammePage.objects.child_of(conference).filter(locale=conference.locale).first()
    if programme is None:
        programme = ProgrammePage(title="Programme", slug="programme")
        conference.add_child(instance=programme)
        programme.save_revision().publish()
    return programme


@pytest.fixture
def rooms(conference):
    return [
        Room.objects.get_or_create(conference=conference, slug=f"agenda-room-{n}", defaults={"name": f"Agenda {n}"})[0]
        for n in (1, 2)
    ]


def local(conference, day, hour, minute=0):
    return datetime(2017, 4, day, hour, minute, tzinfo=conference.tzinfo)


def add_session(programme, conference, slug, *, day, hour, minutes=60, room=None, title=None):
    session = SessionPage(
        title=title or slug.replace("-", " ").capitalize(),
        slug=slug,
        kind="panel",
        start=local(conference, day, hour),
        end=local(conference, day, hour) + timedelta(minutes=minutes),
        room=room,
    )
    programme.add_child(instance=session)
    session.save_revision().publish()
    return SessionPage.objects.get(pk=session.pk)


@pytest.fixture
def sessions(programme, conference, rooms):
    """Three sessions on day 2: `morning` and `overlap` clash, `later` clashes with nothing."""
    return {
        "morning": add_session(programme, conference, "agenda-morning", day=5, hour=9, minutes=90, room=rooms[0]),
        "overlap": add_session(programme, conference, "agenda-overlap", day=5, hour=10, minutes=60, room=rooms[1]),
        "later": add_session(programme, conference, "agenda-later", day=5, hour=14, room=rooms[0]),
    }


def star(client, session, starred=True, **headers):
    return client.post(
        f"/agenda/star/{session.pk}/", {"starred": "1" if starred else "0", "next": "/vilnius-2017/"}, **headers
    )


def feed_url(client):
    """Make the private link from /my/ and read it back from the page, as an attendee would."""
    client.post("/agenda/feed/")
    html = client.get("/my/").content.decode()
    # The link is built from SITE_URL, never from the request's Host (it goes into calendar apps).
    site = re.escape(settings.SITE_URL)
    match = re.search(rf'<link rel="alternate" type="text/calendar" href="{site}(/agenda/[^"]+\.ics)"', html)
    assert match, "no calendar link in the head of /my/"
    return match.group(1)


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def publish_change(session, **changes):
    """Change a session in a new revision and publish it, as an organiser does in the admin."""
    for name, value in changes.items():
        setattr(session, name, value)
    session.save_revision().publish()


# Stars


def test_star_form_adds_the_session_and_goes_back(signed_in, attendee, sessions):
    response = star(signed_in, sessions["morning"])
    assert response.status_code == 302
    assert response["Location"] == "/vilnius-2017/"
    assert list(AgendaItem.objects.filter(user=attendee).values_list("session_id", flat=True)) == [
        sessions["morning"].pk
    ]


def test_star_sent_twice_keeps_one_star(signed_in, attendee, sessions):
    star(signed_in, sessions["morning"])
    star(signed_in, sessions["morning"])
    assert AgendaItem.objects.filter(user=attendee).count() == 1


def test_unstar_removes_the_session(signed_in, attendee, sessions):
    star(signed_in, sessions["morning"])
    star(signed_in, sessions["morning"], starred=False)
    assert AgendaItem.objects.filter(user=attendee).count() == 0


def test_star_by_fetch_answers_json(signed_in, sessions):
    response = star(signed_in, sessions["later"], HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"session": sessions["later"].pk, "starred": True}


def test_star_when_signed_out_sends_to_sign_in_and_stores_nothing(client, sessions):
    response = star(client, sessions["morning"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fvilnius-2017%2F"
    assert AgendaItem.objects.count() == 0


def test_star_of_an_unpublished_session_is_refused(signed_in, sessions):
    sessions["later"].unpublish()
    assert star(signed_in, sessions["later"]).status_code == 404
    assert AgendaItem.objects.count() == 0


def test_which_sessions_can_be_starred_follows_publishing(signed_in, sessions, programme, conference):
    assert star(signed_in, sessions["morning"]).status_code == 302  # the starrable sessions are now in the cache
    sessions["later"].unpublish()
    assert star(signed_in, sessions["later"]).status_code == 404
    added = add_session(programme, conference, "agenda-added", day=6, hour=9)
    assert star(signed_in, added).status_code == 302
    assert set(AgendaItem.objects.values_list("session_id", flat=True)) == {sessions["morning"].pk, added.pk}


def test_star_next_to_another_site_goes_to_my_agenda_instead(signed_in, sessions):
    response = signed_in.post(f"/agenda/star/{sessions['later'].pk}/", {"next": "https://evil.example/"})
    assert response["Location"] == "/my/#my-agenda"


def test_star_button_on_a_russian_session_page_stars_the_english_session(signed_in, attendee, sessions):
    russian = sessions["morning"].copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    star(signed_in, sessions["morning"])
    request = RequestFactory().get("/ru/vilnius-2017/programme/agenda-morning/")
    request.user = attendee
    html = render_to_string("programme/includes/star_button.html", {"session": russian}, request=request)
    assert f'action="/agenda/star/{sessions["morning"].pk}/"' in html
    assert 'name="starred" value="0"' in html


def test_stars_kept_in_the_browser_are_imported_after_sign_in(signed_in, attendee, sessions):
    response = signed_in.post(
        "/agenda/import/", {"session": [sessions["morning"].pk, sessions["later"].pk, "999999", "nonsense"]}
    )
    assert response.status_code == 302
    assert set(AgendaItem.objects.filter(user=attendee).values_list("session_id", flat=True)) == {
        sessions["morning"].pk,
        sessions["later"].pk,
    }


def test_import_of_malformed_json_is_a_400(signed_in):
    response = signed_in.post("/agenda/import/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


# /my/


def test_my_agenda_lists_starred_sessions_by_day_with_clashes_marked(signed_in, sessions):
    for session in sessions.values():
        star(signed_in, session)
    html = signed_in.get("/my/").content.decode()
    section = html[html.index('id="my-agenda"') :]
    assert "<h4>Wednesday 5 April</h4>" in section
    clashing = set(re.findall(r'<li class="agenda-item agenda-item--clash" id="session-(\d+)"', section))
    assert clashing == {str(sessions["morning"].pk), str(sessions["overlap"].pk)}
    assert f'<li class="agenda-item" id="session-{sessions["later"].pk}"' in section
    times = re.findall(r'<p class="agenda-item__time"><time[^>]*>(\d\d:\d\d)</time>', section)
    assert times == ["09:00", "10:00", "14:00"]


def test_cancelled_session_clashes_with_nothing(signed_in, sessions):
    star(signed_in, sessions["morning"])
    star(signed_in, sessions["overlap"])
    publish_change(sessions["overlap"], status=SessionStatus.CANCELLED)
    html = signed_in.get("/my/").content.decode()
    assert "agenda-item--clash" not in html
    assert "agenda-item--cancelled" in html


def test_my_agenda_in_russian_shows_russian_dates(signed_in, sessions):
    star(signed_in, sessions["later"])
    html = signed_in.get("/ru/my/").content.decode()
    assert re.findall(r"<h4>[^<]*</h4>", html) == ["<h4>Среда, 5 апреля</h4>"]


# The private feed


def test_feed_with_its_secret_works_without_a_session_cookie(signed_in, conference, sessions):
    star(signed_in, sessions["morning"])
    url = feed_url(signed_in)
    events = events_of(Client().get(url))
    assert list(events) == ["Agenda morning"]
    assert events["Agenda morning"]["dtstart"].dt == local(conference, 5, 9)


def test_feed_without_the_right_secret_is_not_found(signed_in, sessions):
    star(signed_in, sessions["morning"])
    url = feed_url(signed_in)
    assert Client().get("/agenda/not-the-secret.ics").status_code == 404
    assert Client().get(url[:-8] + "AAAA.ics").status_code == 404


def test_my_page_offers_webcal_and_https_links(signed_in, sessions):
    url = feed_url(signed_in)
    html = signed_in.get("/my/").content.decode()
    site = settings.SITE_URL
    assert f'href="webcal://{site.split("://", 1)[1]}{url}"' in html
    assert f'value="{site}{url}" readonly' in html


def test_feed_token_is_long_and_random(signed_in, attendee):
    first = feed_url(signed_in)
    token = AgendaFeed.objects.get(user=attendee).token
    assert len(token) >= 43
    assert first == f"/agenda/{token}.ics"


def test_revoked_feed_is_not_found(signed_in, sessions):
    url = feed_url(signed_in)
    assert Client().get(url).status_code == 200
    signed_in.post("/agenda/feed/revoke/")
    assert Client().get(url).status_code == 404
    assert 'type="text/calendar"' not in signed_in.get("/my/").content.decode()


def test_renewed_feed_replaces_the_old_link(signed_in, sessions):
    old = feed_url(signed_in)
    new = feed_url(signed_in)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_feed_revocation_needs_a_post(signed_in):
    feed_url(signed_in)
    assert signed_in.get("/agenda/feed/revoke/").status_code == 405
    assert AgendaFeed.objects.count() == 1


def test_moved_session_moves_in_the_feed_with_a_higher_sequence(signed_in, conference, sessions, rooms):
    star(signed_in, sessions["morning"])
    url = feed_url(signed_in)
    before = events_of(Client().get(url))["Agenda morning"]
    publish_change(
        sessions["morning"],
        start=local(conference, 6, 11),
        end=local(conference, 6, 12),
        room=rooms[1],
    )
    after = events_of(Client().get(url))["Agenda morning"]
    assert after["uid"] == before["uid"]
    assert after["dtstart"].dt == local(conference, 6, 11)
    assert after["sequence"] > before["sequence"]
    assert str(after["location"]).startswith("Agenda 2")


def test_cancelled_session_stays_in_the_feed_as_cancelled(signed_in, sessions):
    star(signed_in, sessions["later"])
    url = feed_url(signed_in)
    before = next(iter(events_of(Client().get(url)).values()))
    publish_change(sessions["later"], status=SessionStatus.CANCELLED)
    after = next(iter(events_of(Client().get(url)).values()))
    assert after["uid"] == before["uid"]
    assert after["status"] == "CANCELLED"
    assert after["sequence"] > before["sequence"]


def test_unpublished_session_leaves_the_feed(signed_in, sessions):
    star(signed_in, sessions["later"])
    star(signed_in, sessions["morning"])
    url = feed_url(signed_in)
    sessions["later"].unpublish()
    assert list(events_of(Client().get(url))) == ["Agenda morning"]


def test_feed_uses_the_programme_feeds_uid(signed_in, sessions):
    star(signed_in, sessions["later"])
    mine = events_of(Client().get(feed_url(signed_in)))["Agenda later"]
    programme = events_of(Client().get("/vilnius-2017/programme/schedule.ics"))["Agenda later"]
    assert mine["uid"] == programme["uid"]
    assert mine["sequence"] == programme["sequence"]


def test_feed_under_ru_uses_russian_titles(signed_in, sessions):
    russian = sessions["later"].copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    russian.title = "Поздняя сессия"
    russian.save_revision().publish()
    star(signed_in, sessions["later"])
    url = feed_url(signed_in)
    assert list(events_of(Client().get("/ru" + url))) == ["Поздняя сессия"]


# Personal data


def test_personal_data_download_includes_starred_sessions(signed_in, sessions):
    star(signed_in, sessions["later"])
    data = json.loads(signed_in.get("/my/data.json").content)
    assert [item["session"] for item in data["agenda"]["starred_sessions"]] == ["Agenda later"]


def test_feed_answers_head_requests_of_calendar_apps(signed_in, sessions):
    url = feed_url(signed_in)
    response = Client().head(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_feed_of_an_empty_agenda_is_an_empty_calendar(signed_in):
    url = feed_url(signed_in)
    assert events_of(Client().get(url)) == {}
