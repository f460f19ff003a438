"""The programme of a conference: rooms and tracks (snippets), sessions and speakers (pages)."""

from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from conference.localized_fields import localized
from home.blocks import BodyBlock

from .forms import SessionPageForm


class Room(models.Model):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=1000)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("conference"),
        FieldPanel("name"),
        FieldPanel("name_ru"),
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

    @property
    def localized_name(self):
        return localized(self, "name")


class Track(models.Model):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
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
        FieldPanel("name_ru"),
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

    @property
    def localized_name(self):
        return localized(self, "name")

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

    @path("")
    def programme(self, request):
        from .views import serve_programme

        return serve_programme(request, self)

    @path("print/")
    def printable(self, request):
        from .views import serve_printable_programme

        return serve_printable_programme(request, self)

    @path("now/")
    def now_and_next(self, request):
        from .views import serve_now_and_next

        return serve_now_and_next(request, self)

    @path("schedule.ics/")
    def schedule_ics(self, request):
        from .views import serve_export

        return serve_export(request, self, "ics")

    @path("schedule.xml/")
    def schedule_xml(self, request):
        from .views import serve_export

        return serve_export(request, self, "xml")

    @path("schedule.json/")
    def schedule_json(self, request):
        from .views import serve_export

        return serve_export(request, self, "json")


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
    # RFC 5545 SEQUENCE: grows whenever a publish changes time, room or status (programme.signals). These three
    # fields describe the page as a whole, not one revision: with_content_json keeps them when a revision is
    # published, so that publishing an old draft never turns the counter back.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    published_facts = models.CharField(max_length=200, blank=True, editable=False)
    facts_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signup_capacity = models.PositiveIntegerField(
        _("sign-up places"),
        null=True,
        blank=True,
        help_text=_(
            "For workshops with limited places: confirmed attendees sign up on the session page. Empty: no sign-up."
        ),
    )

    base_form_class = SessionPageForm
    exclude_fields_in_copy = ["sequence", "published_facts", "facts_changed_at"]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("room"), FieldPanel("track")],
            heading=_("When and where"),
        ),
        FieldRowPanel([FieldPanel("language"), FieldPanel("interpretation")]),
        InlinePanel("speaker_links", label=_("Speakers")),
        FieldPanel("abstract"),
        FieldPanel("signup_capacity"),
    ]
    search_fields = Page.search_fields + [index.SearchField("abstract")]

    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # From the database, not from `self`: a revision may hold a stale in-memory copy of the page.
        current = (
            SessionPage.objects.filter(pk=self.pk).values("sequence", "published_facts", "facts_changed_at").first()
            if self.pk
            else None
        ) or {
            "sequence": self.sequence,
            "published_facts": self.published_facts,
            "facts_changed_at": self.facts_changed_at,
        }
        obj.sequence = current["sequence"]
        obj.published_facts = current["published_facts"]
        obj.facts_changed_at = current["facts_changed_at"]
        return obj

    def facts_fingerprint(self):
        """The published facts that calendar apps must hear about (RFC 5545 SEQUENCE): time, room, status."""
        start = self.start.astimezone(UTC).isoformat() if self.start else ""
        end = self.end.astimezone(UTC).isoformat() if self.end else ""
        return f"{start}|{end}|{self.room_id or ''}|{self.status}"

    @property
    def default_language_session(self):
        """The session whose times, room and speakers count (translations supply only title and abstract)."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return (
            SessionPage.objects.filter(translation_key=self.translation_key, locale=Locale.get_default()).first()
            or self
        )

    def get_context(self, request, *args, **kwargs):
        from .views import session_context

        context = super().get_context(request, *args, **kwargs)
        context.update(session_context(request, self))
        return context

    @path("")
    def session_page(self, request):
        from .views import serve_session_page

        return serve_session_page(request, self)

    @path("session.ics/")
    def session_ics(self, request):
        from .views import serve_session_ics

        return serve_session_ics(request, self)


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

    def get_context(self, request, *args, **kwargs):
        from .views import speaker_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(speaker_index_context(request, self))
        return context


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

    def get_context(self, request, *args, **kwargs):
        from .views import speaker_context

        context = super().get_context(request, *args, **kwargs)
        context.update(speaker_context(request, self))
        return context


class AgendaItem(models.Model):
    """A session an attendee starred: always the default-language SessionPage, whichever language they read,
    so that stars, clashes and calendar UIDs survive translations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    session = models.ForeignKey(SessionPage, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+")
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("starred"), auto_now_add=True)

    class Meta:
        verbose_name = _("starred session")
        verbose_name_plural = _("starred sessions")
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="one_star_per_user_and_session")]

    def __str__(self):
        return f"{self.user_id} ★ {self.session_id}"


class AgendaFeed(models.Model):
    """The private calendar subscription of one attendee's agenda. The random token in its address is the only
    key, so calendar apps read it without a session; renewing replaces it, revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="agenda_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda calendar link")
        verbose_name_plural = _("agenda calendar links")

    def __str__(self):
        return f"agenda feed of user {self.user_id}"
