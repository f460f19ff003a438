"""Badge images: the QR (PNG) and the A6 badge and A4 print sheets (PDF); each registration's badge is stored
once per change of what it shows, in a private folder (settings.BADGE_STORE_DIR), never under a public URL."""

import hashlib
import io
import json
import secrets
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
import reportlab
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from .badge_tokens import get_or_create_signing_key, issue_badge_token

# --- QR image -------------------------------------------------------------------------------------------


def _qr_matrix(text):
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix()


def render_qr_png(registration, *, box_size=8):
    """The badge QR as a PNG (black on white, with the standard four-module quiet zone)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(issue_badge_token(registration))
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_CANDIDATES = [
    # DejaVu covers Latin and Cyrillic; reportlab's own Vera covers Latin only. A copy ships with the app
    # (registration/fonts/) so that a fresh machine prints Russian names without any system package.
    (str(FONTS_DIR / "DejaVuSans.ttf"), str(FONTS_DIR / "DejaVuSans-Bold.ttf")),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


@lru_cache(maxsize=1)
def _fonts():
    """(regular, bold) font names registered with reportlab."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("BadgeSans", regular))
            pdfmetrics.registerFont(TTFont("BadgeSans-Bold", bold))
            return "BadgeSans", "BadgeSans-Bold"
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("BadgeSans", str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("BadgeSans-Bold", str(folder / "VeraBd.ttf")))
    return "BadgeSans", "BadgeSans-Bold"


BADGE_WIDTH, BADGE_HEIGHT = A6  # 105 × 148 mm, portrait
# Nothing is printed within CARD_INSET of the edge: office printers cannot print there, and four badges share an
# A4 sheet edge to edge, so bands to the edge would bleed into the neighbour at the slightest cutting error.
CARD_INSET = 5 * mm
CARD_RADIUS = 3 * mm
TOP_BAND_HEIGHT = 30 * mm
TYPE_BAND_HEIGHT = 16 * mm
CORAL_RULE = 1.4 * mm
# The identity's colours (docs/identity.md; custom properties at the top of static/css/site.css).
INK = "#14212b"
MUTED = "#4b5a66"
DEEP_TEAL = "#0a3540"
CORAL = "#f0643a"
LIGHT_TEAL = "#c9e3e8"


def _fit_font_size(text, font, largest, smallest, width):
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _shorten(text, font, size, width):
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _text_on(colour_hex):
    """Black or white, whichever reads better on the band colour."""
    colour = HexColor(colour_hex)
    luminance = 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
    return black if luminance > 0.55 else white


