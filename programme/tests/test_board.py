"""The schedule board without a browser: the plain form that moves a session, the JSON endpoint's answers to bad
requests and to people without the right, and the admin's session list with day, time and room."""

import json
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.users.models import UserProfile

from programme.models import Room

from .helpers import demo_session

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")


def local(moment):
    return moment.astimezone(VILNIUS).strftime("%Y-%m-%d %H:%M")


def place_url(session):
    return reverse("programme_board_place", args=[session.pk])


def test_board_lists_the_day_by_room_with_a_form_link_per_session(organiser, conference):
    html = organiser.get(reverse("programme_board") + "?day=2017-04-05").content.decode()
    chemsex = demo_session(conference, "chemsex")
    assert 'data-room-name="Vilnius room"' in html
    assert f'data-session="{chemsex.pk}"' in html
    assert 'data-start="2017-04-05T13:30"' in html
    assert place_url(chemsex) in html


def test_plain_form_moves_and_publishes_a_session(organiser, conference):
    session = demo_session(conference, "naloxone-in-every-pocket")
    trakai = Room.objects.get(conference=conference, slug="trakai-room")
    form = organiser.get(place_url(session)).content.decode()
    assert 'value="2017-04-04T11:30"' in form
    response = organiser.post(
        place_url(session), {"start": "2017-04-04T16:00", "duration": "60", "room": trakai.pk, "publish": "on"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (local(session.start), local(session.end), session.room_id) == (
        "2017-04-04 16:00",
        "2017-04-04 17:00",
        trakai.pk,
    )


def test_plain_form_keeps_a_draft_unless_asked_to_publish(organiser, conference):
    session = demo_session(conference, "naloxone-in-every-pocket")
    organiser.post(place_url(session), {"start": "2017-04-04T16:00", "duration": "90", "room": session.room_id})
    session.refresh_from_db()
    assert local(session.start) == "2017-04-04 11:30"
    assert local(session.get_latest_revision_as_object().start) == "2017-04-04 16:00"


def test_plain_form_refuses_a_taken_room_with_the_page_form_message(organiser, conference):
    session = demo_session(conference, "naloxone-in-every-pocket")
    neris = Room.objects.get(conference=conference, slug="neris-room")
    response = organiser.post(place_url(session), {"start": "2017-04-04T14:30", "duration": "30", "room": neris.pk})
    assert response.status_code == 400
    assert (
        "Neris room is already taken by “Police and harm reduction: from raids to referrals” from Tue 4 April, 14:00 "
        "to 15:30." in response.content.decode()
    )


def test_plain_form_refuses_a_time_outside_the_conference(organiser, conference):
    session = demo_session(conference, "naloxone-in-every-pocket")
    response = organiser.post(place_url(session), {"start": "2017-04-07T10:00", "duration": "30", "room": ""})
    assert response.status_code == 400
    assert (
        "The session must take place during the conference, Tue 4 Apr to Thursday 6 April 2017."
        in response.content.decode()
    )


def move(client, **body):
    return client.post(reverse("programme_board_move"), json.dumps(body), content_type="application/json")


def test_move_endpoint_answers_bad_requests_with_json_errors(organiser, conference):
    session = demo_session(conference, "naloxone-in-every-pocket")
    assert organiser.post(reverse("programme_board_move"), "{", content_type="application/json").status_code == 400
    assert move(organiser, session="x").status_code == 400
    assert move(organiser, session=999999, start="2017-04-04T10:00", end="2017-04-04T11:00").status_code == 404
    bad_time = move(organiser, session=session.pk, start="tomorrow", end="2017-04-04T11:00")
    assert (bad_time.status_code, bad_time.json()["ok"]) == (400, False)
    no_room = move(organiser, session=session.pk, start="2017-04-04T16:00", end="2017-04-04T17:00", room=999999)
    assert no_room.json()["error"] == "There is no such room at this conference."


def test_move_endpoint_warns_about_a_speaker_booked_twice(organiser, conference):
    # Jan Kowalski runs "naloxone" and is also in "chemsex" on 5 April, 13:30–15:00 (Vilnius room).
    session = demo_session(conference, "naloxone-in-every-pocket")
    answer = move(
        organiser, session=session.pk, start="2017-04-05T13:30", end="2017-04-05T14:30", room=session.room_id
    ).json()
    assert answer["ok"] is True
    assert answer["warnings"] == [
        "Jan Kowalski (demo) is also in “Chemsex and harm reduction” at Wed 5 April, 13:30–15:00. "
        "Check that they can be in both."
    ]
    assert answer["previous"] == {"start": "2017-04-04T11:30", "end": "2017-04-04T13:00", "room": session.room_id}


def test_move_endpoint_refuses_someone_without_the_right(client, conference, django_user_model):
    user = django_user_model.objects.create_user(username="editor", email="editor@example.org", password="x" * 12)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    session = demo_session(conference, "naloxone-in-every-pocket")
    response = move(client, session=session.pk, start="2017-04-04T16:00", end="2017-04-04T17:00")
    assert response.status_code == 403


def test_session_list_has_day_time_and_room_and_filters_by_day(organiser, conference):
    day_two = f"{conference.pk}:2017-04-05"
    html = organiser.get("/admin/sessions/?locale=en&day=" + day_two).content.decode()
    assert "Wed 2017-04-05" in html
    assert "Tue 2017-04-04" not in html
    assert "13:30–15:00" in html
    assert "Vilnius room" in html
    assert organiser.get("/admin/sessions/?day=nonsense").status_code == 200


def test_refused_move_speaks_the_admins_language_and_date_format(organiser, conference, django_user_model):
    user = django_user_model.objects.get(pk=organiser.session["_auth_user_id"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    session = demo_session(conference, "naloxone-in-every-pocket")
    neris = Room.objects.get(conference=conference, slug="neris-room")
    body = {"session": session.pk, "start": "2017-04-04T14:30", "end": "2017-04-04T15:00", "room": neris.pk}
    response = organiser.post(reverse("programme_board_move"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "вт, 4 апреля, 14:00" in error and "2017-04-04" not in error
    board = organiser.get(reverse("programme_board") + "?day=2017-04-04").content.decode()
    assert (
        "вт, 4 апр."
        in json.loads(board.split('id="board-strings" type="application/json">')[1].split("</script>")[0])["days"][
            "2017-04-04"
        ]
    )
