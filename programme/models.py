"""The programme of a conference: rooms and tracks (snippets), sessions and speakers (pages)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock


class Room(models.Model):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=1000)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("conference"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("capacity"),
        FieldPanel("accessibility"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["conference", "slug"], name="unique_room_slug_per_conference")]

    def __str__(self):
        return self.name


class Track(models.Model):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        help_text=_("A dark colour written as #RRGGBB; white text must stay readable on it."),
    )
    description = models.TextField(_("description"), blank=True, max_length=1000)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("conference"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("colour"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["conference", "slug"], name="unique_track_slug_per_conference")]

    def __str__(self):
        return self.name

    def clean(self):
        import re

        if self.colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", self.colour):
            raise ValidationError({"colour": _("Write the colour as # followed by six hexadecimal digits.")})


class ProgrammePage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["conference.ConferencePage"]
    subpage_types = ["programme.SessionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programme")


class SessionPage(RoutablePageMixin, Page):
    KIND_CHOICES = [
        ("plenary", _("Plenary")),
        ("panel", _("Panel")),
        ("workshop", _("Workshop")),
        ("skills", _("Skills-building")),
        ("side_event", _("Side event")),
        ("break", _("Break")),
    ]
    STATUS_SCHEDULED = "scheduled"
    STATUS_CANCELLED = "cancelled"
    STATUS_CHOICES = [(STATUS_SCHEDULED, _("Scheduled")), (STATUS_CANCELLED, _("Cancelled"))]
    LANGUAGE_CHOICES = [("en", _("English")), ("ru", _("Russian")), ("en-ru", _("English and Russian"))]
    INTERPRETATION_CHOICES = [
        ("", _("None")),
        ("en-ru", _("Simultaneous interpretation English ↔ Russian")),
        ("sign", _("Sign language")),
    ]

    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES, default="panel")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    abstract = StreamField(BodyBlock(), blank=True, verbose_name=_("abstract"))
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES, default="en")
    interpretation = models.CharField(_("interpretation"), max_length=10, choices=INTERPRETATION_CHOICES, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=STATUS_SCHEDULED)
    # RFC 5545 SEQUENCE: grows whenever time, room or status changes (see programme.schedule).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("room"), FieldPanel("track")],
            heading=_("When and where"),
        ),
        FieldRowPanel([FieldPanel("language"), FieldPanel("interpretation")]),
        InlinePanel("speaker_links", label=_("Speakers")),
        FieldPanel("abstract"),
    ]
    search_fields = Page.search_fields + [index.SearchField("abstract")]

    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")


class SessionSpeaker(Orderable):
    ROLE_CHOICES = [("speaker", _("Speaker")), ("moderator", _("Moderator"))]
    session = ParentalKey(SessionPage, related_name="speaker_links", on_delete=models.CASCADE)
    speaker = models.ForeignKey(
        "programme.SpeakerPage", verbose_name=_("speaker"), on_delete=models.CASCADE, related_name="session_links"
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES, default="speaker")

    panels = [FieldPanel("speaker"), FieldPanel("role")]


class SpeakerIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["conference.ConferencePage"]
    subpage_types = ["programme.SpeakerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("speaker index")


class SpeakerLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=60)
    url = blocks.URLBlock(label=_("Address"))


class SpeakerPage(Page):
    """A speaker; the page title is the speaker's name."""

    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    short_bio = models.TextField(_("short bio"), max_length=400, blank=True)
    bio = RichTextField(_("bio"), blank=True, features=["bold", "italic", "link", "ul"])
    links = StreamField([("link", SpeakerLinkBlock())], blank=True, verbose_name=_("links"))

    content_panels = Page.content_panels + [
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("country")]),
        FieldPanel("pronouns"),
        FieldPanel("short_bio"),
        FieldPanel("bio"),
        FieldPanel("links"),
    ]
    search_fields = Page.search_fields + [index.SearchField("organisation"), index.SearchField("short_bio")]

    parent_page_types = ["programme.SpeakerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