def _conference_dates(conference):
    start, end = conference.start_date, conference.end_date
    if start == end:
        return formats.date_format(start, "j E Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{formats.date_format(end, 'j E Y')}"
    return f"{formats.date_format(start, 'j E')} – {formats.date_format(end, 'j E Y')}"


def _safe_colour(value):
    try:
        HexColor(value)
        return value if isinstance(value, str) and value.startswith("#") and len(value) == 7 else "#1f5f8b"
    except (ValueError, TypeError):
        return "#1f5f8b"


def _dark_rectangles(matrix):
    """The dark modules as few rectangles (column, row, width, height): runs along each row, merged with the
    same run in the rows below. Fewer rectangles make the many-badge PDF much faster to write."""
    runs_by_row = []
    for row in matrix:
        runs, column, size = [], 0, len(row)
        while column < size:
            if row[column]:
                start = column
                while column < size and row[column]:
                    column += 1
                runs.append((start, column - start))
            else:
                column += 1
        runs_by_row.append(runs)
    taken = [set() for _ in runs_by_row]
    rectangles = []
    for row_index, runs in enumerate(runs_by_row):
        for run in runs:
            if run in taken[row_index]:
                continue
            height = 1
            while row_index + height < len(runs_by_row) and run in runs_by_row[row_index + height]:
                taken[row_index + height].add(run)
                height += 1
            rectangles.append((run[0], row_index, run[1], height))
    return rectangles


def _draw_mark(pdf, *, centre_x, centre_y, size):
    """The lifebuoy mark of static/img/mark.svg (white ring, four coral segments at 3, 6, 9 and 12 o'clock), as
    vector arcs: in its 32-unit box the ring has radius 11 and width 7, and each segment spans 45 degrees."""
    radius, width = size * 11 / 32, size * 7 / 32
    box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
    pdf.saveState()
    pdf.setLineWidth(width)
    pdf.setLineCap(0)  # butt ends, like SVG's default: the segments meet the white ring squarely
    pdf.setStrokeColor(white)
    pdf.circle(centre_x, centre_y, radius, stroke=1, fill=0)
    pdf.setStrokeColor(HexColor(CORAL))
    for centre_angle in (0, 90, 180, 270):
        pdf.arc(*box, startAng=centre_angle - 22.5, extent=45)
    pdf.restoreState()


def _draw_top_band(pdf, *, conference_title, conference_dates, place):
    """The identity's band (deep teal, coral rule beneath, as in the site header and the emails): the mark, the
    conference name on up to two lines and the dates and place."""
    regular, bold = _fonts()
    left, top = CARD_INSET, BADGE_HEIGHT - CARD_INSET
    width = BADGE_WIDTH - 2 * CARD_INSET
    bottom = top - TOP_BAND_HEIGHT
    outline = pdf.beginPath()
    outline.roundRect(left, bottom, width, TOP_BAND_HEIGHT, CARD_RADIUS)
    pdf.saveState()
    pdf.clipPath(outline, stroke=0, fill=0)
    pdf.setFillColor(HexColor(DEEP_TEAL))
    pdf.rect(left, bottom, width, TOP_BAND_HEIGHT, stroke=0, fill=1)
    pdf.setFillColor(HexColor(CORAL))
    pdf.rect(left, bottom, width, CORAL_RULE, stroke=0, fill=1)
    pdf.restoreState()

    padding = 4.5 * mm
    mark_size = 15 * mm
    middle = bottom + CORAL_RULE + (TOP_BAND_HEIGHT - CORAL_RULE) / 2
    _draw_mark(pdf, centre_x=left + padding + mark_size / 2, centre_y=middle, size=mark_size)

    text_x = left + padding + mark_size + 4 * mm
    text_width = left + width - padding - text_x
    title_size = 12
    lines = simpleSplit(conference_title, bold, title_size, text_width)
    while len(lines) > 2 and title_size > 8:
        title_size -= 1
        lines = simpleSplit(conference_title, bold, title_size, text_width)
    if len(lines) > 2:
        lines = [lines[0], _shorten(" ".join(lines[1:]), bold, title_size, text_width)]
    title_leading, dates_size, gap = title_size * 1.2, 9, 5
    # The text block (title lines, a gap, the dates line) is centred beside the mark; baselines from its top.
    block = (len(lines) - 1) * title_leading + title_size + gap + dates_size
    baseline = middle + block / 2 - title_size
    pdf.setFillColor(white)
    pdf.setFont(bold, title_size)
    for index, line in enumerate(lines):
        pdf.drawString(text_x, baseline - index * title_leading, line)
    baseline -= (len(lines) - 1) * title_leading + gap + dates_size
    pdf.setFillColor(HexColor(LIGHT_TEAL))
    pdf.setFont(regular, dates_size)
    dates_line = f"{conference_dates} · {place}".strip(" ·")
    pdf.drawString(text_x, baseline, _shorten(dates_line, regular, dates_size, text_width))


def _draw_badge(pdf, registration, token, *, conference_title, conference_dates, place):
    """One A6 badge with its lower-left corner at the current origin."""
    regular, bold = _fonts()
    inner = BADGE_WIDTH - 2 * (CARD_INSET + 3 * mm)
    registration_type = registration.registration_type

    _draw_top_band(pdf, conference_title=conference_title, conference_dates=conference_dates, place=place)

    # Badge name, as large as fits, in ink; the organisation under it, muted.
    name = registration.badge_name or registration.full_name
    name_size = _fit_font_size(name, bold, 30, 12, inner)
    name = _shorten(name, bold, name_size, inner)
    name_baseline = BADGE_HEIGHT - 53 * mm
    pdf.setFillColor(HexColor(INK))
    pdf.setFont(bold, name_size)
    pdf.drawCentredString(BADGE_WIDTH / 2, name_baseline, name)
    if registration.organisation:
        org_size = _fit_font_size(registration.organisation, regular, 13, 8, inner)
        pdf.setFillColor(HexColor(MUTED))
        pdf.setFont(regular, org_size)
        pdf.drawCentredString(
            BADGE_WIDTH / 2, name_baseline - 8 * mm, _shorten(registration.organisation, regular, org_size, inner)
        )

    # The QR, drawn as vector squares from the same matrix qrcode would print (crisp at any DPI), pure black on
    # white with more than four modules of white around it (the quiet zone scanners need).
    matrix = _qr_matrix(token)
    modules = len(matrix)
    qr_size = 44 * mm
    module = qr_size / modules
    qr_x = (BADGE_WIDTH - qr_size) / 2
    qr_y = CARD_INSET + TYPE_BAND_HEIGHT + 7 * mm
    path = pdf.beginPath()
    for column, row, width, height in _dark_rectangles(matrix):
        path.rect(qr_x + column * module, qr_y + qr_size - (row + height) * module, width * module, height * module)
    pdf.setFillColor(black)
    pdf.drawPath(path, stroke=0, fill=1)

    # The registration type as a band in the type's own colour (seen from across the room), inset like the top
    # band so that a cut a millimetre off leaves neither a white sliver nor the next badge's colour.
    colour = _safe_colour(registration_type.badge_colour)
    pdf.setFillColor(HexColor(colour))
    pdf.roundRect(CARD_INSET, CARD_INSET, BADGE_WIDTH - 2 * CARD_INSET, TYPE_BAND_HEIGHT, CARD_RADIUS, stroke=0, fill=1)
    pdf.setFillColor(_text_on(colour))
    type_size = _fit_font_size(registration_type.localized_name.upper(), bold, 18, 9, inner)
    pdf.setFont(bold, type_size)
    pdf.drawCentredString(
        BADGE_WIDTH / 2,
        CARD_INSET + (TYPE_BAND_HEIGHT - type_size * 0.7) / 2,
        _shorten(registration_type.localized_name.upper(), bold, type_size, inner),
    )
    pdf.setFillColor(black)


def _conference_texts(conference):
    """The conference's texts on a badge in the active language: its translation's title (the canonical page's
    when it has none), dates and city."""
    conference = conference.canonical
    return {
        "conference_title": conference.localized.title,
        "conference_dates": _conference_dates(conference),
        "place": conference.localized_city,
    }


def badge_language(registration):
    """The language of the attendee's own badge: the registration's language (its emails' too), if the site has it."""
    return registration.language if registration.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Part of every stored badge's name: a new drawing code (this file) makes every badge render afresh.
_LAYOUT = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def render_badge_pdf(registration):
    """The registration's badge: one A6 portrait page (CONTRACT.md, "Badges"). Returns the PDF bytes, rendered
    once for what the badge shows (names, type, conference, QR) and read back from the store after that: the
    confirmation, the reminders and every download share one rendering (issue 25: half a confirmation's cost)."""
    # The attendee's own badge speaks the attendee's language (a Russian speaker's reads «Снижение вреда…»); the print
    # shop's sheets stay in the conference's default language.
    language = badge_language(registration)
    with translation.override(language):
        token = issue_badge_token(registration)
        texts = _conference_texts(registration.conference)
        registration_type = registration.registration_type
        shown = [_LAYOUT, language, token, registration.badge_name, registration.full_name, registration.organisation]
        shown += [registration_type.name, registration_type.badge_colour, texts]
        fingerprint = hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()[:32]
        folder = Path(settings.BADGE_STORE_DIR)
        path = folder / f"{registration.pk}-{fingerprint}.pdf"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        buffer = io.BytesIO()
        pdf = pdf_canvas.Canvas(buffer, pagesize=A6, pageCompression=1)
        pdf.setTitle(_("%(conference)s badge") % {"conference": texts["conference_title"]})
        pdf.setCreator("Harm reduction conference site")
        _draw_badge(pdf, registration, token, **texts)
        pdf.showPage()
        pdf.save()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{secrets.token_hex(4)}"  # two workers rendering at once never mix halves
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)
    forget_stored_badges([registration.pk], keep=path)
    return buffer.getvalue()


