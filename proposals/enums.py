"""The call's choices: where a proposal stands (a feminine noun in Russian, hence the context)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "Withdrawn")


# What the submitter may still change: a draft, or a submitted proposal before the call closes.
EDITABLE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
