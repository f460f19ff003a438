"""The programme's choices: what kind of session, its status and language, and a speaker's role in it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    PANEL = "panel", _("Panel")
    WORKSHOP = "workshop", _("Workshop")
    SKILLS = "skills", _("Skills-building")
    SIDE_EVENT = "side_event", _("Side event")
    BREAK = "break", _("Break")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class SessionLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    ENGLISH_AND_RUSSIAN = "en-ru", _("English and Russian")


class Interpretation(models.TextChoices):
    NONE = "", _("None")
    ENGLISH_RUSSIAN = "en-ru", _("Simultaneous interpretation English ↔ Russian")
    SIGN_LANGUAGE = "sign", _("Sign language")


class SpeakerRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")