def forget_stored_badges(registration_ids, *, keep=None):
    """Delete the stored badges of these registrations (an older rendering, or all of them when anonymised)."""
    folder = Path(settings.BADGE_STORE_DIR)
    for registration_id in registration_ids:
        for old in folder.glob(f"{int(registration_id)}-*.pdf"):
            if old != keep:
                old.unlink(missing_ok=True)


def _draw_cut_marks(pdf):
    """Cut marks on the lines between the four A6 badges of an A4 sheet: ticks at the sheet's edges and a
    small cross in the middle, thin enough that the guillotine removes them."""
    half_x, half_y = A4[0] / 2, A4[1] / 2
    tick = 5 * mm
    pdf.setStrokeColor(black)
    pdf.setLineWidth(0.25)
    lines = [
        (half_x, 0, half_x, tick),
        (half_x, A4[1] - tick, half_x, A4[1]),
        (0, half_y, tick, half_y),
        (A4[0] - tick, half_y, A4[0], half_y),
        (half_x - 3 * mm, half_y, half_x + 3 * mm, half_y),
        (half_x, half_y - 3 * mm, half_x, half_y + 3 * mm),
    ]
    pdf.lines(lines)


def render_badge_sheets_pdf(registrations, *, conference):
    """Many badges on A4 sheets, four A6 badges a sheet with cut marks, for the print shop."""
    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        texts = _conference_texts(conference)
    signing_key = get_or_create_signing_key(conference)
    pdf = pdf_canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{texts['conference_title']} badges")
    pdf.setCreator("Harm reduction conference site")
    # Top-left, top-right, bottom-left, bottom-right. A4 is 297 mm high and two badges 296 mm: half a
    # millimetre above and below keeps the cut between the rows on the sheet's middle, where the marks are.
    bottom = (A4[1] - 2 * BADGE_HEIGHT) / 2
    slots = [(0, bottom + BADGE_HEIGHT), (BADGE_WIDTH, bottom + BADGE_HEIGHT), (0, bottom), (BADGE_WIDTH, bottom)]
    count = 0
    for count, registration in enumerate(registrations, start=1):
        x, y = slots[(count - 1) % 4]
        pdf.saveState()
        pdf.translate(x, y)
        key = signing_key if registration.conference_id == signing_key.conference_id else None
        _draw_badge(pdf, registration, issue_badge_token(registration, signing_key=key), **texts)
        pdf.restoreState()
        if count % 4 == 0:
            _draw_cut_marks(pdf)
            pdf.showPage()
    if count % 4 or count == 0:
        _draw_cut_marks(pdf)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def badge_filename(registration):
    """A file name without personal data."""
    return f"badge-{registration.conference.canonical.slug}-{registration.pk}.pdf"
