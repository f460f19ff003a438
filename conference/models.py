"""The conference itself: organisations and venues as snippets, and the ConferencePage."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock
from .enums import OrganisationRole

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def window_is_open(opens_at, closes_at, now):
    """Whether `now` lies in [opens_at, closes_at), either end being optional: the rule of every registration
    window (a conference's and a registration type's)."""
    if opens_at and now < opens_at:
        return False
    return not (closes_at and now >= closes_at)


class Organisation(index.Indexed, models.Model):
    """A network or organisation that organises, partners in or funds a conference."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True, help_text=_("For example EHRN."))
    url = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True, max_length=1000)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("short_name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=100)
    accessibility = models.TextField(
        _("accessibility"), blank=True, max_length=2000, help_text=_("Step-free access, lifts, toilets, quiet rooms.")
    )
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A link only: maps are never embedded."))

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
        FieldPanel("accessibility"),
        FieldPanel("map_url"),
    ]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.city}"


class ConferenceOrganisation(Orderable):
    """Who stands behind a conference, and in which role."""

    conference = ParentalKey("conference.ConferencePage", related_name="organisation_links", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.PARTNER
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]


class ConferencePage(RoutablePageMixin, Page):
    tagline = models.CharField(_("theme"), max_length=250, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Vilnius")
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page that says what we collect, why and for how long."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=20,
        default="1",
        help_text=_("Change this when the notice changes: each consent records the version it was given to."),
    )
    personal_data_retention_days = models.PositiveIntegerField(
        _("delete personal data after (days)"),
        default=90,
        help_text=_("Registrations are anonymised this many days after the last conference day."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]), FieldPanel("time_zone")],
            heading=_("Dates"),
        ),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("city")], heading=_("Place")),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")])],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_notice"),
                FieldPanel("privacy_notice_version"),
                FieldPanel("personal_data_retention_days"),
            ],
            heading=_("Privacy"),
        ),
        InlinePanel("organisation_links", label=_("Organisers, partners and funders")),
    ]
    search_fields = Page.search_fields + [index.SearchField("tagline"), index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["programme.ProgrammePage", "programme.SpeakerIndexPage", "home.StandardPage"]

    # The view behind /<conference>/register/, set by registration.apps: the registration app builds on this
    # one, so the conference names no view of it (the import direction runs conference <- registration).
    registration_view = None

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")

    @classmethod
    def for_page(cls, page):
        """The conference `page` belongs to (or is), in the page's language; None for an unsaved page or one
        outside every conference. `.canonical` of the result is the default-language conference."""
        if page is None or not page.pk:
            return None
        if isinstance(page, cls):
            return page
        return cls.objects.ancestor_of(page, inclusive=True).first()

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @cached_property
    def canonical(self):
        """The conference in the default language: registrations and badges belong to that one."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return self.get_translation_or_none(Locale.get_default()) or self

    @property
    def days(self):
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    def local_datetime(self, day, at=time(0, 0)):
        """The moment `at` o'clock on `day` at the conference (midnight by default), as an aware datetime."""
        return datetime.combine(day, at, tzinfo=self.tzinfo)

    def now_local(self, now=None):
        """`now` (default: this moment) on the conference's clock."""
        return (now or timezone.now()).astimezone(self.tzinfo)

    def today(self, now=None):
        """The date at the conference now (or at `now`): check-in days and door counts are counted in it."""
        return self.now_local(now).date()

    @cached_property
    def registration_types_exist(self):
        return self.canonical.registration_types.exists()

    def registration_is_open(self, now=None):
        """Whether the conference's own registration window is open (each registration type has one too)."""
        return window_is_open(self.registration_opens_at, self.registration_closes_at, now or timezone.now())

    @path("register/")
    def register(self, request):
        view = type(self).registration_view
        if view is None:
            raise Http404("Registration is not installed.")
        return view(request, conference=self)


# The mail queue and the worker heartbeats live in their own modules; importing them here registers them.
from .mail import OutboundEmail  # noqa: E402,F401
from .worker import WorkerHeartbeat  # noqa: E402,F401
