"""The conference itself: organisations and venues as snippets, and the ConferencePage."""

import zoneinfo
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

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
from .email_proof import PendingEmailProof
from .enums import OrganisationRole
from .localized_fields import localized_property
from .model_fields import optional_link
from .page_caching import KeptRouteMixin, shareable

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def window_is_open(opens_at, closes_at, now):
    """Whether `now` lies in [opens_at, closes_at), either end being optional: the rule of every registration
    window (a conference's and a registration type's)."""
    if opens_at and now < opens_at:
        return False
    return not (closes_at and now >= closes_at)


def image_alt_text(image):
    """The alt text an image carries itself (Wagtail's `description`, required by our image form), or "" when
    it has none (an image uploaded before that rule)."""
    return (getattr(image, "description", "") or "").strip() if image else ""


class Organisation(index.Indexed, models.Model):
    """A network or organisation that organises, partners in or funds a conference."""

    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True, help_text=_("For example EHRN."))
    url = models.URLField(_("website"), blank=True)
    logo = optional_link("wagtailimages.Image", _("logo"))
    description = models.TextField(_("description"), blank=True, max_length=1000)
    description_ru = models.TextField(_("description in Russian"), blank=True, max_length=1000)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_ru")]),
        FieldPanel("short_name"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("description_ru"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("short_name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def initials(self):
        """Letters for a mark where there is no logo: a one-word short name, else the initials of the words."""
        if self.short_name and " " not in self.short_name and len(self.short_name) <= 8:
            return self.short_name
        words = [word for word in (self.short_name or self.name).split() if word[:1].isalnum()]
        return "".join(word[0] for word in words[:3]).upper()

    localized_name = localized_property("name")
    localized_description = localized_property("description")


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    address_ru = models.TextField(_("address in Russian"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=100)
    city_ru = models.CharField(_("city in Russian"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100)
    accessibility = models.TextField(
        _("accessibility"), blank=True, max_length=2000, help_text=_("Step-free access, lifts, toilets, quiet rooms.")
    )
    accessibility_ru = models.TextField(_("accessibility in Russian"), blank=True, max_length=2000)
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A link only: maps are never embedded."))

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_ru")]),
        FieldRowPanel([FieldPanel("address"), FieldPanel("address_ru")]),
        FieldRowPanel([FieldPanel("city"), FieldPanel("city_ru"), FieldPanel("country")]),
        FieldPanel("accessibility"),
        FieldPanel("accessibility_ru"),
        FieldPanel("map_url"),
    ]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.city}"

    localized_name = localized_property("name")
    localized_address = localized_property("address")
    localized_city = localized_property("city")
    localized_accessibility = localized_property("accessibility")


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


class ConferencePage(KeptRouteMixin, RoutablePageMixin, Page):
    tagline = models.CharField(_("theme"), max_length=250, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Vilnius")
    venue = optional_link(Venue, _("venue"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    hero_image = optional_link(
        "wagtailimages.Image",
        _("hero image"),
        help_text=_("A wide picture at the top of the conference page (at least 1600 pixels wide)."),
    )
    hero_image_alt = models.CharField(
        _("hero image alt text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for people who cannot see it, in this page's language. "
            "Leave empty to use the image's own description."
        ),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    privacy_notice = optional_link(
        "wagtailcore.Page",
        _("privacy notice"),
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
    # Practical information for attendees: shown on the conference page and in the footer, and sent in the
    # confirmation email.
    contact_email = models.EmailField(
        _("contact address"), blank=True, help_text=_("Where attendees write with questions. Shown on every page.")
    )
    first_day_starts_at = models.TimeField(
        _("first day starts at"), null=True, blank=True, help_text=_("When registration desk opens on the first day.")
    )
    directions = models.TextField(
        _("directions"),
        blank=True,
        max_length=2000,
        help_text=_("How to get to the venue: from the airport and station, public transport, the entrance."),
    )
    directions_ru = models.TextField(_("directions in Russian"), blank=True, max_length=2000)
    what_to_bring = models.TextField(
        _("what to bring"), blank=True, max_length=1000, help_text=_("For example: passport or ID, your badge.")
    )
    what_to_bring_ru = models.TextField(_("what to bring in Russian"), blank=True, max_length=1000)

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]), FieldPanel("time_zone")],
            heading=_("Dates"),
        ),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("city")], heading=_("Place")),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")),
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
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("first_day_starts_at")]),
                FieldRowPanel([FieldPanel("directions"), FieldPanel("directions_ru")]),
                FieldRowPanel([FieldPanel("what_to_bring"), FieldPanel("what_to_bring_ru")]),
            ],
            heading=_("Practical information for attendees"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("tagline"), index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["programme.ProgrammePage", "programme.SpeakerIndexPage", "home.StandardPage"]

    # The view behind /<conference>/register/, set by registration.apps: the registration app builds on this
    # one, so the conference names no view of it (the import direction runs conference <- registration).
    registration_view = None
    # The view behind /<conference>/call/, set the same way by proposals.apps.
    call_view = None

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
        if self.hero_image and not (self.hero_image_alt.strip() or image_alt_text(self.hero_image)):
            errors["hero_image_alt"] = _(
                "Describe the hero image: write its alt text here or give the image a description."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def hero_alt(self):
        """The hero image's alt text: this page's own (translated with the page), else the image's description."""
        return self.hero_image_alt.strip() or image_alt_text(self.hero_image)

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

    def organisations_in_role(self, role):
        return [link.organisation for link in self.organisation_links.all() if link.role == role]

    @property
    def localized_city(self):
        """Where the conference is, in the active language: the venue's city (which has a Russian field), else the
        page's own city (a translated page has its own)."""
        venue = self.venue
        return venue.localized_city if venue is not None and venue.city else self.city

    localized_directions = localized_property("directions")
    localized_what_to_bring = localized_property("what_to_bring")

    @property
    def map_link(self):
        """The venue's map link, or an OpenStreetMap search for its address: a link only, nothing embedded."""
        venue = self.venue
        if venue is None:
            return ""
        if venue.map_url:
            return venue.map_url
        query = ", ".join(part for part in [venue.address.replace("\n", ", "), venue.city, venue.country] if part)
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def registration_is_open(self, now=None):
        """Whether the conference's own registration window is open (each registration type has one too)."""
        return window_is_open(self.registration_opens_at, self.registration_closes_at, now or timezone.now())

    @path("", name="index_route")  # routes resolve to the decorated function: the mixin's would bypass this one
    def index_route(self, request, *args, **kwargs):
        """The conference page, kept by the page cache until its registration window next opens or closes (it
        shows the "Register" button only while the window is open)."""
        response = super().index_route(request, *args, **kwargs)
        now = timezone.now()
        edges = [edge for edge in (self.registration_opens_at, self.registration_closes_at) if edge and edge > now]
        if edges:
            return shareable(response, timeout=max(1, int((min(edges) - now).total_seconds()) + 1))
        return shareable(response)

    @path("register/")
    def register(self, request):
        view = type(self).registration_view
        if view is None:
            raise Http404("Registration is not installed.")
        return view(request, conference=self)

    @path("call/")
    def call_route(self, request):
        view = type(self).call_view
        if view is None:
            raise Http404("The call for proposals is not installed.")
        return view(request, conference=self)


class PendingSignIn(PendingEmailProof):
    """A request to sign in with an emailed code instead of a password (conference/sign_in_by_code.py)."""

    next_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("sign-in awaiting its code")
        verbose_name_plural = _("sign-ins awaiting their code")


# The mail queue and the worker heartbeats live in their own modules; importing them here registers them.
from .mail import OutboundEmail  # noqa: E402,F401
from .worker import WorkerHeartbeat  # noqa: E402,F401
