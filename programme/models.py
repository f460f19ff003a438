"""The programme of a conference: rooms and tracks (snippets), sessions and speakers (pages), starred sessions."""

from datetime import UTC

from django.conf import settings
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

from conference.admin_widgets import ColourInput, check_colour
from conference.blocks import BodyBlock
from conference.localized_fields import localized_property
from conference.model_fields import optional_link
from conference.page_caching import KeptRouteMixin, ShareablePageMixin

from . import release_views, views
from .enums import Interpretation, SessionKind, SessionLanguage, SessionStatus, SpeakerRole
from .forms import SessionPageForm

# Schedule releases live in their own module; imported here so that Django registers their models.
from .release_models import ScheduleChange, ScheduleRelease  # noqa: F401
from .widgets import SpeakerChooser


class ProgrammeSnippet(models.Model):
    """What a room and a track share: one conference's named, slugged, ordered entry of its programme."""

    # Each subclass declares its own `conference` foreign key: a related_name written "%(class)ss" here would
    # stand uninterpolated in the migration state and ask for a migration.
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    naming_panels = [FieldPanel("conference"), FieldPanel("name"), FieldPanel("name_ru"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="unique_%(class)s_slug_per_conference")
        ]

    def __str__(self):
        return self.name

    localized_name = localized_property("name")


class Room(ProgrammeSnippet):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="rooms"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=1000)
    accessibility_ru = models.TextField(_("accessibility notes in Russian"), blank=True, max_length=1000)

    panels = [
        *ProgrammeSnippet.naming_panels,
        FieldPanel("capacity"),
        FieldPanel("accessibility"),
        FieldPanel("accessibility_ru"),
        FieldPanel("sort_order"),
    ]

    class Meta(ProgrammeSnippet.Meta):
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    localized_accessibility = localized_property("accessibility")


