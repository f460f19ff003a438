"""The call for proposals of a conference (its dates, formats, tracks, languages and texts) and the proposals
sent to it, with the visitor's form that waits for an emailed code."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from conference.email_proof import PendingEmailProof
from conference.localized_fields import localized, localized_property
from programme.enums import SessionLanguage
from programme.models import Track

from .admin_forms import CallForProposalsForm
from .enums import EDITABLE_STATUSES, ProposalStatus

TITLE_MAX_LENGTH = 200
ABSTRACT_MAX_LENGTH = 5000


class CallForProposals(ClusterableModel):
    """One conference's call: when it is open, what may be proposed, and what it says to submitters."""

    conference = models.OneToOneField(
        "conference.ConferencePage",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="call_for_proposals",
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), help_text=_("Proposals can be sent and edited until then."))
    intro = models.TextField(_("introduction"), max_length=4000, blank=True)
    intro_ru = models.TextField(_("introduction in Russian"), max_length=4000, blank=True)
    tracks = ParentalManyToManyField(
        "programme.Track",
        verbose_name=_("tracks"),
        blank=True,
        related_name="+",
        help_text=_("The tracks a proposal may choose from. None chosen: every track of the conference."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    anonymised = models.BooleanField(
        _("anonymised review"),
        default=True,
        help_text=_("Reviewers do not see the submitters' names, emails or organisations."),
    )
    travel_support = models.BooleanField(
        _("offer travel support"), default=False, help_text=_("Submitters may ask for help with travel costs.")
    )
    travel_support_text = models.TextField(
        _("about travel support"),
        max_length=2000,
        blank=True,
        help_text=_("What can be covered and how it is decided; shown beside the question."),
    )
    travel_support_text_ru = models.TextField(_("about travel support in Russian"), max_length=2000, blank=True)

    base_form_class = CallForProposalsForm
    panels = [
        FieldPanel("conference"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates")),
        FieldRowPanel([FieldPanel("intro"), FieldPanel("intro_ru")]),
        InlinePanel("formats", label=_("Session formats"), min_num=1),
        FieldPanel("tracks"),
        FieldPanel("languages"),
        FieldPanel("anonymised"),
        MultiFieldPanel(
            [
                FieldPanel("travel_support"),
                FieldRowPanel([FieldPanel("travel_support_text"), FieldPanel("travel_support_text_ru")]),
            ],
            heading=_("Travel support"),
        ),
    ]

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self):
        return str(self.conference)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    localized_intro = localized_property("intro")
    localized_travel_support_text = localized_property("travel_support_text")

    def track_choices(self):
        """The tracks a proposal may name: the chosen ones, or all of the conference's."""
        chosen = list(self.tracks.all())
        return chosen or list(Track.objects.filter(conference_id=self.conference_id))

    def language_choices(self):
        offered = set(self.languages) or set(SessionLanguage.values)
        return [(code, label) for code, label in SessionLanguage.choices if code in offered]


class SessionFormat(Orderable):
    """A kind of session the call asks for (talk, panel, workshop, poster) and how long it runs."""

    call = ParentalKey(CallForProposals, on_delete=models.CASCADE, related_name="formats")
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("name_ru"), FieldPanel("duration_minutes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("session format")
        verbose_name_plural = _("session formats")

    def __str__(self):
        return self.name

    localized_name = localized_property("name")


class ProposalQuerySet(models.QuerySet):
    def of(self, user):
        """The user's proposals with what their pages name, newest first."""
        return (
            self.filter(submitter=user)
            .select_related("call__conference", "session_format", "track")
            .order_by("-created_at")
        )


class Proposal(models.Model):
    """A session proposed to a call. A draft is the submitter's own; a submitted one waits for review."""

    call = models.ForeignKey(
        CallForProposals, verbose_name=_("call"), on_delete=models.CASCADE, related_name="proposals"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitter"), on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    abstract = models.TextField(_("abstract"), max_length=ABSTRACT_MAX_LENGTH, blank=True)
    session_format = models.ForeignKey(
        SessionFormat,
        verbose_name=_("session format"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    track = models.ForeignKey(
        "programme.Track", verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=SessionLanguage.choices, blank=True)
    travel_support_requested = models.BooleanField(_("travel support requested"), default=False)
    travel_support_note = models.TextField(_("about the travel support needed"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    # The form this proposal came from: a form sent twice (a double click, the code and the link both used)
    # makes one proposal, because the second insert meets the unique constraint.
    form_key = models.CharField(max_length=64, editable=False)
    language_of_emails = models.CharField(max_length=10, default="en", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [models.UniqueConstraint(fields=["submitter", "form_key"], name="one_proposal_per_form")]

    def __str__(self):
        return self.title

    def editable(self, now=None):
        return self.status in EDITABLE_STATUSES and not self.call.has_closed(now)

    @property
    def format_name(self):
        return localized(self.session_format, "name") if self.session_format else ""


class PendingProposal(PendingEmailProof):
    """A visitor's proposal form, kept until they confirm their email; nothing is a proposal before that."""

    CODE_SALT = "proposals.code"

    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="+")
    form_data = models.JSONField(help_text=_("The submitted form, validated again when the email is confirmed."))

    class Meta:
        verbose_name = _("proposal awaiting email confirmation")
        verbose_name_plural = _("proposals awaiting email confirmation")
