"""The snippet viewsets for registration types (with their seat counts) and registrations."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from registration.models import Registration, RegistrationType
from registration.widgets import country_name

from .filters import RegistrationFilterSet
from .views import RegistrationEditView, RegistrationIndexView, RegistrationInspectView, RegistrationTypeIndexView


class RegistrationTypeViewSet(SnippetViewSet):
    model = RegistrationType
    icon = "tag"
    menu_label = _("Registration types")
    index_view_class = RegistrationTypeIndexView
    list_filter = ["conference"]
    copy_view_enabled = True
    list_display = [
        "name",
        "conference",
        Column("capacity", label=_("Capacity"), sort_key="capacity"),
        Column("confirmed_count", label=_("Confirmed"), sort_key="confirmed_count"),
        Column("pending_count", label=_("Pending"), sort_key="pending_count"),
        Column("waitlisted_count", label=_("Waiting list"), sort_key="waitlisted_count"),
        Column("seats_left", label=_("Remaining"), sort_key="seats_left"),
    ]
    list_export = [
        "conference",
        "name",
        "slug",
        "capacity",
        "confirmed_count",
        "pending_count",
        "waitlisted_count",
        "seats_left",
    ]
    export_headings = {
        "confirmed_count": _("Confirmed"),
        "pending_count": _("Pending"),
        "waitlisted_count": _("Waiting list"),
        "seats_left": _("Remaining"),
    }

    def get_queryset(self, request):
        return RegistrationType.objects.select_related("conference").with_seat_counts()


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RegistrationIndexView
    edit_view_class = RegistrationEditView
    inspect_view_class = RegistrationInspectView
    list_per_page = 50
    list_display = [
        "full_name",
        "badge_name",
        "registration_type",
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("country", label=_("Country"), accessor=lambda registration: country_name(registration.country)),
        DateColumn("created_at", label=_("Registered"), sort_key="created_at"),
    ]
    filterset_class = RegistrationFilterSet
    search_fields = ["full_name", "badge_name", "organisation", "user__email"]
    search_backend_name = None
    list_export = [
        "id",
        "conference",
        "registration_type",
        "status",
        *Registration.ANSWER_FIELDS,
        "email",
        "language",
        "created_at",
    ]
    export_headings = {"email": _("Email")}
    export_filename = "registrations"
    panels = [
        FieldPanel("registration_type", help_text=_("Changing it moves the registration through the seat rules.")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("full_name"), FieldPanel("badge_name")]),
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("country")]),
                FieldPanel("role"),
            ],
            heading=_("Attendee"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("dietary_needs"),
                FieldPanel("accessibility_needs"),
                FieldRowPanel([FieldPanel("interpretation_language"), FieldPanel("photo_consent")]),
            ],
            heading=_("Needs and consent"),
        ),
    ]

    def get_queryset(self, request):
        return Registration.objects.select_related("registration_type", "conference", "user").prefetch_related(
            "answers__question"
        )


class RegistrationsGroup(SnippetViewSetGroup):
    menu_label = _("Registrations")
    menu_icon = "group"
    menu_order = 250
    items = (RegistrationViewSet, RegistrationTypeViewSet)
