"""The conferences on the admin's home page (Wagtail's construct_homepage_panels): one panel per current
conference with its registrations by type and status, seats left and waiting lists, visa letters waiting for a
decision, workshops near capacity, emails failed or waiting, check-ins (per day, and today by gate and hour) and
sessions changed since the last schedule release, each figure a link to the list behind it.

Everything is gathered once for all the conferences shown, so the page asks the same number of queries for one
conference or several, few registrations or many."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.models import Locale

from conference.mail import OutboundEmail
from conference.mail_admin import VIEW_PERMISSION as VIEW_MAIL_LOG
from conference.mail_admin import WAITING, log_url
from conference.models import ConferencePage
from programme.models import SessionPage
from programme.release_admin import RELEASE_PERMISSION
from programme.releases import unreleased_sessions
from registration.enums import RegistrationStatus
from registration.models import CheckIn, RegistrationType, VisaLetterRequest, WorkshopSignup
from registration.visa_admin import CHANGE_VISA_LETTERS

from .attendance import VIEW_CHECKINS, VIEW_REGISTRATIONS, checked_in_url

# Conferences that ended longer ago than this leave the home page (the latest one always stays).
SHOWN_AFTER_THE_END = timedelta(days=30)
# A workshop is near capacity when this share of its places is taken, or anyone waits.
NEAR_CAPACITY = 0.8
WORKSHOPS_SHOWN = 6


def shown_conferences(today=None):
    """The conferences the home page shows: running, coming, or ended within SHOWN_AFTER_THE_END; at least the
    latest one."""
    today = today or timezone.now().date()
    conferences = list(ConferencePage.objects.filter(locale=Locale.get_default()).order_by("start_date", "pk"))
    current = [conference for conference in conferences if conference.end_date >= today - SHOWN_AFTER_THE_END]
    return current or conferences[-1:]


def registrations_url(conference, **filters):
    query = urlencode({"conference": conference.pk, **{name: value for name, value in filters.items() if value}})
    return f"{reverse('wagtailsnippets_registration_registration:list')}?{query}"


@dataclass
class TypeFigures:
    registration_type: RegistrationType
    counts: list  # [(status, count, url)] in STATUSES order
    seats_left: int
    list_url: str


@dataclass
class Overview:
    """One conference's figures."""

    conference: ConferencePage
    types: list = field(default_factory=list)  # [TypeFigures]
    totals: list = field(default_factory=list)  # [(status, count, url)] in STATUSES order
    seats_left: int = 0
    visa_waiting: tuple = (0, "")  # (count, url)
    workshops: list = field(default_factory=list)  # [{session, taken, capacity, waiting, url}]
    emails: dict = field(default_factory=dict)  # {"failed"|"waiting": (count, url)}
    days: list = field(default_factory=list)  # [(day, count, url)]
    today: object = None
    gates_today: list = field(default_factory=list)  # [(gate, count)]
    hours_today: list = field(default_factory=list)  # [(hour, count, bar width %)]
    dashboard_url: str = ""
    release_name: str | None = None
    unreleased: int = 0
    release_url: str = ""


STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def conference_overviews(conferences):
    """{conference pk: Overview} for `conferences`, in a fixed number of queries."""
    overviews = {conference.pk: Overview(conference=conference) for conference in conferences}
    _registrations(overviews)
    _visa_letters(overviews)
    _workshops(overviews)
    _emails(overviews)
    _checkins(overviews)
    for pk, (name, count) in unreleased_sessions(conferences).items():
        overview = overviews[pk]
        overview.release_name, overview.unreleased = name, count
        overview.release_url = f"{reverse('programme_releases')}?{urlencode({'conference': pk})}"
    return overviews


def _registrations(overviews):
    types = (
        RegistrationType.objects.filter(conference__in=list(overviews))
        .with_seat_counts()
        .annotate(cancelled_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CANCELLED)))
        .order_by("sort_order", "name")
    )
    for registration_type in types:
        overview = overviews[registration_type.conference_id]
        conference = overview.conference
        counts = {
            RegistrationStatus.CONFIRMED: registration_type.confirmed_count,
            RegistrationStatus.PENDING: registration_type.pending_count,
            RegistrationStatus.WAITLISTED: registration_type.waitlisted_count,
            RegistrationStatus.CANCELLED: registration_type.cancelled_count,
        }
        overview.types.append(
            TypeFigures(
                registration_type=registration_type,
                counts=[
                    (
                        status,
                        count,
                        registrations_url(conference, registration_type=registration_type.pk, status=status),
                    )
                    for status, count in counts.items()
                ],
                seats_left=registration_type.seats_left,
                list_url=registrations_url(conference, registration_type=registration_type.pk),
            )
        )
        overview.seats_left += registration_type.seats_left
    for overview in overviews.values():
        overview.totals = [
            (
                status,
                sum(count for figures in overview.types for each, count, _url in figures.counts if each == status),
                registrations_url(overview.conference, status=status),
            )
            for status in STATUSES
        ]


