"""The conference's choices: the role an organisation has in a conference."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
