"""Schedule releases: a published programme recorded as a version, and what changed since the previous one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.localized_fields import localized
from conference.model_fields import optional_link


class ChangeKind(models.TextChoices):
    NEW = "new", _("New")
    MOVED = "moved", _("Moved")
    ROOM_CHANGED = "room_changed", _("Room changed")
    # A context of its own: Russian words the kind of change in the neuter ("Перенесено", "Отменено"), while a
    # session's or registration's status agrees with the feminine noun ("Отменена").
    CANCELLED = "cancelled", pgettext_lazy("schedule change", "Cancelled")
    REINSTATED = "reinstated", _("Back in the programme")
    REMOVED = "removed", _("Removed")
    SPEAKERS_CHANGED = "speakers_changed", _("Speakers changed")


class ScheduleRelease(models.Model):
    """One released version of a conference's published programme (programme.releases.release_schedule)."""

    conference = models.ForeignKey(
        "conference.ConferencePage",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="schedule_releases",
    )
    number = models.PositiveIntegerField(_("number"))
    # frab <version> and what the changelog shows: "1", "2"… unless the organiser names it.
    name = models.CharField(_("version"), max_length=50)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    note_ru = models.TextField(_("note in Russian"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("released"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {translation key: facts of the session} as published at the release; the next release diffs against it.
    snapshot = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("schedule release")
        verbose_name_plural = _("schedule releases")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="one_release_number_per_conference"),
            models.UniqueConstraint(fields=["conference", "name"], name="one_release_name_per_conference"),
        ]

    def __str__(self):
        return f"{self.conference_id} v{self.name}"

    def note_in(self, language):
        """The organisers' note in `language`, the English one where it has no translation."""
        return localized(self, "note", language)


class ScheduleChange(models.Model):
    """One change of one session in a release, with the facts before and after: what a change notice tells
    the attendees who starred or signed up for `session` (old and new time and room)."""

    release = models.ForeignKey(
        ScheduleRelease, verbose_name=_("release"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    # The default-language session; null once it is deleted (then translation_key and title still tell which).
    session = optional_link("programme.SessionPage", _("session"))
    translation_key = models.UUIDField(_("session key"), db_index=True)
    title = models.CharField(_("title"), max_length=255)
    old_start = models.DateTimeField(_("old start"), null=True, blank=True)
    old_end = models.DateTimeField(_("old end"), null=True, blank=True)
    old_room = models.ForeignKey(
        "programme.Room", verbose_name=_("old room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_room_name = models.CharField(_("old room name"), max_length=100, blank=True)
    new_start = models.DateTimeField(_("new start"), null=True, blank=True)
    new_end = models.DateTimeField(_("new end"), null=True, blank=True)
    new_room = models.ForeignKey(
        "programme.Room", verbose_name=_("new room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_room_name = models.CharField(_("new room name"), max_length=100, blank=True)
    old_speakers = models.JSONField(_("old speakers"), default=list, blank=True)
    new_speakers = models.JSONField(_("new speakers"), default=list, blank=True)

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["release", "new_start", "old_start", "title", "kind"]

    def __str__(self):
        return f"{self.kind}: {self.title}"
