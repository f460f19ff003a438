"""The visa invitation letter as an A4 PDF: the organiser's letterhead, the holder's passport details, the dates of
stay, the organisers' text (English, with the Russian translation alongside when given), the signatory, and the
reference with the address where a consulate verifies it."""

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_countries import countries
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from conference.enums import OrganisationRole

from .models import VisaLetterSettings

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
DEFAULT_TEXT = (
    "We are pleased to invite the person named below to take part in the international conference "
    "{conference}, held in {place} from {start} to {end}. The organisers do not cover the costs of travel, "
    "accommodation or insurance unless agreed in writing. We kindly ask you to issue a visa for the dates of "
    "the stay given below."
)


@lru_cache(maxsize=1)
def _fonts():
    """DejaVu (shipped in registration/fonts) prints Latin and Cyrillic alike."""
    pdfmetrics.registerFont(TTFont("VisaSans", str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("VisaSans-Bold", str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    return "VisaSans", "VisaSans-Bold"


def verification_url(reference):
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("verify_visa_letter", args=[reference])


def _paragraphs(text, style):
    return [
        Paragraph(escape(part.strip()).replace("\n", "<br/>"), style) for part in text.split("\n\n") if part.strip()
    ]


def _english_date(value):
    with translation.override("en"):
        return formats.date_format(value, "j F Y")


def render_visa_letter_pdf(visa_request):
    """The letter for an approved request, in English (the consulates' common language) plus Russian text."""
    registration = visa_request.registration
    conference = registration.conference
    letter_settings = VisaLetterSettings.objects.filter(conference=conference).first()
    organisers = conference.organisations_in_role(OrganisationRole.ORGANISER)
    organiser = organisers[0] if organisers else None
    venue = conference.venue
    place = ", ".join(part for part in [getattr(venue, "name", ""), conference.city] if part) or conference.title
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=HexColor("#4a5561"))
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=14, leading=18, spaceAfter=10)
    letterhead = ParagraphStyle("letterhead", parent=body, fontName=bold, fontSize=13, textColor=HexColor("#14506e"))

    with translation.override("en"):
        nationality = str(dict(countries).get(visa_request.nationality, visa_request.nationality))
    start, end = _english_date(conference.start_date), _english_date(conference.end_date)
    story = []
    if organiser is not None:
        story.append(Paragraph(escape(organiser.name), letterhead))
        if organiser.url:
            story.append(Paragraph(escape(organiser.url), small))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(escape(f"Date: {_english_date(timezone.localdate())} · Reference: {visa_request.reference}"), small)
    )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Invitation letter", heading))
    story.append(Paragraph("To the embassy or consulate concerned", body))
    english = letter_settings.letter_text if letter_settings else DEFAULT_TEXT
    english = english.replace("{conference}", conference.title).replace("{place}", place)
    english = english.replace("{start}", start).replace("{end}", end)
    story += _paragraphs(english, body)

    rows = [
        ("Name (as in passport)", visa_request.passport_name),
        ("Nationality", nationality),
        ("Passport number", visa_request.passport_number),
        ("Date of birth", _english_date(visa_request.date_of_birth) if visa_request.date_of_birth else ""),
        ("Conference", conference.title),
        ("Venue", place),
        ("Dates of stay", f"{start} – {end}"),
    ]
    table = Table(
        [[Paragraph(escape(label), small), Paragraph(escape(str(value)), body)] for label, value in rows],
        colWidths=[45 * mm, 115 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#cccccc")]))
    story += [Spacer(1, 3 * mm), table, Spacer(1, 6 * mm)]

    if letter_settings and letter_settings.letter_text_ru.strip():
        story.append(Paragraph("Перевод на русский язык", heading))
        story += _paragraphs(letter_settings.letter_text_ru, body)
        story.append(Spacer(1, 4 * mm))

    if letter_settings:
        story.append(
            Paragraph(escape(letter_settings.signatory_name), ParagraphStyle("sig", parent=body, fontName=bold))
        )
        titles = [letter_settings.signatory_title, letter_settings.signatory_title_ru]
        story.append(Paragraph(escape(" / ".join(title for title in titles if title)), body))
    if organiser is not None:
        story.append(Paragraph(escape(organiser.name), body))
    story.append(Spacer(1, 8 * mm))
    story.append(
        Paragraph(
            escape(f"Verify this letter: {verification_url(visa_request.reference)}"),
            ParagraphStyle("verify", parent=body, fontName=bold),
        )
    )

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Invitation letter {visa_request.reference}",
        author=organiser.name if organiser else conference.title,
    )
    document.build(story)
    return buffer.getvalue()
