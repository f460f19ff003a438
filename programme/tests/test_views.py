"""Programme, print, now-and-next, session and speaker pages: filters, calendar links, caching and invalidation."""

import re

import pytest
from django.contrib.auth import get_user_model

from programme.models import SpeakerPage

from .helpers import demo_session, events_by_uid, publish_change

pytestmark = pytest.mark.django_db

PROGRAMME = "/vilnius-2017/programme/"


def calendar_links(html):
    return re.findall(r'<link rel="alternate" type="text/calendar" href="([^"]+)"', html)


def test_programme_lists_every_day_with_sessions(client, conference):
    html = client.get(PROGRAMME).content.decode()
    assert re.findall(r'<h2 id="day-([\d-]+)"', html) == ["2017-04-04", "2017-04-05", "2017-04-06"]
    assert "From Street to Government: 176 cases and what they changed" in html
    assert calendar_links(html) == ["/vilnius-2017/programme/schedule.ics"]


def test_programme_filter_narrows_sessions_and_calendar_link(client, conference):
    html = client.get(PROGRAMME, {"track": "hiv-hcv-ost", "day": "2017-04-05"}).content.decode()
    assert "Chemsex and harm reduction" in html
    assert "Drug checking and new psychoactive substances" not in html
    assert calendar_links(html) == ["/vilnius-2017/programme/schedule.ics?day=2017-04-05&amp;track=hiv-hcv-ost"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"day": "2017-13-40"}, "Write the day as YYYY-MM-DD"),
        ({"day": "2018-01-01"}, "is not one of its days"),
        ({"track": "nope"}, "There is no track “nope”"),
        ({"room": "nope"}, "There is no room “nope”"),
        ({"kind": "party"}, "There is no session kind “party”"),
    ],
)
def test_programme_bad_filter_gives_400_with_message(client, conference, query, message):
    response = client.get(PROGRAMME, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_schedule_ics_filter_by_room_and_day(client, conference):
    response = client.get(PROGRAMME + "schedule.ics", {"room": "neris-room", "day": "2017-04-05"})
    summaries = sorted(str(event["SUMMARY"]) for event in events_by_uid(response.content).values())
    assert summaries == [
        "Community monitoring of OST quality",
        "Decriminalisation: models for the region",
        "Harm reduction in the Middle East and North Africa",
    ]


def test_schedule_ics_bad_filter_is_400_text(client, conference):
    response = client.get(PROGRAMME + "schedule.ics", {"room": "nope"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "There is no room “nope”" in response.content.decode()


def test_published_change_shows_on_next_request(client, conference):
    assert "Chemsex and harm reduction" in client.get(PROGRAMME).content.decode()
    client.get(PROGRAMME + "schedule.json")
    publish_change(demo_session(conference, "chemsex"), title="Chemsex: services together")
    assert "Chemsex: services together" in client.get(PROGRAMME).content.decode()
    assert "Chemsex: services together" in client.get(PROGRAMME + "schedule.json").content.decode()


def test_room_rename_shows_on_next_request(client, conference):
    client.get(PROGRAMME)
    room = conference.rooms.get(slug="neris-room")
    room.name = "Neris hall"
    room.save()
    assert "Neris hall" in client.get(PROGRAMME).content.decode()


def test_signed_in_user_gets_fresh_page_not_anonymous_copy(client, conference):
    client.get(PROGRAMME)
    user = get_user_model().objects.create_user(username="reader", email="reader@example.org", password="x" * 12)
    client.force_login(user)
    html = client.get(PROGRAMME).content.decode()
    assert "My conference" in html
    assert "Sign in" not in html


def test_session_page_shows_local_time_room_speakers_and_calendar(client, conference):
    html = client.get(PROGRAMME + "from-street-to-government/").content.decode()
    assert '<time datetime="2017-04-04T09:45:00+03:00">Tuesday 4 April 2017, 09:45</time>' in html
    assert "Plenary hall Lietuva" in html
    assert "Ana Lomidze (demo)" in html
    assert calendar_links(html) == ["/vilnius-2017/programme/from-street-to-government/session.ics"]


def test_cancelled_session_page_says_so(client, conference):
    assert "This session is cancelled." in client.get(PROGRAMME + "un-drug-policy/").content.decode()


def test_speaker_page_lists_their_sessions(client, conference):
    html = client.get("/vilnius-2017/speakers/giorgi-demo-beridze/").content.decode()
    assert "From Street to Government: 176 cases and what they changed" in html
    assert "Police and harm reduction: from raids to referrals" in html
    assert "Invented demo profile" in html


def test_speaker_index_lists_at_least_twenty_speakers(client, conference):
    html = client.get("/vilnius-2017/speakers/").content.decode()
    assert len(re.findall(r'class="speaker-card__name"', html)) >= 20


def test_now_and_next_at_a_given_moment(client, conference):
    html = client.get(PROGRAMME + "now/", {"at": "2017-04-05T11:30"}).content.decode()
    now_part, next_part = html.split('id="next-heading"')
    assert "Drug checking and new psychoactive substances" in now_part
    assert "Lunch" in next_part


def test_printable_programme_has_one_table_per_day(client, conference):
    html = client.get(PROGRAMME + "print/").content.decode()
    assert html.count('<section class="print-day"') == 3
    assert html.count('<table class="print-table">') == 3


def test_programme_nav_items_exist(client, conference):
    html = client.get("/vilnius-2017/").content.decode()
    assert 'href="/vilnius-2017/programme/"' in html
    assert 'href="/vilnius-2017/speakers/"' in html


def test_deleted_session_leaves_programme_on_next_request(client, conference):
    assert "Chemsex and harm reduction" in client.get(PROGRAMME).content.decode()
    demo_session(conference, "chemsex").delete()
    assert "Chemsex and harm reduction" not in client.get(PROGRAMME).content.decode()


def test_speaker_rename_shows_in_programme_on_next_request(client, conference):
    client.get(PROGRAMME)
    speaker = SpeakerPage.objects.get(slug="jan-demo-kowalski", locale=conference.locale)
    speaker.title = "Jan K. Kowalski (demo)"
    speaker.save_revision().publish()
    assert "Jan K. Kowalski (demo)" in client.get(PROGRAMME).content.decode()


def test_exports_allow_cross_origin_reads(client, conference):
    for path in ("schedule.ics", "schedule.xml", "schedule.json", "opening/session.ics"):
        assert client.get(PROGRAMME + path)["Access-Control-Allow-Origin"] == "*", path


def test_programme_offers_webcal_subscription_with_filters(client, conference):
    html = client.get(PROGRAMME, {"room": "trakai-room"}).content.decode()
    assert 'href="webcal://127.0.0.1:8000/vilnius-2017/programme/schedule.ics?room=trakai-room"' in html


def test_now_and_next_reloads_only_as_a_screen(client, conference):
    assert 'http-equiv="refresh"' not in client.get(PROGRAMME + "now/").content.decode()
    assert (
        '<meta http-equiv="refresh" content="60">' in client.get(PROGRAMME + "now/", {"screen": "1"}).content.decode()
    )


def test_programme_filter_form_with_empty_fields_redirects_to_the_canonical_address(client, conference):
    response = client.get(PROGRAMME, {"day": " 2017-04-05", "track": "", "room": "", "kind": "", "language": ""})
    assert (response.status_code, response["Location"]) == (302, PROGRAMME + "?day=2017-04-05")
    assert client.get(PROGRAMME, {"day": "2017-04-05"}).status_code == 200
