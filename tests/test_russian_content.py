"""The Russian site reads natively: every demo session title in Cyrillic, speaker names in Cyrillic, rooms, venue
and access notes in Russian, and dates written the Russian way ("среда, 5 апреля", "5 апр."), not Django's
nominative, capitalised names."""

import re
from datetime import date, datetime

import pytest
from django.utils import dateformat, translation

from conference.templatetags.local_dates import format_local_date
from demo import translations as demo_translations
from programme.models import SessionPage

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# A day number followed by a nominative month or a capitalised month abbreviation ("5 апрель", "5 Апр").
NOMINATIVE_MONTH = re.compile(
    r"\b\d{1,2}\s+(январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
    r"Янв|Фев|Мар|Апр|Май|Июн|Июл|Авг|Сен|Окт|Ноя|Дек)\b"
)
# A capitalised weekday after a lower-case word, comma or colon: mid-sentence.
MID_SENTENCE_WEEKDAY = re.compile(
    r"[а-яa-z,:][ \t]+(Понедельник|Вторник|Среда|Среду|Четверг|Пятница|Пятницу|Суббота|Субботу|Воскресенье|"
    r"Пн|Вт|Ср|Чт|Пт|Сб|Вс)\b"
)


def visible_text(html):
    """The page's text, one line per run of text between block elements (a heading starts its own sentence)."""
    body = html[html.index("<body") :]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    blocks = (
        r"</?(p|h[1-6]|li|dt|dd|div|section|header|footer|nav|main|option|td|th|caption|label|ul|ol|table|tr)\b[^>]*>"
    )
    body = re.sub(blocks, "\n", body)
    text = re.sub(r"<[^>]+>", "", body)
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip())


def session_titles(html):
    return re.findall(r'<h[34] class="session-item__title"[^>]*>\s*<a [^>]*>(.*?)</a>', html, re.S)


def assert_russian_dates(text):
    assert not NOMINATIVE_MONTH.search(text), NOMINATIVE_MONTH.search(text).group(0)
    assert not MID_SENTENCE_WEEKDAY.search(text), MID_SENTENCE_WEEKDAY.search(text).group(0)


def test_every_session_title_on_the_russian_programme_is_cyrillic(client, conference):
    html = client.get("/ru/vilnius-2017/programme/").content.decode()
    titles = session_titles(html)
    assert len(titles) >= 30
    english = [title for title in titles if not CYRILLIC.search(title)]
    assert english == []


def test_russian_programme_fails_on_an_english_title(client, conference):
    """The check above can fail: a Russian session given back an English title is caught."""
    russian = SessionPage.objects.get(slug="lunch-day-1", locale__language_code="ru")
    russian.title = "Lunch"
    russian.save_revision().publish()
    titles = session_titles(client.get("/ru/vilnius-2017/programme/").content.decode())
    assert [title for title in titles if not CYRILLIC.search(title)] == ["Lunch"]


def test_every_demo_session_and_speaker_has_a_russian_version(conference):
    english = SessionPage.objects.filter(locale__language_code="en").values_list("slug", flat=True)
    assert set(english) <= set(demo_translations.SESSIONS)
    for name, *_rest in demo_translations.SPEAKERS.values():
        assert CYRILLIC.search(name) and not re.search(r"[A-Za-z]", name), name


def test_russian_speaker_list_names_are_cyrillic(client, conference):
    html = client.get("/ru/vilnius-2017/speakers/").content.decode()
    names = re.findall(r'<h2 class="speaker-card__name"><a [^>]*>(.*?)</a>', html)
    assert len(names) >= 20
    assert [name for name in names if not CYRILLIC.search(name)] == []
    assert "Лаура Вайткуте (демо)" in names


def test_russian_session_page_has_russian_room_venue_and_access_notes(client, conference):
    html = client.get("/ru/vilnius-2017/programme/opening/").content.decode()
    assert "Пленарный зал «Литва»" in html
    assert "Отель Radisson Blu Hotel Lietuva" in html
    assert "Первый этаж, без ступенек; индукционная петля; кабины синхронного перевода." in html
    assert "Ground floor" not in html


def test_russian_conference_page_has_russian_venue_access(client, conference):
    html = client.get("/ru/vilnius-2017/").content.decode()
    assert "проспект Конституцийос, 20" in html
    assert "Вход без ступенек с проспекта Конституцийос" in html
    assert "Step-free entrance" not in html


@pytest.mark.parametrize(
    "style, value, english, russian",
    [
        ("day", date(2017, 4, 5), "Wednesday 5 April", "среда, 5 апреля"),
        ("day_year", date(2017, 4, 4), "Tuesday 4 April 2017", "вторник, 4 апреля 2017"),
        ("day_short", date(2017, 4, 4), "Tue 4 Apr", "вт, 4 апр."),
        ("date_short", date(2017, 4, 5), "5 Apr", "5 апр."),
        ("date_short", date(2017, 5, 5), "5 May", "5 мая"),
        ("moment", datetime(2017, 4, 5, 9, 5), "Wednesday 5 April, 09:05", "5 апреля, 09:05"),
    ],
)
def test_local_date_styles(style, value, english, russian):
    assert format_local_date(value, style, "en") == english
    assert format_local_date(value, style, "ru") == russian


def test_russian_programme_day_headings_and_menus(client, conference):
    html = client.get("/ru/vilnius-2017/programme/").content.decode()
    assert "Среда, 5 апреля 2017" in html
    assert "Среда, 5 апреля<" in html
    assert_russian_dates(visible_text(html))


def test_english_programme_day_headings_unchanged(client, conference):
    html = client.get("/vilnius-2017/programme/").content.decode()
    assert "Wednesday 5 April 2017" in html


def test_russian_speaker_page_short_dates(client, conference):
    html = client.get("/ru/vilnius-2017/speakers/aliya-demo-nurlanova/").content.decode()
    assert re.search(r">(пн|вт|ср|чт|пт), [456] апр\.</time>", html)
    assert_russian_dates(visible_text(html))


def test_russian_now_and_next_reads_as_of_a_date(client, conference):
    html = client.get("/ru/vilnius-2017/programme/now/?at=2017-04-05T10:00").content.decode()
    assert "По состоянию на 5 апреля, 10:00" in html
    assert_russian_dates(visible_text(html))


def test_russian_session_page_date(client, conference):
    html = client.get("/ru/vilnius-2017/programme/opening/").content.decode()
    assert "Вторник, 4 апреля 2017, 09:00" in html
    assert_russian_dates(visible_text(html))


def test_the_date_checks_catch_django_default_russian_forms():
    """Django's own formats give the forms the issue reported; the checks above must reject them."""
    with translation.override("ru"):
        long_day = dateformat.format(date(2017, 4, 5), "l j E")
        short_day = dateformat.format(date(2017, 4, 4), "D j M")
    with pytest.raises(AssertionError):
        assert_russian_dates(f"По состоянию на {long_day}")
    wrong = f"сессия: {short_day}"
    with pytest.raises(AssertionError):
        assert_russian_dates(wrong)
