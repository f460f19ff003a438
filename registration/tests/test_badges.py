"""Badge tokens, QR images and badge PDFs, decoded with zxing-cpp from real PNGs and rasterised PDFs."""

import io
import string
import subprocess

import pytest
import zxingcpp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import translation
from PIL import Image
from reportlab.pdfbase import pdfmetrics

from registration import badge_pdf, badge_tokens
from registration.models import BadgeSigningKey

from .checkin_factories import make_registration


def decode_qr_texts(image):
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def rasterise(pdf_bytes, tmp_path, dpi=150):
    pdf_path = tmp_path / "badge.pdf"
    pdf_path.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf_path), str(tmp_path / "page")], check=True)
    return [Image.open(path) for path in sorted(tmp_path.glob("page*.png"))]


def test_token_is_short_printable_ascii_without_personal_data(conference):
    registration = make_registration(conference, badge_name="Ona Petraitė", full_name="Ona Petraitė")
    token = badge_tokens.issue_badge_token(registration)
    assert len(token) == badge_tokens.TOKEN_LENGTH <= 200
    assert set(token) <= set(string.ascii_uppercase + "234567")
    assert "ONA" not in token and "PETRAIT" not in token


def test_token_is_the_same_each_time_it_is_issued(conference):
    registration = make_registration(conference)
    assert badge_tokens.issue_badge_token(registration) == badge_tokens.issue_badge_token(registration)


def test_token_verifies_to_its_conference_and_registration(conference):
    registration = make_registration(conference)
    token = badge_tokens.verify_badge_token(badge_tokens.issue_badge_token(registration))
    assert (token.version, token.conference_id, token.registration_id) == (1, conference.pk, registration.pk)


def test_changing_any_single_character_makes_the_token_invalid(conference):
    code = badge_tokens.issue_badge_token(make_registration(conference))
    alphabet = string.ascii_uppercase + "234567" + "a0=-"
    for position in range(len(code)):
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            altered = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(badge_tokens.InvalidToken):
                badge_tokens.verify_badge_token(altered)


@pytest.mark.parametrize(
    "code",
    ["", "A", "A" * 116, "A" * 118, "A" * 10_000_000, "\x00\xff" * 60, "é" * 117, "A" * 117],
    ids=["empty", "one", "truncated", "one-more", "10MB", "binary", "non-ascii", "unsigned"],
)
def test_garbage_codes_are_invalid(conference, code):
    badge_tokens.issue_badge_token(make_registration(conference))  # the conference has a key
    with pytest.raises(badge_tokens.InvalidToken):
        badge_tokens.verify_badge_token(code)


def test_token_signed_by_another_key_is_invalid(conference):
    registration = make_registration(conference)
    code = badge_tokens.issue_badge_token(registration)
    _, payload, _ = badge_tokens.parse_badge_token(code)
    forged = badge_tokens._encode(payload + Ed25519PrivateKey.generate().sign(badge_tokens.SIGNATURE_CONTEXT + payload))
    with pytest.raises(badge_tokens.InvalidToken):
        badge_tokens.verify_badge_token(forged)


def test_private_key_is_stored_encrypted(conference):
    badge_tokens.issue_badge_token(make_registration(conference))
    key = BadgeSigningKey.objects.get(conference=conference)
    private = badge_tokens._private_key(conference.pk, bytes(key.encrypted_private_key))
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw not in bytes(key.encrypted_private_key)
    assert len(BadgeSigningKey.objects.filter(conference=conference)) == 1


def test_qr_png_decodes_to_the_token(conference):
    registration = make_registration(conference)
    image = Image.open(io.BytesIO(badge_pdf.render_qr_png(registration)))
    assert decode_qr_texts(image) == [badge_tokens.issue_badge_token(registration)]


def pdf_info(pdf_bytes, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf_bytes)
    output = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def page_size_mm(info):
    width, _, height = info["Page size"].split()[:3]
    return round(float(width) / 72 * 25.4, 1), round(float(height) / 72 * 25.4, 1)


def pdf_text(pdf_bytes, tmp_path):
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_badge_pdf_is_one_a6_portrait_page(conference, tmp_path):
    info = pdf_info(badge_pdf.render_badge_pdf(make_registration(conference)), tmp_path)
    assert info["Pages"].strip() == "1"
    assert page_size_mm(info) == (105.0, 148.0)


def test_badge_pdf_shows_name_organisation_type_conference_and_dates(conference, tmp_path):
    registration = make_registration(conference, badge_name="Ona Petraitė", organisation="Demetra")
    # The conference name may wrap onto a second line in the band: compare with line breaks as spaces.
    text = " ".join(pdf_text(badge_pdf.render_badge_pdf(registration), tmp_path).split())
    for expected in ["Ona Petraitė", "Demetra", "PARTICIPANT", conference.title, "4–6 April 2017"]:
        assert expected in text


def test_badge_pdf_prints_cyrillic_badge_names(conference, tmp_path):
    registration = make_registration(conference, badge_name="Анна Иванова", organisation="ЕАСВ")
    text = pdf_text(badge_pdf.render_badge_pdf(registration), tmp_path)
    assert "Анна Иванова" in text and "ЕАСВ" in text


