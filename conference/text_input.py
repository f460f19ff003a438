"""Text that can be stored: the one rule for every input (form fields, URLs, query strings, JSON bodies), and
the one place exports look it up.

PostgreSQL refuses NUL in text, a lone surrogate (half an emoji) cannot be encoded as UTF-8, and the other C0
control characters (all but tab, newline and carriage return) are in no name, title or answer and break XML
exports. Such input is refused with a clear message, before anything is written: a 400 page or a JSON error.
"""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# What XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets): the unstorable characters and U+FFFE, U+FFFF,
# which a database stores but no XLSX cell can (conference/spreadsheets.py drops them from every cell).
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Deeper than any body our APIs take ({"sessions": [..]} is 2); Python's own parser recurses per level.
MAX_JSON_DEPTH = 20
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

UNSTORABLE_MESSAGE = gettext_lazy(
    "What you sent contains characters that cannot be stored (such as a NUL byte or another control "
    "character). Please remove them and try again."
)

UNSTORABLE_FIELD_TEXT = gettext_lazy(
    "This contains characters that cannot be stored (such as a control character). Please remove them."
)
UNSTORABLE_FIELD_MESSAGE = gettext_lazy(
    "“%(field)s” contains characters that cannot be stored (such as a NUL byte or another control character)."
)


def is_storable_text(text):
    """Whether every database we run on can store and compare `text`, and every export can hold it."""
    return UNSTORABLE.search(text) is None


def exportable_text(text):
    """`text` without the characters an export's file format cannot hold (NOT_IN_XML)."""
    return NOT_IN_XML.sub("", text)


def validate_storable_text(value):
    """Form-field validator: the message appears beside the field, and the rest of the form is kept."""
    if isinstance(value, str) and not is_storable_text(value):
        raise ValidationError(UNSTORABLE_FIELD_TEXT, code="unstorable")


class StorableTextForm(forms.Form):
    """A form whose text fields all refuse unstorable characters (a vertical tab pasted from a word processor,
    say) with a message at the field, instead of keeping them for the badge, the exports and the door."""

    def full_clean(self):
        # Here rather than in __init__: subclasses add fields (the questions) after the base's __init__.
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and validate_storable_text not in field.validators:
                field.validators.append(validate_storable_text)
        super().full_clean()


class JsonBodyError(ValueError):
    """A JSON body that is not one we read; `message` says why, for the 400 answer."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _depth(raw):
    """The deepest nesting of arrays and objects in a JSON text, counted without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _strings(value, field=None):
    """(top-level field, text) for every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield field or key, key
            yield from _strings(item, field or key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, field)


def _refuse_constant(name):
    raise JsonBodyError(_("NaN and Infinity are not numbers we read."))


def load_json(body, *, max_depth=MAX_JSON_DEPTH, opaque_fields=()):
    """Parse a request body as JSON, refusing what no endpoint of ours takes: text that is not UTF-8 JSON,
    nesting deeper than `max_depth`, and strings (keys included) that cannot be stored, except in the top-level
    `opaque_fields` the caller judges itself (a scanned code is checked by its signature). Raises JsonBodyError."""
    try:
        raw = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise JsonBodyError(_("The body must be JSON in UTF-8.")) from None
    if _depth(raw) > max_depth:
        raise JsonBodyError(_("The JSON is nested too deeply."))
    try:
        data = json.loads(raw or "{}", parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        if isinstance(error, JsonBodyError):
            raise
        raise JsonBodyError(_("The body must be JSON.")) from None
    for field, text in _strings(data):
        if field not in opaque_fields and not is_storable_text(text):
            raise JsonBodyError(UNSTORABLE_FIELD_MESSAGE % {"field": field} if field else UNSTORABLE_MESSAGE)
    return data


def _request_texts(request):
    """The path, the query and the names of posted fields. Posted values are the forms' to judge (Django's text
    fields refuse NUL, StorableTextForm the rest), so that the message stands beside the field."""
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        yield from request.POST


def wants_json(request):
    """Whether an error for this request should be JSON: API paths (…/api/…, ….json), JSON bodies, JSON accepted."""
    return (
        "/api/" in request.path
        or request.path.endswith(".json")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


class StorableInputMiddleware:
    """Refuses a request whose path, query or posted field names hold unstorable characters, with a 400 in the
    visitor's language (after LocaleMiddleware), before any view can store or query them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not all(is_storable_text(text) for text in _request_texts(request)):
            if wants_json(request):
                return JsonResponse({"error": str(UNSTORABLE_MESSAGE)}, status=400)
            return render(request, "400.html", {"message": UNSTORABLE_MESSAGE}, status=400)
        return self.get_response(request)
