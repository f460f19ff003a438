"""The registrations export as organisers open it in Excel and LibreOffice: a byte-order mark and quoted text in
the CSV, one column per question, country names and headers in the admin's language, and no attendee's text
that breaks the file."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from conference.spreadsheets import cell_text
from registration.models import RegistrationQuestion
from registration.questions import save_answers

from .registration_factories import make_type, make_user, register
from .spreadsheets import UTF8_CSV, body, csv_rows, libreoffice_convert, xlsx_rows

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/snippets/registration/registration/"
# Characters XML 1.0 cannot hold that a database stores: C0 controls (tab, newline and CR are allowed), U+FFFE, U+FFFF.
NOT_IN_XML = "\x01\x08\x0b\x1f\ufffe\uffff"


def export(client, export_format, **params):
    response = client.get(REGISTRATIONS, {"export": export_format, **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def scholarship(conference):
    """A type with two questions, and one of the same wording as another type's."""
    chosen = make_type(conference, slug="export-scholarship", name="Export scholarship", capacity=5)
    other = make_type(conference, slug="export-press", name="Export press", capacity=5)
    for registration_type in (chosen, other):
        RegistrationQuestion.objects.create(
            registration_type=registration_type,
            text="Where did you hear of us?",
            text_ru="Откуда вы о нас узнали?",
            sort_order=1,
        )
    RegistrationQuestion.objects.create(
        registration_type=chosen,
        text="Why do you need a scholarship?",
        text_ru="Зачем вам стипендия?",
        kind=RegistrationQuestion.LONG_TEXT,
        sort_order=0,
    )
    return chosen, other


def answer(registration, **by_text):
    questions = {question.text: question for question in registration.registration_type.questions.all()}
    save_answers(registration=registration, answers={questions[text]: value for text, value in by_text.items()})


def test_xlsx_export_drops_characters_xml_cannot_hold(client, organiser, conference):
    register(make_user("odd@example.org"), conference, make_type(conference), badge_name=f"An{NOT_IN_XML}na\tB")
    rows = xlsx_rows(body(export(client, "xlsx", q="odd@example")))
    assert dict(zip(rows[0], rows[1], strict=True))["Name on badge"] == "Anna\tB"


def test_csv_export_drops_characters_xml_cannot_hold(client, organiser, conference):
    register(make_user("odd@example.org"), conference, make_type(conference), badge_name=f"An{NOT_IN_XML}na")
    header, row = csv_rows(export(client, "csv", q="odd@example"))
    assert dict(zip(header, row, strict=True))["Name on badge"] == "Anna"


def in_xml(code_point):
    """XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets), written out independently of our rule."""
    return code_point in (0x9, 0xA, 0xD) or any(
        low <= code_point <= high for low, high in ((0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))
    )


def test_cells_keep_exactly_the_characters_xml_holds():
    # Every code point, lone surrogates included (no database stores one, but a value built in Python can).
    everything = "".join(map(chr, range(0x110000)))
    assert cell_text(everything) == "".join(char for char in everything if in_xml(ord(char)))
    assert cell_text(42) == 42