def _visa_letters(overviews):
    waiting = dict(
        VisaLetterRequest.objects.filter(
            status=VisaLetterRequest.REQUESTED, registration__conference__in=list(overviews)
        )
        .values_list("registration__conference")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for pk, overview in overviews.items():
        query = urlencode({"conference": overview.conference.slug, "status": VisaLetterRequest.REQUESTED})
        overview.visa_waiting = (waiting.get(pk, 0), f"{reverse('visa_letters_admin:requests')}?{query}")


def _workshops(overviews):
    under = Q(pk__in=[])
    for overview in overviews.values():
        under |= Q(path__startswith=overview.conference.path)
    with_places = SessionPage.objects.filter(under, locale=Locale.get_default(), signup_capacity__isnull=False)
    sessions = list(with_places.only("pk", "title", "path", "signup_capacity").order_by("start", "pk"))
    # A subquery, not the list: an empty list would skip the query and make the count vary.
    counts = {
        session_id: (confirmed, waiting)
        for session_id, confirmed, waiting in WorkshopSignup.objects.filter(session__in=with_places.values("pk"))
        .values_list("session")
        .annotate(
            confirmed=Count("pk", filter=Q(status=WorkshopSignup.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=WorkshopSignup.WAITLISTED)),
        )
        .values_list("session", "confirmed", "waiting")
        .order_by()
    }
    for session in sessions:
        taken, waiting = counts.get(session.pk, (0, 0))
        if not waiting and taken < NEAR_CAPACITY * session.signup_capacity:
            continue
        overview = next(o for o in overviews.values() if session.path.startswith(o.conference.path))
        overview.workshops.append(
            {
                "session": session,
                "taken": taken,
                "capacity": session.signup_capacity,
                "waiting": waiting,
                "url": registrations_url(overview.conference, workshop=session.pk),
            }
        )
    for overview in overviews.values():
        overview.workshops.sort(key=lambda item: (-item["taken"] / max(item["capacity"], 1), -item["waiting"]))
        del overview.workshops[WORKSHOPS_SHOWN:]


def _emails(overviews):
    counts = {}
    for conference_id, status, count in (
        OutboundEmail.objects.filter(conference__in=list(overviews))
        .exclude(status=OutboundEmail.SENT)
        .values_list("conference", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        kind = "failed" if status == OutboundEmail.FAILED else WAITING
        counts[conference_id, kind] = counts.get((conference_id, kind), 0) + count
    for pk, overview in overviews.items():
        overview.emails = {
            kind: (counts.get((pk, kind), 0), log_url(conference=pk, status=status))
            for kind, status in (("failed", OutboundEmail.FAILED), (WAITING, WAITING))
        }


def _checkins(overviews):
    now = timezone.now()
    today_at = Q(pk__in=[])
    for overview in overviews.values():
        overview.today = overview.conference.today(now)
        today_at |= Q(conference=overview.conference, day=overview.today)
    per_day = {}
    for conference_id, day, count in (
        CheckIn.objects.filter(conference__in=list(overviews))
        .values_list("conference", "day")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        per_day[conference_id, day] = count
    gates, hours = {}, {}
    for conference_id, gate, moment in CheckIn.objects.filter(today_at).values_list(
        "conference", "gate", "checked_in_at"
    ):
        conference = overviews[conference_id].conference
        gates.setdefault(conference_id, {}).setdefault(gate, 0)
        gates[conference_id][gate] += 1
        hour = moment.astimezone(conference.tzinfo).hour
        hours.setdefault(conference_id, {}).setdefault(hour, 0)
        hours[conference_id][hour] += 1
    for pk, overview in overviews.items():
        conference = overview.conference
        days = sorted(set(conference.days) | {day for (conference_id, day) in per_day if conference_id == pk})
        overview.days = [(day, per_day.get((pk, day), 0), checked_in_url(conference, day)) for day in days]
        overview.gates_today = sorted(gates.get(pk, {}).items(), key=lambda item: (-item[1], item[0]))
        by_hour = hours.get(pk, {})
        busiest = max(by_hour.values(), default=0)
        overview.hours_today = [
            (hour, by_hour.get(hour, 0), round(100 * by_hour.get(hour, 0) / busiest))
            for hour in range(min(by_hour, default=0), max(by_hour, default=-1) + 1)
        ]
        overview.dashboard_url = (
            f"{reverse('checkin_admin:dashboard')}?{urlencode({'conference': conference.slug, 'day': overview.today})}"
        )


class ConferencePanel(Component):
    """One conference's panel on the admin's home page."""

    template_name = "registration/admin/conference_panel.html"
    order = 50  # above Wagtail's own panels (pages to moderate, recent edits)

    def __init__(self, overview):
        self.overview = overview

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "overview": self.overview,
            "conference": self.overview.conference,
            "may": {
                "visa": user.has_perm(CHANGE_VISA_LETTERS),
                "mail": user.has_perm(VIEW_MAIL_LOG),
                "checkins": user.has_perm(VIEW_CHECKINS),
                "release": user.has_perm(RELEASE_PERMISSION),
            },
            "search_url": reverse("wagtailsnippets_registration_registration:list"),
            "status_labels": dict(RegistrationStatus.choices),
        }


def add_conference_panels(request, panels):
    """construct_homepage_panels: the conferences first, for those who may see registrations."""
    if not request.user.has_perm(VIEW_REGISTRATIONS):
        return
    overviews = conference_overviews(shown_conferences())
    panels[:0] = [ConferencePanel(overview) for overview in overviews.values()]
