"""Colours stored as #RRGGBB (track colours, badge colours): the browser's native colour picker for the admin's
forms, and the check each model's clean() makes, since a forged form or a browser without the picker can send
anything."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class ColourInput(forms.TextInput):
    """`<input type="color">`: every browser shows its own picker and sends #rrggbb, no script needed."""

    input_type = "color"


def check_colour(instance, field_name):
    """Raise the model's ValidationError unless `instance.<field_name>` is empty or #RRGGBB."""
    value = getattr(instance, field_name)
    if value and not HEX_COLOUR.fullmatch(value):
        raise ValidationError({field_name: _("Write the colour as # followed by six hexadecimal digits.")})
