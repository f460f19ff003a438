"""Schedule releases: what each release records as changed, the public changelog and its Atom feed in both
languages, the frab <version>, the management command and the admin page."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from programme.models import Room, ScheduleRelease
from programme.releases import changed_sessions, release_schedule

from .helpers import demo_session, publish_change

pytestmark = pytest.mark.django_db

CHANGES = "/vilnius-2017/programme/changes/"
ATOM = "{http://www.w3.org/2005/Atom}"


def move_and_cancel(conference):
    """Between two releases: OST in prisons one hour later, the chemsex session cancelled."""
    moved = demo_session(conference, "ost-in-prisons")
    old_start, old_end = moved.start, moved.end
    moved = publish_change(moved, start=old_start + timedelta(hours=1), end=old_end + timedelta(hours=1))
    cancelled = publish_change(demo_session(conference, "chemsex"), status="cancelled")
    return moved, old_start, cancelled


def test_release_twice_records_exactly_the_move_and_the_cancellation(conference):
    first = release_schedule(conference=conference, note="First programme")
    moved, old_start, cancelled = move_and_cancel(conference)
    second = release_schedule(conference=conference, note="Afternoon changes")
    assert (first.name, second.name) == ("1", "2")
    assert list(first.changes.all()) == []
    changes = sorted((change.kind, change.session_id) for change in second.changes.all())
    assert changes == sorted([("moved", moved.pk), ("cancelled", cancelled.pk)])
    move = second.changes.get(kind="moved")
    assert (move.old_start, move.new_start) == (old_start, moved.start)
    assert move.old_room_id == move.new_room_id == moved.room_id
    assert move.new_room_name == moved.room.name


def test_changed_sessions_tell_a_notifier_old_and_new_time_and_room(conference):
    release_schedule(conference=conference)
    session = demo_session(conference, "naloxone-in-every-pocket")
    other_room = Room.objects.filter(conference=conference).exclude(pk=session.room_id).first()
    old_room, old_start = session.room, session.start
    publish_change(
        session, room=other_room, start=old_start + timedelta(minutes=30), end=session.end + timedelta(minutes=30)
    )
    release = release_schedule(conference=conference)
    [(session_id, changes)] = changed_sessions(release).items()
    assert session_id == session.pk
    assert {change.kind for change in changes} == {"moved", "room_changed"}
    for change in changes:
        assert (change.old_room, change.new_room) == (old_room, other_room)
        assert (change.old_start, change.new_start) == (old_start, old_start + timedelta(minutes=30))


def test_removed_session_and_changed_speakers_are_recorded(conference):
    release_schedule(conference=conference)
    demo_session(conference, "chemsex").unpublish()
    session = demo_session(conference, "opening")
    session.speaker_links.remove(session.speaker_links.first())
    publish_change(session)
    release = release_schedule(conference=conference)
    assert sorted((change.kind, change.title) for change in release.changes.all()) == sorted(
        [("removed", demo_session(conference, "chemsex").title), ("speakers_changed", session.title)]
    )
    speakers = release.changes.get(kind="speakers_changed")
    assert len(speakers.old_speakers) == len(speakers.new_speakers) + 1


def test_changes_page_lists_releases_newest_first_with_their_changes(client, conference):
    release_schedule(conference=conference, note="First programme")
    move_and_cancel(conference)
    release_schedule(conference=conference, note="Afternoon changes")
    response = client.get(CHANGES)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Version 2") < html.index("Version 1")
    assert html.count('class="change change--') == 2
    assert "Moved:</strong>" in html and "Cancelled:</strong>" in html
    assert "Afternoon changes" in html
    assert 'type="application/atom+xml" href="/vilnius-2017/programme/changes/feed/"' in html


def test_changes_page_in_russian(client, conference):
    release_schedule(conference=conference)
    move_and_cancel(conference)
    release_schedule(conference=conference)
    html = client.get("/ru/vilnius-2017/programme/changes/").content.decode()
    assert "Изменения в программе" in html
    assert "Версия 2" in html
    assert "Перенесено:</strong>" in html and "Отменено:</strong>" in html
    # OST in prisons is translated in the demo: its Russian title and address.
    russian = demo_session(conference, "ost-in-prisons").get_translation(
        conference.get_translations().get(locale__language_code="ru").locale
    )
    assert russian.title in html
    assert f'href="/ru/vilnius-2017/programme/{russian.slug}/"' in html


def test_changes_feed_is_atom_with_one_entry_per_release(client, conference):
    release_schedule(conference=conference, note="First programme")
    move_and_cancel(conference)
    release_schedule(conference=conference, note="Afternoon changes")
    response = client.get(CHANGES + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Version 2", "Version 1"]
    summary = entries[0].find(f"{ATOM}summary").text
    assert "Afternoon changes" in summary and "Moved: " in summary and "Cancelled: " in summary
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/vilnius-2017/programme/changes/#release-2")


def test_programme_page_links_the_changes_page(client, conference):
    assert 'href="/vilnius-2017/programme/changes/"' in client.get("/vilnius-2017/programme/").content.decode()
    assert 'href="/ru/vilnius-2017/programme/changes/"' in client.get("/ru/vilnius-2017/programme/").content.decode()


def test_changes_page_before_any_release(client, conference):
    response = client.get(CHANGES)
    assert response.status_code == 200
    assert "The programme has not been released yet." in response.content.decode()


def frab_versions(client):
    xml = ElementTree.fromstring(client.get("/vilnius-2017/programme/schedule.xml").content).find("version").text
    document = json.loads(client.get("/vilnius-2017/programme/schedule.json").content)
    return xml, document["schedule"]["version"]


def test_frab_version_follows_the_latest_release(client, conference):
    before, _json = frab_versions(client)
    assert before
    release_schedule(conference=conference)
    assert frab_versions(client) == ("1", "1")
    release_schedule(conference=conference, name="2017-04-03 evening")
    assert frab_versions(client) == ("2017-04-03 evening", "2017-04-03 evening")


def test_release_schedule_command(conference):
    call_command("release_schedule", conference="vilnius-2017", note="From the command line", verbosity=0)
    release = ScheduleRelease.objects.get()
    assert (release.name, release.note, release.conference_id) == ("1", "From the command line", conference.pk)
    with pytest.raises(CommandError, match="no conference"):
        call_command("release_schedule", conference="nowhere", note="x")
    with pytest.raises(CommandError, match="already a release"):
        call_command("release_schedule", conference="vilnius-2017", name="1")


def test_admin_releases_the_programme(client, conference, django_user_model):
    user = django_user_model.objects.create_superuser(username="org", email="org@example.org", password="x" * 12)
    client.force_login(user)
    url = reverse("programme_releases")
    page = client.get(url)
    assert page.status_code == 200
    preview = page.context["form"].initial["preview"]
    response = client.post(url, {"conference": conference.pk, "note": "Released from the admin", "preview": preview})
    assert response.status_code == 302
    release = ScheduleRelease.objects.get()
    assert (release.note, release.created_by) == ("Released from the admin", user)
    assert "Released from the admin" in client.get(url).content.decode()


def test_admin_release_refused_without_permission(client, conference, django_user_model):
    user = django_user_model.objects.create_user(username="someone", email="someone@example.org", password="x" * 12)
    client.force_login(user)
    response = client.post(reverse("programme_releases"), {"conference": conference.pk, "note": "x"})
    assert response.status_code in (302, 403)
    assert not ScheduleRelease.objects.exists()


@pytest.fixture
def organiser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="org", email="org@example.org", password="x" * 12)
    client.force_login(user)
    return client


def test_release_form_preselects_the_current_conference(organiser_client, conference):
    html = organiser_client.get(reverse("programme_releases")).content.decode()
    assert f'<option value="{conference.pk}" selected>' in html
    assert organiser_client.get(reverse("programme_releases")).context["form"].initial["conference"] == conference.pk


def test_release_page_previews_the_changes_since_the_last_release(organiser_client, conference):
    release_schedule(conference=conference)
    moved, _old_start, cancelled = move_and_cancel(conference)
    html = organiser_client.get(reverse("programme_releases"), {"conference": conference.pk}).content.decode()
    assert "Changes since version 1" in html
    assert "<li>Moved: 1</li>" in html and "<li>Cancelled or removed: 1</li>" in html
    row = html[html.index(f'<th scope="row">{moved.title}') :].split("</tr>")[0]
    assert "Tue 4 April, 14:00–15:30, Vilnius room" in row and "Tue 4 April, 15:00–16:30, Vilnius room" in row
    assert cancelled.title in html
    assert ScheduleRelease.objects.count() == 1  # a preview records nothing


def test_release_is_refused_when_the_programme_changed_after_the_preview(organiser_client, conference):
    release_schedule(conference=conference)
    url = reverse("programme_releases")
    preview = organiser_client.get(url).context["form"].initial["preview"]
    move_and_cancel(conference)
    response = organiser_client.post(url, {"conference": conference.pk, "note": "x", "preview": preview})
    assert response.status_code == 400
    assert "The programme changed while you were looking at it" in response.content.decode()
    assert ScheduleRelease.objects.count() == 1
    fresh = response.context["form"].data["preview"]
    assert organiser_client.post(url, {"conference": conference.pk, "note": "x", "preview": fresh}).status_code == 302
    assert ScheduleRelease.objects.get(number=2).changes.count() == 2


def test_russian_note_on_the_russian_changes_page_and_feed(client, conference):
    release_schedule(conference=conference, note="Room changes for day 2", note_ru="Смена залов во второй день")
    russian = client.get("/ru/vilnius-2017/programme/changes/").content.decode()
    assert "Смена залов во второй день" in russian and "Room changes for day 2" not in russian
    feed = client.get("/ru/vilnius-2017/programme/changes/feed/").content.decode()
    assert "Смена залов во второй день" in feed
    assert "Room changes for day 2" in client.get(CHANGES).content.decode()


def test_russian_readers_get_the_english_note_without_a_translation(client, conference):
    release_schedule(conference=conference, note="Room changes for day 2")
    assert "Room changes for day 2" in client.get("/ru/vilnius-2017/programme/changes/").content.decode()
