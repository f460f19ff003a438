"""Registrations: types with capacities, attendees' registrations, their audit trail, badges' keys,
check-ins and scan attempts, and which emails of the mail log are about which registration."""

import secrets
from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from conference.admin_widgets import ColourInput, check_colour
from conference.email_proof import PendingEmailProof
from conference.localized_fields import localized_property
from conference.models import window_is_open
from conference.search_keys import search_key

from .enums import ACTIVE_STATUSES, EmailKind, InterpretationLanguage, RegistrationStatus, Role, ScanResult


class RegistrationTypeQuerySet(models.QuerySet):
    def with_seat_counts(self):
        """Annotate confirmed_count, pending_count, waitlisted_count and seats_left (confirmed seats still free,
        never below zero): the one place seats are counted, for the admin, the form and the services."""
        return self.annotate(
            confirmed_count=_count_of(RegistrationStatus.CONFIRMED),
            pending_count=_count_of(RegistrationStatus.PENDING),
            waitlisted_count=_count_of(RegistrationStatus.WAITLISTED),
        ).annotate(seats_left=Greatest(F("capacity") - F("confirmed_count"), Value(0)))

    def recount_seats(self):
        """Set each type's confirmed_seats counter to the real count (check_seat_counts --fix, bulk loads)."""
        confirmed = (
            Registration.objects.filter(registration_type=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
            .order_by()
            .values("registration_type")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.update(confirmed_seats=Coalesce(Subquery(confirmed), 0))

    def with_wrong_seat_counters(self):
        """The types whose confirmed_seats counter differs from the real count, annotated with confirmed_count."""
        return self.annotate(confirmed_count=_count_of(RegistrationStatus.CONFIRMED)).exclude(
            confirmed_seats=F("confirmed_count")
        )


def _count_of(status):
    return Count("registrations", filter=Q(registrations__status=status))


class RegistrationType(ClusterableModel):
    conference = models.ForeignKey(
        "conference.ConferencePage",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="registration_types",
    )
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    description_ru = models.TextField(_("description in Russian"), blank=True, max_length=1000)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats that can be confirmed."))
    needs_approval = models.BooleanField(
        _("needs approval"), default=False, help_text=_("Registrations wait for an organiser (e.g. scholarships).")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    badge_colour = models.CharField(_("badge colour"), max_length=7, default="#1f5f8b")
    # Confirmed registrations of this type, kept by registration/services.py in the transaction that changes a
    # status, under this row's lock: deciding a seat reads one row however many registrations there are. The
    # count itself stays the truth; `manage.py check_seat_counts` compares the two.
    confirmed_seats = models.PositiveIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = RegistrationTypeQuerySet.as_manager()

    panels = [
        FieldPanel("conference"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_ru"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldPanel("description_ru"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("needs_approval")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])], heading=_("Open for registration")
        ),
        FieldRowPanel([FieldPanel("badge_colour", widget=ColourInput), FieldPanel("sort_order")]),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    class Meta:
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        ordering = ["conference", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["conference", "slug"], name="unique_registration_type_slug")]

    def __str__(self):
        return self.name

    def clean(self):
        check_colour(self, "badge_colour")

    def save(self, **kwargs):
        """Saving a loaded type (the admin's form, a capacity change) leaves confirmed_seats to the services: the
        copy in memory may be older than a registration made meanwhile."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                *(f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "confirmed_seats"),
                *(rel.get_accessor_name() for rel in get_all_child_relations(self)),
            ]
        super().save(**kwargs)

    def is_open(self, now=None):
        """Whether this type takes registrations now (its own window; the conference has one too)."""
        return window_is_open(self.opens_at, self.closes_at, now or timezone.now())

    def count_free_seats(self):
        """Confirmed seats still free, counted now (call with the type's row locked when it decides a seat)."""
        capacity, confirmed = RegistrationType.objects.values_list("capacity", "confirmed_seats").get(pk=self.pk)
        return max(capacity - confirmed, 0)

    @classmethod
    def add_confirmed_seats(cls, registration_type_id, delta):
        """Move the counter by `delta` in the caller's transaction (which holds the type's row lock)."""
        if delta:
            cls.objects.filter(pk=registration_type_id).update(confirmed_seats=F("confirmed_seats") + delta)

    localized_name = localized_property("name")
    localized_description = localized_property("description")


class Registration(models.Model):
    # Registrations point at the conference page but are no content that a page's "usage" should list; skipping
    # the reference index also spares every registration two queries.
    wagtail_reference_index_ignore = True

    # The attendee's answers, in the order the registration form asks them: what the attendee may correct
    # (services.update_details), and the core of the admin's export and inspect lists.
    ANSWER_FIELDS = (
        "full_name",
        "badge_name",
        "organisation",
        "country",
        "role",
        "dietary_needs",
        "accessibility_needs",
        "interpretation_language",
        "photo_consent",
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    conference = models.ForeignKey(
        "conference.ConferencePage",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("conference"),
    )
    registration_type = models.ForeignKey(
        RegistrationType, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("registration type")
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True)
    full_name = models.CharField(_("full name"), max_length=200)
    badge_name = models.CharField(_("name on badge"), max_length=60)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=1000, blank=True)
    interpretation_language = models.CharField(
        _("interpretation"), max_length=5, choices=InterpretationLanguage.choices, blank=True
    )
    photo_consent = models.BooleanField(_("agrees to be photographed"), default=False)
    privacy_consent_at = models.DateTimeField(_("privacy consent given"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en", help_text=_("Emails are sent in it."))
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The door's search key of full name and badge name (conference/search_keys.py), kept by save() and by
    # fill_search_name() before a bulk_create; on PostgreSQL a trigram index (migration 0006) serves its
    # substring look-ups.
    search_name = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conference"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_user_and_conference",
            )
        ]
        indexes = [models.Index(fields=["registration_type", "status", "created_at"], name="registration_queue_idx")]

    def __str__(self):
        return f"{self.badge_name or self.full_name or _('anonymised')} ({self.get_status_display()})"

    def save(self, *args, update_fields=None, **kwargs):
        self.fill_search_name()
        if update_fields is not None and {"full_name", "badge_name"} & set(update_fields):
            update_fields = {*update_fields, "search_name"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def fill_search_name(self):
        """Set the door's search key from the names (what save() does; bulk_create skips save())."""
        self.search_name = search_key(self.full_name, self.badge_name)

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def email(self):
        """The account's email; empty for anonymised registrations and walk-ins without an account."""
        return self.user.email if self.user_id else ""

    @property
    def waitlist_position(self):
        """1 for the next person to get a seat of this type; None when not on the waiting list."""
        if self.status != RegistrationStatus.WAITLISTED:
            return None
        if getattr(self, "queue_position", None) is not None:  # set by add_waitlist_positions
            return self.queue_position
        queue = Registration.objects.filter(
            registration_type_id=self.registration_type_id, status=RegistrationStatus.WAITLISTED
        )
        ahead = queue.filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
        return ahead.count() + 1

    @property
    def answers_text(self):
        """The answers to the type's questions as one text, for the admin's export and view."""
        # .all() so that the export's prefetch_related("answers__question") serves every row without a query.
        answers = sorted(self.answers.all(), key=lambda answer: (answer.question.sort_order or 0, answer.question_id))
        return "; ".join(
            f"{answer.question.text}: {answer.display_value(settings.LANGUAGE_CODE)}" for answer in answers
        )

    def is_editable(self, now=None):
        """The attendee may change their details while the registration is active and registration is open."""
        if not self.is_active or self.anonymised_at is not None:
            return False
        now = now or timezone.now()
        # Details stay editable after the type's opening (it has been open), until it or the conference closes.
        if not window_is_open(None, self.registration_type.closes_at, now):
            return False
        return self.conference.registration_is_open(now)


def add_waitlist_positions(registrations):
    """Set `queue_position` (what waitlist_position answers) on the waitlisted ones among `registrations` in one
    query of their types' queues, instead of a count per registration; no query when none is waitlisted."""
    waiting = [registration for registration in registrations if registration.status == RegistrationStatus.WAITLISTED]
    if not waiting:
        return
    queues = Registration.objects.filter(
        registration_type_id__in={registration.registration_type_id for registration in waiting},
        status=RegistrationStatus.WAITLISTED,
    ).order_by("created_at", "pk")
    positions, lengths = {}, Counter()
    for type_id, pk in queues.values_list("registration_type_id", "pk"):
        lengths[type_id] += 1
        positions[pk] = lengths[type_id]
    for registration in waiting:
        registration.queue_position = positions.get(registration.pk)


class RegistrationStatusChange(models.Model):
    """The audit trail: every status change, who made it and when."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        # Ids, not related objects: printing an audit row must not cost a query.
        return f"registration {self.registration_id}: {self.from_status or '-'} → {self.to_status}"


class BadgeSigningKey(models.Model):
    """A conference's Ed25519 key pair; the private half is stored encrypted with a key from SECRET_KEY."""

    conference = models.OneToOneField(
        "conference.ConferencePage", on_delete=models.CASCADE, related_name="badge_signing_key"
    )
    public_key = models.BinaryField()
    encrypted_private_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"badge signing key of conference {self.conference_id}"


class CheckIn(models.Model):
    """One per registration and conference day: the first valid scan of that day."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="checkins")
    conference = models.ForeignKey("conference.ConferencePage", on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField(help_text=_("The date in the conference's time zone."))
    checked_in_at = models.DateTimeField()
    gate = models.CharField(max_length=60, blank=True)
    device = models.CharField(max_length=100, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_checkin_per_registration_and_day")
        ]
        indexes = [models.Index(fields=["conference", "day"], name="checkin_conference_day_idx")]

    def __str__(self):
        return f"registration {self.registration_id} checked in on {self.day:%Y-%m-%d}"


class ScanAttempt(models.Model):
    """The audit log of every scan, valid or not. The nonce makes a retried scan count once."""

    conference = models.ForeignKey("conference.ConferencePage", null=True, on_delete=models.SET_NULL, related_name="+")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    code_excerpt = models.CharField(max_length=60, blank=True)
    result = models.CharField(max_length=30, choices=ScanResult.choices)
    nonce = models.CharField(max_length=64, null=True, blank=True, unique=True)
    gate = models.CharField(max_length=60, blank=True)
    device = models.CharField(max_length=100, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scanned_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text=_("When the door device scanned (offline scans arrive later).")
    )
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    offline = models.BooleanField(default=False)
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-scanned_at"]
        verbose_name = _("scan attempt")
        verbose_name_plural = _("scan attempts")
        indexes = [models.Index(fields=["conference", "-scanned_at"], name="scanattempt_conference_idx")]

    def __str__(self):
        return f"{self.result} at {self.scanned_at:%Y-%m-%d %H:%M:%S}"


class DoorAssignment(models.Model):
    """A door-staff account may work the door of this conference (organisers may work every door)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="door_assignments", verbose_name=_("account")
    )
    conference = models.ForeignKey(
        "conference.ConferencePage",
        on_delete=models.CASCADE,
        related_name="door_assignments",
        verbose_name=_("conference"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("door assignment")
        verbose_name_plural = _("door assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "conference"], name="one_door_assignment_per_conference")
        ]

    def __str__(self):
        return f"{self.user} @ {self.conference}"


class PendingRegistration(PendingEmailProof):
    """A visitor's submitted form, kept until they confirm their email (CONTRACT.md "Registration"). It takes no
    seat; the code and the link token are stored only as hashes, and wrong codes are counted."""

    # The salt codes were hashed with before conference.email_proof existed: codes in flight still work.
    CODE_SALT = "registration.signup_flow.code"

    conference = models.ForeignKey("conference.ConferencePage", on_delete=models.CASCADE, related_name="+")
    form_data = models.JSONField(help_text=_("The submitted form, validated again when the email is confirmed."))

    class Meta:
        verbose_name = _("registration awaiting email confirmation")
        verbose_name_plural = _("registrations awaiting email confirmation")


class PendingAccountDeletion(PendingEmailProof):
    """An account without a usable password asking to be deleted, kept until its owner types the emailed code
    (registration/account_deletion.py). Deleted with the account, or replaced by the owner's next request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("account deletion awaiting its code")
        verbose_name_plural = _("account deletions awaiting their code")


class VisaLetterSettings(models.Model):
    """What organisers put on a conference's visa invitation letters: signatory and text, English and Russian."""

    conference = models.OneToOneField(
        "conference.ConferencePage",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="visa_letter_settings",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200)
    signatory_title = models.CharField(_("signatory's title"), max_length=200)
    signatory_title_ru = models.CharField(_("signatory's title in Russian"), max_length=200, blank=True)
    letter_text = models.TextField(
        _("letter text"),
        max_length=4000,
        help_text=_("The body of the letter in English. The holder's details, dates and reference are added to it."),
    )
    letter_text_ru = models.TextField(
        _("letter text in Russian"),
        max_length=4000,
        blank=True,
        help_text=_("Optional. Printed alongside the English text as a translation."),
    )

    panels = [
        FieldPanel("conference"),
        FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title"), FieldPanel("signatory_title_ru")]),
        FieldPanel("letter_text"),
        FieldPanel("letter_text_ru"),
    ]

    class Meta:
        verbose_name = _("visa letter settings")
        verbose_name_plural = _("visa letter settings")

    def __str__(self):
        return str(self.conference)


def new_visa_reference():
    """128 bits from the OS's CSPRNG: a consulate checks the letter by it, nobody can guess another one."""
    return secrets.token_urlsafe(16)


class VisaLetterRequest(models.Model):
    """An attendee's request for a visa invitation letter, with the passport details printed on it."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STATUS_CHOICES = [
        (REQUESTED, _("Requested")),
        (APPROVED, pgettext_lazy("visa letter", "Approved")),
        (REFUSED, _("Refused")),
        (WITHDRAWN, _("Withdrawn")),
    ]
    PASSPORT_FIELDS = ("passport_name", "passport_number", "nationality", "date_of_birth")

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="visa_letter"
    )
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=REQUESTED, db_index=True)
    passport_name = models.CharField(_("name as in the passport"), max_length=200, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=32, unique=True, default=new_visa_reference, editable=False)
    refusal_reason = models.TextField(_("reason for refusal"), max_length=1000, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("visa letter request")
        verbose_name_plural = _("visa letter requests")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.passport_name or _('anonymised')} ({self.get_status_display()})"

    @property
    def is_downloadable(self):
        return self.status == self.APPROVED and bool(self.passport_name)


class RegistrationQuestion(Orderable):
    """A question organisers ask with one registration type (e.g. "Why do you need a scholarship?")."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"
    YES_NO = "yes_no"
    KIND_CHOICES = [
        (SHORT_TEXT, _("Short text")),
        (LONG_TEXT, _("Long text")),
        (ONE_CHOICE, _("One choice")),
        (SEVERAL_CHOICES, _("Several choices")),
        (YES_NO, _("Yes or no")),
    ]

    registration_type = ParentalKey(RegistrationType, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    text_ru = models.CharField(_("question in Russian"), max_length=300, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=KIND_CHOICES, default=SHORT_TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, max_length=3000, help_text=_("For one or several choices: one choice a line.")
    )
    choices_ru = models.TextField(
        _("choices in Russian"),
        blank=True,
        max_length=3000,
        help_text=_("The same choices in the same order, one a line. Leave empty to show the English ones."),
    )

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("text_ru")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("choices"), FieldPanel("choices_ru")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self):
        return self.text

    localized_text = localized_property("text")

    def choice_list(self, language=None):
        """(stored value, label) pairs: the English line is stored, the Russian one shown when given."""
        english = [line.strip() for line in self.choices.splitlines() if line.strip()]
        russian = [line.strip() for line in self.choices_ru.splitlines() if line.strip()]
        if (language or "").startswith("ru") and len(russian) == len(english):
            return list(zip(english, russian, strict=True))
        return [(choice, choice) for choice in english]


class RegistrationAnswer(models.Model):
    """One registration's answer to one question: text, a choice, a list of choices, or true/false."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RegistrationQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_registration_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.display_value(settings.LANGUAGE_CODE)}"

    def display_value(self, language=None):
        """The answer as text, choices in `language` (default: the active one) as the form showed them; the stored
        value is the default language's choice."""
        if isinstance(self.value, bool):
            return str(_("Yes") if self.value else _("No"))
        labels = {}
        if self.question.kind in (RegistrationQuestion.ONE_CHOICE, RegistrationQuestion.SEVERAL_CHOICES):
            labels = dict(self.question.choice_list(language or get_language()))
        values = self.value if isinstance(self.value, list) else [self.value]
        return ", ".join(str(labels.get(value, value) if isinstance(value, str) else value) for value in values)


class WorkshopSignup(models.Model):
    """A confirmed attendee's place (or place in the queue) in a session with limited sign-up places."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [(CONFIRMED, _("Signed up")), (WAITLISTED, _("Waiting list")), (CANCELLED, _("Cancelled"))]
    ACTIVE_STATUSES = (CONFIRMED, WAITLISTED)

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="workshop_signups")
    session = models.ForeignKey("programme.SessionPage", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workshop sign-up")
        verbose_name_plural = _("workshop sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_signup_per_registration_and_session",
            )
        ]

    def __str__(self):
        return f"{self.registration_id} in {self.session_id} ({self.status})"


class RegistrationEmail(models.Model):
    """Which emails of the mail log (conference.mail.OutboundEmail) are about a registration, and what each is:
    the registration's page lists them. Goes when the email leaves the log."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    email = models.OneToOneField("conference.OutboundEmail", on_delete=models.CASCADE, related_name="registration_link")
    kind = models.CharField(_("email"), max_length=30, choices=EmailKind.choices)
    # The organiser who had it sent again; empty for the emails the registration's own changes send.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registration email")
        verbose_name_plural = _("registration emails")

    def __str__(self):
        return f"{self.kind} for registration {self.registration_id}"