def test_badge_pdf_qr_decodes_at_150_dpi(conference, tmp_path):
    registration = make_registration(conference)
    pages = rasterise(badge_pdf.render_badge_pdf(registration), tmp_path)
    assert [decode_qr_texts(page) for page in pages] == [[badge_tokens.issue_badge_token(registration)]]


def test_badge_sheets_put_four_badges_on_each_a4_page(conference, tmp_path):
    registrations = [make_registration(conference) for _ in range(5)]
    pdf = badge_pdf.render_badge_sheets_pdf(registrations, conference=conference)
    info = pdf_info(pdf, tmp_path)
    assert info["Pages"].strip() == "2"
    assert page_size_mm(info) == (210.0, 297.0)
    pages = rasterise(pdf, tmp_path)
    tokens = [badge_tokens.issue_badge_token(registration) for registration in registrations]
    assert sorted(decode_qr_texts(pages[0])) == sorted(tokens[:4])
    assert decode_qr_texts(pages[1]) == tokens[4:]


def test_badge_pdf_is_in_the_attendees_language_whatever_the_request_language(conference, tmp_path):
    registration = make_registration(conference, language="ru", badge_name="Ольга", organisation="ЕАСВ")
    with translation.override("en"):
        text = " ".join(pdf_text(badge_pdf.render_badge_pdf(registration), tmp_path).split())
    for expected in ["Снижение вреда в новых условиях", "4–6 апреля 2017", "Вильнюс", "УЧАСТНИК", "Ольга"]:
        assert expected in text
    for english in ["Harm Reduction", "April", "Vilnius", "PARTICIPANT"]:
        assert english not in text
    english_attendee = make_registration(conference, language="en")
    with translation.override("ru"):
        text = " ".join(pdf_text(badge_pdf.render_badge_pdf(english_attendee), tmp_path).split())
    assert "4–6 April 2017" in text and "PARTICIPANT" in text and "Vilnius" in text


def test_badge_preview_on_my_page_is_in_the_attendees_language(client, conference):
    registration = make_registration(conference, language="ru")
    client.force_login(registration.user)
    html = client.get("/ru/my/").content.decode()
    preview = html[html.index('<figure class="badge-preview"') : html.index("</figure>")]
    assert 'lang="ru"' in preview and "Снижение вреда в новых условиях" in preview and "Участник" in preview


def test_badge_sheets_have_cut_marks_on_the_cutting_lines(conference, tmp_path):
    registrations = [make_registration(conference) for _ in range(4)]
    (page,) = rasterise(badge_pdf.render_badge_sheets_pdf(registrations, conference=conference), tmp_path)
    grey = page.convert("L")
    width, height = grey.size
    middle_x, middle_y = width // 2, height // 2
    top_tick = [grey.getpixel((x, y)) for x in range(middle_x - 2, middle_x + 3) for y in range(0, 20)]
    # Below the middle the lower badges start white; the centre cross reaches 3 mm into it.
    centre_cross = [
        grey.getpixel((x, y)) for x in range(middle_x - 2, middle_x + 3) for y in range(middle_y + 4, middle_y + 14)
    ]
    blank_margin = [grey.getpixel((x, y)) for x in range(middle_x - 60, middle_x - 40) for y in range(0, 20)]
    assert min(top_tick) < 160 and min(centre_cross) < 160
    assert min(blank_margin) > 240


def test_badge_font_ships_with_the_app_so_a_fresh_machine_prints_cyrillic():
    regular, bold = badge_pdf._fonts()
    assert pdfmetrics.getFont(regular).face.filename == str(badge_pdf.FONTS_DIR / "DejaVuSans.ttf")
    assert pdfmetrics.getFont(bold).face.filename == str(badge_pdf.FONTS_DIR / "DejaVuSans-Bold.ttf")


def _colour_near(pixel, hex_colour, tolerance=12):
    wanted = tuple(int(hex_colour[index : index + 2], 16) for index in (1, 3, 5))
    return all(abs(have - want) <= tolerance for have, want in zip(pixel[:3], wanted, strict=True))


def test_badge_wears_the_identity_band_and_mark_and_leaves_its_edges_blank(conference, tmp_path):
    (page,) = rasterise(badge_pdf.render_badge_pdf(make_registration(conference)), tmp_path, dpi=100)
    page = page.convert("RGB")
    width, height = page.size
    dots = 100 / 25.4  # pixels per millimetre
    # The deep teal band near the top right, and the coral segments of the mark at its left.
    assert _colour_near(page.getpixel((int(95 * dots), int(8 * dots))), badge_pdf.DEEP_TEAL)
    mark = [
        page.getpixel((x, y))
        for x in range(int(9 * dots), int(26 * dots))
        for y in range(int(6 * dots), int(34 * dots))
    ]
    assert any(_colour_near(pixel, badge_pdf.CORAL) for pixel in mark)
    assert any(_colour_near(pixel, "#ffffff") for pixel in mark)
    # Nothing printed within 4 mm of any edge (printers' margins; badges touch on the A4 sheets).
    edge = int(4 * dots)
    border = [
        page.getpixel((x, y))
        for x in range(width)
        for y in range(height)
        if x < edge or y < edge or x >= width - edge or y >= height - edge
    ]
    assert min(min(pixel) for pixel in border) > 245
