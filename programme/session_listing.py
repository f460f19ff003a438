"""The admin's list of sessions: a flat page listing with day, time and room columns and filters by conference day,
room and track, sorted by time (the explorer sorts by "Updated", which tells an organiser nothing)."""

from datetime import date, timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Locale

from conference.models import ConferencePage

from .models import Room, SessionPage, Track


def conference_day_choices(request=None):
    """("<conference pk>:<date>", "Conference – Tue 4 Apr") for every day of every conference."""
    choices = []
    for conference in ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date"):
        choices.extend(
            (f"{conference.pk}:{day.isoformat()}", f"{conference.title} – {day.strftime('%a %d %b')}")
            for day in conference.days
        )
    return choices


class DayFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=conference_day_choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        conference_pk, _separator, day = value.partition(":")
        conference = ConferencePage.objects.filter(pk=conference_pk).first() if conference_pk.isdigit() else None
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return qs.none()
        if conference is None:
            return qs.none()
        # The day at the conference, in its own time zone.
        first = conference.local_datetime(day)
        return qs.descendant_of(conference).filter(start__gte=first, start__lt=first + timedelta(days=1))


class SessionFilterSet(PageFilterSet):
    day = DayFilter(label=_("Day"), empty_label=_("Any day"))
    room = django_filters.ModelMultipleChoiceFilter(label=_("Room"), queryset=Room.objects.select_related("conference"))
    track = django_filters.ModelMultipleChoiceFilter(label=_("Track"), queryset=Track.objects.all())

    class Meta:
        model = SessionPage
        fields = []


class SessionTimeColumn(Column):
    """A session's local day or time at its conference."""

    def __init__(self, name, *, part, **kwargs):
        super().__init__(name, **kwargs)
        self.part = part

    def get_value(self, instance):
        conference = ConferencePage.for_page(instance)
        tzinfo = conference.canonical.tzinfo if conference else timezone.get_current_timezone()
        start, end = timezone.localtime(instance.start, tzinfo), timezone.localtime(instance.end, tzinfo)
        if self.part == "day":
            return start.strftime("%a %Y-%m-%d")
        return f"{start:%H:%M}–{end:%H:%M}"


class SessionIndexView(IndexView):
    default_ordering = "start"

    def get_base_queryset(self):
        # Times and rooms are the default-language session's (translations carry only title and abstract).
        return super().get_base_queryset().filter(locale=Locale.get_default()).select_related("room", "track")

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "start", "-start", "room__name", "-room__name"]


class SessionListingViewSet(PageListingViewSet):
    model = SessionPage
    icon = "time"
    menu_label = _("Sessions")
    menu_order = 305
    add_to_admin_menu = True
    name = "sessions"
    index_view_class = SessionIndexView
    filterset_class = SessionFilterSet
    columns = [
        *[column for column in IndexView.base_columns if column.name in ("bulk_actions", "title")],
        SessionTimeColumn("day", part="day", label=_("Day"), sort_key="start", width="14%"),
        SessionTimeColumn("time", part="time", label=_("Time"), width="12%"),
        Column("room", label=_("Room"), accessor="room", sort_key="room__name", width="14%"),
        Column("track", label=_("Track"), accessor="track", width="16%"),
        *[column for column in IndexView.base_columns if column.name == "status"],
    ]
