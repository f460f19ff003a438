"""How registration values read to an organiser, on the registration's page and in CSV/XLSX exports: choice
labels, country and language names, Yes/No, times on the conference's clock to the second, a dash (or an empty
cell) for nothing."""

from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from registration.enums import RegistrationStatus
from registration.widgets import country_name

EMPTY = "—"
# Fields holding an ISO 3166 code, which the admin never shows raw.
COUNTRY_FIELDS = ("country", "nationality")


def yes_no(value):
    return _("Yes") if value else _("No")


def local_time(value, conference):
    """`value` on the conference's clock, without microseconds (naive: spreadsheets have no time zones)."""
    return value.astimezone(conference.tzinfo).replace(microsecond=0, tzinfo=None)


def language_name(code):
    """The name of the language `code` (the one a registration's emails are in) in the active language."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def status_label(code):
    return RegistrationStatus(code).label if code in RegistrationStatus.values else (code or EMPTY)


def readable_value(registration, field_name):
    """The value of `field_name` as a person reads it, or None when there is none: labels for choices, country
    and language names in the active language, the conference's local time for moments, booleans as they are (the caller
    words them)."""
    if field_name in COUNTRY_FIELDS:
        return country_name(getattr(registration, field_name)) or None
    if field_name == "language":
        return language_name(registration.language) if registration.language else None
    try:
        field = registration._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        value = getattr(registration, field_name)
        return registration._get_FIELD_display(field) if value else None
    value = getattr(registration, field_name)
    if isinstance(value, datetime):
        return local_time(value, registration.conference)
    if value in ("", None):
        return None
    return getattr(value, "localized_name", value)  # a registration type in the reader's language
