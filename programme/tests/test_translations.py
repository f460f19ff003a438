"""Russian pages take the schedule facts from the English session: same times, UID and guid, own title."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from programme.models import SpeakerPage

from .helpers import demo_session, events_by_uid, publish_change

pytestmark = pytest.mark.django_db


def test_russian_feed_has_english_uids_and_russian_titles(client, conference):
    english = events_by_uid(client.get("/vilnius-2017/programme/schedule.ics").content)
    russian = events_by_uid(client.get("/ru/vilnius-2017/programme/schedule.ics").content)
    assert set(russian) == set(english)
    uid = f"{demo_session(conference, 'opening').translation_key}@sessions.harm-reduction-conference"
    assert str(russian[uid]["SUMMARY"]) == "Открытие: снижение вреда в новых условиях"
    assert str(russian[uid]["URL"]).endswith("/ru/vilnius-2017/programme/opening/")


def test_russian_pages_follow_an_english_time_change(client, conference):
    session = demo_session(conference, "opening")
    client.get("/ru/vilnius-2017/programme/")
    publish_change(session, start=session.start + timedelta(hours=1), end=session.end + timedelta(hours=1))
    uid = f"{session.translation_key}@sessions.harm-reduction-conference"
    event = events_by_uid(client.get("/ru/vilnius-2017/programme/schedule.ics").content)[uid]
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2017, 4, 4, 7, 0, tzinfo=UTC)
    assert int(event["SEQUENCE"]) == 1
    html = client.get("/ru/vilnius-2017/programme/opening/").content.decode()
    assert '<time datetime="2017-04-04T10:00:00+03:00">' in html


def test_russian_frab_guid_matches_english(client, conference):
    def guids(url):
        days = json.loads(client.get(url).content)["schedule"]["conference"]["days"]
        return sorted(event["guid"] for day in days for room in day["rooms"].values() for event in room)

    assert guids("/ru/vilnius-2017/programme/schedule.json") == guids("/vilnius-2017/programme/schedule.json")


def test_russian_speaker_index_lists_every_speaker(client, conference):
    html = client.get("/ru/vilnius-2017/speakers/").content.decode()
    english_speakers = SpeakerPage.objects.live().descendant_of(conference).count()
    assert html.count('class="speaker-card__name"') == english_speakers > 0
    assert 'href="/ru/vilnius-2017/speakers/giorgi-demo-beridze/">Георгий Беридзе (демо)</a>' in html
    assert 'href="/ru/vilnius-2017/speakers/jan-demo-kowalski/">Jan Kowalski (demo)</a>' in html