def test_csv_export_starts_with_a_byte_order_mark(client, organiser, conference):
    register(make_user("bom@example.org"), conference, make_type(conference), badge_name="Ёлка")
    response = export(client, "csv", q="bom@example")
    data = body(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert data.startswith(b'\xef\xbb\xbf"ID",')
    assert "Ёлка" in data.decode("utf-8-sig")


def test_csv_export_quotes_every_text_cell(client, organiser, conference):
    registration = register(
        make_user("quotes@example.org"), conference, make_type(conference), organisation='Semi; colon, "quoted"'
    )
    text = body(export(client, "csv", q="quotes@example")).decode("utf-8-sig")
    line = text.splitlines()[1]
    assert line.startswith(f'{registration.pk},"{conference.title}",')
    assert '"Semi; colon, ""quoted"""' in line
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert dict(zip(header, row, strict=True))["Organisation"] == 'Semi; colon, "quoted"'


def test_exports_have_one_column_per_question(client, organiser, conference, scholarship):
    chosen, other = scholarship
    asking = register(make_user("asks@example.org"), conference, chosen)
    answer(asking, **{"Why do you need a scholarship?": "No funding", "Where did you hear of us?": "A friend"})
    press = register(make_user("press@example.org"), conference, other)
    answer(press, **{"Where did you hear of us?": "The radio"})
    for rows in (
        csv_rows(export(client, "csv", q="@example.org", conference=conference.pk)),
        xlsx_rows(body(export(client, "xlsx", q="@example.org", conference=conference.pk))),
    ):
        header, *lines = rows
        assert header[-2:] == ["Why do you need a scholarship?", "Where did you hear of us?"]
        by_email = {line[header.index("Email")]: line[-2:] for line in lines}
        assert by_email["asks@example.org"] == ["No funding", "A friend"]
        assert by_email["press@example.org"][1] == "The radio"
        assert by_email["press@example.org"][0] in ("", None)


def test_exports_speak_the_admins_language(client, organiser, conference, scholarship):
    chosen, _other = scholarship
    registration = register(make_user("ru@example.org"), conference, chosen, country="KZ")
    answer(registration, **{"Why do you need a scholarship?": "Нет денег"})
    profile = UserProfile.get_for_user(organiser)
    profile.preferred_language = "ru"
    profile.save()
    # The CSV is streamed: written after the view returned, so it must keep the admin's language itself.
    for header, row in (
        xlsx_rows(body(export(client, "xlsx", q="ru@example"))),
        csv_rows(export(client, "csv", q="ru@example")),
    ):
        values = dict(zip(header, row, strict=True))
        assert values["Страна"] == "Казахстан"
        assert values["Статус"] == "Подтверждена"
        assert values["Зачем вам стипендия?"] == "Нет денег"
        assert "Английский" in values.values()  # the language of the attendee's emails


def test_exports_take_the_same_queries_for_few_registrations_or_many(client, organiser, conference, scholarship):
    chosen, other = scholarship

    def queries(export_format):
        with CaptureQueriesContext(connection) as captured:
            body(export(client, export_format, conference=conference.pk))
        return len(captured)

    def add(count):
        for _ in range(count):
            answer(register(make_user(), conference, chosen), **{"Where did you hear of us?": "A friend"})
            answer(register(make_user(), conference, other), **{"Where did you hear of us?": "The radio"})

    add(1)
    few = {export_format: queries(export_format) for export_format in ("csv", "xlsx")}
    add(20)
    assert {export_format: queries(export_format) for export_format in ("csv", "xlsx")} == few


def test_exports_name_countries_and_languages(client, organiser, conference):
    register(make_user("kz@example.org"), conference, make_type(conference), country="KZ")
    header, row = csv_rows(export(client, "csv", q="kz@example"))
    values = dict(zip(header, row, strict=True))
    assert (values["Country"], values["Language"]) == ("Kazakhstan", "English")


@pytest.mark.consumers
def test_exports_open_in_libreoffice_with_cyrillic(client, organiser, conference, tmp_path):
    register(
        make_user("lo@example.org"),
        conference,
        make_type(conference, name="Стипендия"),
        full_name="Ёлка Щукина",
        organisation="Сеть; снижения, вреда",
        country="UA",
    )
    csv_file = tmp_path / "registrations.csv"
    csv_file.write_bytes(body(export(client, "csv", q="lo@example")))
    xlsx_file = tmp_path / "registrations.xlsx"
    xlsx_file.write_bytes(body(export(client, "xlsx", q="lo@example")))

    from_csv = xlsx_rows(libreoffice_convert(csv_file, to="xlsx", folder=tmp_path, infilter=UTF8_CSV).read_bytes())
    from_xlsx = libreoffice_convert(xlsx_file, to=f"csv:Text - txt - csv (StarCalc):{UTF8_CSV[4:]}", folder=tmp_path)
    for header, row in (from_csv, csv_rows_of(from_xlsx)):
        assert header[0] == "ID"  # the byte-order mark is read as one, not as a character of the first cell
        values = dict(zip(header, row, strict=True))
        assert values["Full name"] == "Ёлка Щукина"
        assert values["Organisation"] == "Сеть; снижения, вреда"
        assert values["Registration type"] == "Стипендия"
        assert values["Country"] == "Ukraine"


def csv_rows_of(path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_type_export_is_written_like_the_registrations(client, organiser, conference):
    make_type(conference, name="Тип; с точкой с запятой")
    response = client.get("/admin/snippets/registration/registrationtype/", {"export": "csv"})
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")
    assert '"Тип; с точкой с запятой"' in data.decode("utf-8-sig")
