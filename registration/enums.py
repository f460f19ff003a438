"""The registration app's choices: registration status, attendee role, interpretation language, scan result,
email kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    PENDING = "pending", _("Awaiting approval")
    CANCELLED = "cancelled", _("Cancelled")


# The statuses that hold (or wait for) a seat: at most one such registration per attendee and conference.
ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING)


class Role(models.TextChoices):
    COMMUNITY = "community", _("Community member or person who uses drugs")
    OUTREACH = "outreach", _("Outreach or social worker")
    HEALTH = "health", _("Health professional")
    ACTIVIST = "activist", _("Activist or advocate")
    RESEARCHER = "researcher", _("Researcher")
    GOVERNMENT = "government", _("Government or public body")
    DONOR = "donor", _("Donor or international organisation")
    PRESS = "press", _("Journalist")
    OTHER = "other", _("Other")


class InterpretationLanguage(models.TextChoices):
    NONE = "", _("No interpretation needed")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


class ScanResult(models.TextChoices):
    """What the door is told about a scan (CONTRACT.md, "Check-in API")."""

    CHECKED_IN = "checked_in", _("Checked in")
    ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
    INVALID = "invalid", _("Not a valid badge")
    CANCELLED = "cancelled", _("Registration cancelled")
    NOT_CONFIRMED = "not_confirmed", _("Registration not confirmed")
    WRONG_CONFERENCE = "wrong_conference", _("Badge of another conference")


class EmailKind(models.TextChoices):
    """The attendee's emails about a registration; each has templates registration/emails/<value>.txt and .html.
    The first four are named after the status the registration has just taken."""

    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    PENDING = "pending", _("Awaiting approval")
    CANCELLED = "cancelled", _("Cancelled")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # Sent only when an organiser asks (the registration's page): the badge again, for a confirmed registration.
    BADGE = "badge", _("Badge")
    # The other emails about a registration, for the mail log.
    VISA_DECISION = "visa_decision", _("Visa letter decision")
    WORKSHOP_PROMOTED = "workshop_promoted", _("Workshop place")
