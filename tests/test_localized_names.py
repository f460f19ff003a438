"""Names kept on plain models (rooms, tracks, registration types) read in Russian under /ru/, with the
English name where the organiser has not given a Russian one."""

from django.utils import translation

from conference.localized_fields import localized
from programme.models import Room, Track
from registration.models import RegistrationType
from registration.tests.registration_factories import make_user


def test_localized_falls_back_to_the_default_language_when_no_translation_is_given(conference):
    room = Room(conference=conference, name="Hall", name_ru="")
    assert localized(room, "name", "ru") == "Hall"
    room.name_ru = "Зал"
    assert localized(room, "name", "ru") == "Зал"
    assert localized(room, "name", "en") == "Hall"
    with translation.override("ru"):
        assert room.localized_name == "Зал"


def test_russian_programme_shows_russian_room_and_track_names(client, conference):
    russian = client.get("/ru/vilnius-2017/programme/").content.decode()
    english = client.get("/vilnius-2017/programme/").content.decode()
    assert "Зал «Вильнюс»" in russian and "Наркополитика и права человека" in russian
    assert "Vilnius room" not in russian
    assert "Vilnius room" in english and "Зал «Вильнюс»" not in english


def test_russian_session_page_shows_the_russian_room_name(client, conference):
    room = Room.objects.get(conference=conference, slug="vilnius-room")
    session = next(
        page for page in conference.get_descendants().live().specific() if getattr(page, "room_id", None) == room.pk
    )
    html = client.get("/ru" + session.url).content.decode()
    assert "Зал «Вильнюс»" in html


def test_russian_calendar_feed_names_the_room_in_russian(client, conference):
    russian = client.get("/ru/vilnius-2017/programme/schedule.ics").content.decode()
    english = client.get("/vilnius-2017/programme/schedule.ics").content.decode()
    assert "Зал «Вильнюс»" in russian
    assert "Зал «Вильнюс»" not in english


def test_renaming_a_room_in_russian_shows_on_the_next_request(client, conference):
    client.get("/ru/vilnius-2017/programme/")
    room = Room.objects.get(conference=conference, slug="trakai-room")
    room.name_ru = "Малый зал «Тракай»"
    room.save()
    assert "Малый зал «Тракай»" in client.get("/ru/vilnius-2017/programme/").content.decode()


def test_russian_registration_form_names_types_in_russian(client, conference):
    client.force_login(make_user())
    russian = client.get("/ru/vilnius-2017/register/").content.decode()
    english = client.get("/vilnius-2017/register/").content.decode()
    assert "Участник" in russian and "Все три дня" in russian
    assert "Participant" in english and "Участник" not in english


def test_type_without_russian_name_shows_its_english_name_in_russian(client, conference):
    RegistrationType.objects.filter(conference=conference, slug="press").update(name_ru="", description_ru="")
    client.force_login(make_user())
    html = client.get("/ru/vilnius-2017/register/").content.decode()
    assert "Press" in html


def test_tracks_have_russian_names_in_the_demo(conference):
    assert set(Track.objects.filter(conference=conference).values_list("name_ru", flat=True)) >= {
        "ВИЧ, ВГС и ОЗТ",
        "Наркополитика и права человека",
    }
