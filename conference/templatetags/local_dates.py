"""The `local_date` template filter: dates and times written the way each language writes them.

Django's date formats build Russian dates from nominative, capitalised names ("Среда 5 Апр"); Russian writes
"среда, 5 апреля" and "ср, 5 апр.": a lower-case weekday, a comma after it and the month in the genitive. So each
style below has a Django format for English (and any other language) and a pattern of its own for Russian."""

from django import template
from django.utils import dateformat
from django.utils.translation import get_language, override

register = template.Library()

# Styles: "day" for day headings and menus, "day_year" with the year, "day_short" for compact lists, "date_short"
# without weekday, "on_day" after a preposition ("Sessions on ..."), "moment" after "As of", "day_year_time" and
# "day_short_time" for one moment with its weekday.
ENGLISH = {
    "day": "l j F",
    "day_year": "l j F Y",
    "day_short": "D j M",
    "date_short": "j M",
    "on_day": "l j F",
    "moment": "l j F, H:i",
    "day_year_time": "l j F Y, H:i",
    "day_short_time": "D j F, H:i",
}

RUSSIAN_WEEKDAYS = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
RUSSIAN_WEEKDAYS_SHORT = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
RUSSIAN_MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
# The abbreviations of Russian typography (short month names keep their full form: "5 мая", "5 июня").
RUSSIAN_MONTHS_SHORT = [
    "янв.",
    "февр.",
    "марта",
    "апр.",
    "мая",
    "июня",
    "июля",
    "авг.",
    "сент.",
    "окт.",
    "нояб.",
    "дек.",
]

RUSSIAN = {
    "day": "{weekday}, {day} {month}",
    "day_year": "{weekday}, {day} {month} {year}",
    "day_short": "{wd}, {day} {mon}",
    "date_short": "{day} {mon}",
    "on_day": "{day} {month}",
    "moment": "{day} {month}, {time}",
    "day_year_time": "{weekday}, {day} {month} {year}, {time}",
    "day_short_time": "{wd}, {day} {month}, {time}",
}


def format_local_date(value, style, language=None):
    """`value` (a date or a datetime already in the wanted time zone) in `style`, in `language` (default: the
    active one)."""
    if style not in ENGLISH:
        raise ValueError(f"unknown date style {style!r}")
    language = (language or get_language() or "en").split("-")[0]
    if language != "ru":
        with override(language):
            return dateformat.format(value, ENGLISH[style])
    time = f"{value.hour:02d}:{value.minute:02d}" if hasattr(value, "hour") else ""
    return RUSSIAN[style].format(
        weekday=RUSSIAN_WEEKDAYS[value.weekday()],
        wd=RUSSIAN_WEEKDAYS_SHORT[value.weekday()],
        day=value.day,
        month=RUSSIAN_MONTHS_GENITIVE[value.month - 1],
        mon=RUSSIAN_MONTHS_SHORT[value.month - 1],
        year=value.year,
        time=time,
    )


@register.filter(expects_localtime=True)
def local_date(value, style="day"):
    """{{ day|local_date:"day" }}: see the styles above; "" for an empty value. Capitalise with |capfirst at the
    start of a heading or sentence."""
    if not value:
        return ""
    return format_local_date(value, style)