class Track(ProgrammeSnippet):
    conference = models.ForeignKey(
        "conference.ConferencePage", verbose_name=_("conference"), on_delete=models.CASCADE, related_name="tracks"
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        help_text=_("A dark colour written as #RRGGBB; white text must stay readable on it."),
    )
    description = models.TextField(_("description"), blank=True, max_length=1000)

    panels = [
        *ProgrammeSnippet.naming_panels,
        FieldPanel("colour", widget=ColourInput),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta(ProgrammeSnippet.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def clean(self):
        check_colour(self, "colour")


class ProgrammePage(KeptRouteMixin, RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["conference.ConferencePage"]
    subpage_types = ["programme.SessionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programme")

    @path("")
    def programme(self, request):
        return views.serve_programme(request, self)

    @path("print/")
    def printable(self, request):
        return views.serve_printable_programme(request, self)

    @path("now/")
    def now_and_next(self, request):
        return views.serve_now_and_next(request, self)

    @path("changes/")
    def changes(self, request):
        return release_views.serve_changes(request, self)

    @path("changes/feed/")
    def changes_feed(self, request):
        return release_views.serve_changes_feed(request, self)

    @path("schedule.ics/")
    def schedule_ics(self, request):
        return views.serve_export(request, self, "ics")

    @path("schedule.xml/")
    def schedule_xml(self, request):
        return views.serve_export(request, self, "xml")

    @path("schedule.json/")
    def schedule_json(self, request):
        return views.serve_export(request, self, "json")


class SessionPage(KeptRouteMixin, RoutablePageMixin, Page):
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.PANEL)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    abstract = StreamField(BodyBlock(), blank=True, verbose_name=_("abstract"))
    language = models.CharField(
        _("language"), max_length=10, choices=SessionLanguage.choices, default=SessionLanguage.ENGLISH
    )
    interpretation = models.CharField(_("interpretation"), max_length=10, choices=Interpretation.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
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
        """What a session page shows: facts from the default-language session, title and abstract from this page."""
        context = super().get_context(request, *args, **kwargs)
        facts = self.default_language_session
        conference = views.conference_or_404(self)
        canonical = conference.canonical
        links = list(facts.speaker_links.all())
        translated = {}
        if self.locale_id != Locale.get_default().pk and links:
            keys = [link.speaker.translation_key for link in links]
            translated = {
                speaker.translation_key: speaker
                for speaker in SpeakerPage.objects.live().filter(locale=self.locale_id, translation_key__in=keys)
            }
        speakers = [
            {
                "page": translated.get(link.speaker.translation_key, link.speaker),
                "organisation": link.speaker.organisation,
                "role_label": SpeakerRole(link.role).label if link.role in SpeakerRole.values else None,
                "is_moderator": link.role == SpeakerRole.MODERATOR,
            }
            for link in links
            if link.speaker.live
        ]
        context.update(
            {
                "facts": facts,
                "conference": conference,
                "local_start": facts.start.astimezone(canonical.tzinfo) if facts.start else None,
                "local_end": facts.end.astimezone(canonical.tzinfo) if facts.end else None,
                "time_zone": canonical.time_zone,
                "speakers": speakers,
                "abstract": self.abstract if len(self.abstract) else facts.abstract,
                "kind_label": views.choice_label(SessionKind, facts.kind),
                "language_label": views.choice_label(SessionLanguage, facts.language),
                "interpretation_label": views.choice_label(Interpretation, facts.interpretation)
                if facts.interpretation
                else "",
                "is_cancelled": facts.status == SessionStatus.CANCELLED,
                "venue": canonical.venue,
                "calendar_url": views.session_calendar_url(request, self, conference),
                "star_session": facts,
            }
        )
        return context

    def room_clash(self, *, room, start, end):
        """The first published, not cancelled, default-language session other than this one that uses `room`
        at an overlapping time, or None."""
        sessions = SessionPage.objects.live().filter(
            locale=Locale.get_default(), room=room, start__lt=end, end__gt=start, status=SessionStatus.SCHEDULED
        )
        if self.pk:
            sessions = sessions.exclude(pk=self.pk)
        return sessions.order_by("start").first()

    def speaker_conflicts(self):
        """[(speaker, other session)] for each speaker of this session (its current, possibly unsaved, speaker
        list) who is also in another published, scheduled default-language session at an overlapping time."""
        if self.locale_id != Locale.get_default().pk or not self.start or not self.end:
            return []
        # A speaker listed twice (say, as speaker and moderator) is one person with one conflict.
        links = [link for link in self.speaker_links.all() if link.speaker_id]
        speakers = list({link.speaker_id: link.speaker for link in links}.values())
        if not speakers:
            return []
        others = (
            SessionPage.objects.live()
            .filter(
                locale=self.locale_id,
                status=SessionStatus.SCHEDULED,
                start__lt=self.end,
                end__gt=self.start,
                speaker_links__speaker__in=speakers,
            )
            .exclude(pk=self.pk)
            .distinct()
            .prefetch_related("speaker_links")
        )
        conflicts = []
        for other in others:
            other_speaker_ids = {link.speaker_id for link in other.speaker_links.all()}
            conflicts.extend((speaker, other) for speaker in speakers if speaker.pk in other_speaker_ids)
        return conflicts

    @path("")
    def session_page(self, request):
        return views.serve_session_page(request, self)

    @path("session.ics/")
    def session_ics(self, request):
        return views.serve_session_ics(request, self)


class SessionSpeaker(Orderable):
    session = ParentalKey(SessionPage, related_name="speaker_links", on_delete=models.CASCADE)
    speaker = models.ForeignKey(
        "programme.SpeakerPage", verbose_name=_("speaker"), on_delete=models.CASCADE, related_name="session_links"
    )
    role = models.CharField(_("role"), max_length=20, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER)

    panels = [FieldPanel("speaker", widget=SpeakerChooser), FieldPanel("role")]


class SpeakerIndexPage(KeptRouteMixin, ShareablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["conference.ConferencePage"]
    subpage_types = ["programme.SpeakerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("speaker index")

    def get_context(self, request, *args, **kwargs):
        """Every speaker of the conference, in this page's language where translated; an untranslated speaker
        keeps this language's address prefix (HomePage.route serves the default-language page there)."""
        context = super().get_context(request, *args, **kwargs)
        index_url = self.get_url(request) or ""
        default_locale = Locale.get_default()
        default_index = self if self.locale_id == default_locale.pk else self.get_translation_or_none(default_locale)
        speakers = {
            speaker.translation_key: speaker
            for speaker in SpeakerPage.objects.child_of(self).live().select_related("photo")
        }
        if default_index is not None and default_index.pk != self.pk:
            for speaker in SpeakerPage.objects.child_of(default_index).live().select_related("photo"):
                speakers.setdefault(speaker.translation_key, speaker)
        listed = sorted(speakers.values(), key=lambda speaker: speaker.title.lower())
        context["speakers"] = [{"page": speaker, "url": f"{index_url}{speaker.slug}/"} for speaker in listed]
        return context


class SpeakerLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=60)
    url = blocks.URLBlock(label=_("Address"))


class SpeakerPage(KeptRouteMixin, ShareablePageMixin, Page):
    """A speaker; the page title is the speaker's name."""

    photo = optional_link("wagtailimages.Image", _("photo"))
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
        """The speaker's sessions, from the gathered programme in the page's language."""
        context = super().get_context(request, *args, **kwargs)
        default_locale = Locale.get_default()
        default_pk = self.pk
        if self.locale_id != default_locale.pk:
            default = SpeakerPage.objects.filter(translation_key=self.translation_key, locale=default_locale).first()
            default_pk = default.pk if default else None
        schedule = views.schedule_for(self)
        sessions = [
            session for session in schedule.sessions if any(speaker.id == default_pk for speaker in session.speakers)
        ]
        context.update({"schedule": schedule, "session_rows": views.session_rows(schedule, sessions)})
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
    # The latest release that changed this session since the attendee last looked: /my/ marks it until they
    # press "Mark as seen" (programme.change_notices).
    changed_in = models.ForeignKey(
        ScheduleRelease,
        verbose_name=_("changed in release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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


class NotificationPreference(models.Model):
    """What an attendee wants to hear from us by email beyond their registration; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    schedule_changes = models.BooleanField(
        _("email me when a session in my agenda changes"),
        default=True,
    )
    # The language the attendee last used on /my/, for emails when no registration tells it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"notification preference of user {self.user_id}"
