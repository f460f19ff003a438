"""Admin registration for registration types, registrations and check-ins.

Organisers see per type the capacity and its confirmed, pending, waitlisted and remaining seats; they
filter, search, inspect, edit and export registrations, and approve or reject them in bulk. Every status
or type change made here goes through registration.services (audit trail and emails); the admin never
adds or deletes a registration, which come from the form and end by cancellation."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from registration import services

from . import checkin_admin  # noqa: F401  (check-in dashboard and reports register their own hooks)
from .models import Registration, RegistrationType

FORBIDDEN_ACTIONS = {"add", "delete"}


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """Organisers change registrations; nobody adds or deletes them in the admin (seats and audit trail)."""

    def user_has_permission(self, user, action):
        return action not in FORBIDDEN_ACTIONS and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in FORBIDDEN_ACTIONS or (action == "change" and instance.anonymised_at is not None):
            return False  # an anonymised registration stays anonymous
        return super().user_has_permission_for_instance(user, action, instance)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in FORBIDDEN_ACTIONS]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


register_permission_policy(Registration, RegistrationPermissionPolicy(Registration))


def count_of(status):
    return Count("registrations", filter=Q(registrations__status=status))


class RegistrationTypeViewSet(SnippetViewSet):
    model = RegistrationType
    icon = "tag"
    menu_label = _("Registration types")
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
        return (
            RegistrationType.objects.select_related("conference")
            .annotate(
                confirmed_count=count_of(Registration.CONFIRMED),
                pending_count=count_of(Registration.PENDING),
                waitlisted_count=count_of(Registration.WAITLISTED),
            )
            .annotate(seats_left=Greatest(F("capacity") - F("confirmed_count"), Value(0)))
        )


class RegistrationEditView(EditView):
    """Saves through the services: details with update_details, a new type with change_type. A cancelled
    registration keeps its type (register again instead); anonymised ones are not editable (permission policy)."""

    def save_instance(self):
        registration = self.form.instance
        stored_type_id = Registration.objects.values_list("registration_type_id", flat=True).get(pk=registration.pk)
        if registration.anonymised_at is None:
            details = {
                name: self.form.cleaned_data[name]
                for name in services.EDITABLE_FIELDS
                if name in self.form.cleaned_data
            }
            services.update_details(registration=registration, details=details, by=self.request.user)
        new_type = self.form.cleaned_data.get("registration_type")
        if registration.is_active and new_type is not None and new_type.pk != stored_type_id:
            registration.registration_type_id = stored_type_id
            services.change_type(registration=registration, registration_type=new_type, by=self.request.user)
        registration.refresh_from_db()
        return registration

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "registration_type" in form.fields:
            form.fields["registration_type"].queryset = RegistrationType.objects.filter(
                conference_id=self.object.conference_id
            )
            if not self.object.is_active:
                form.fields["registration_type"].disabled = True
        return form


def neutralise_formula(value):
    """Attendees type these texts: a leading =, +, -, @ would run as a formula when an organiser opens the CSV
    in a spreadsheet program, so such a cell starts with an apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class RegistrationIndexView(IndexView):
    custom_value_preprocess = {str: {"csv": neutralise_formula}, **IndexView.custom_value_preprocess}


class RegistrationInspectView(InspectView):
    def get_status_changes_display_value(self):
        changes = self.object.status_changes.select_related("changed_by").order_by("changed_at", "pk")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}: {} → {} ({}) {}</li>",
                (
                    (
                        change.changed_at.strftime("%Y-%m-%d %H:%M"),
                        change.from_status or "—",
                        change.to_status,
                        change.changed_by.email if change.changed_by else _("attendee or system"),
                        change.note,
                    )
                    for change in changes
                ),
            ),
        )

    def get_user_display_value(self):
        return self.object.user.email if self.object.user else _("no account (anonymised or entered by staff)")


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
        "country",
        DateColumn("created_at", label=_("Registered"), sort_key="created_at"),
    ]
    list_filter = ["conference", "registration_type", "status", "country", "role", "interpretation_language"]
    search_fields = ["full_name", "badge_name", "organisation", "user__email"]
    search_backend_name = None
    list_export = [
        "id",
        "conference",
        "registration_type",
        "status",
        "full_name",
        "badge_name",
        "organisation",
        "country",
        "role",
        "dietary_needs",
        "accessibility_needs",
        "interpretation_language",
        "photo_consent",
        "email",
        "language",
        "created_at",
        "answers_text",
    ]
    export_headings = {"email": _("Email"), "answers_text": _("Answers")}
    export_filename = "registrations"
    inspect_view_fields = [
        "conference",
        "registration_type",
        "status",
        "user",
        "full_name",
        "badge_name",
        "organisation",
        "country",
        "role",
        "dietary_needs",
        "accessibility_needs",
        "interpretation_language",
        "photo_consent",
        "privacy_consent_at",
        "privacy_notice_version",
        "language",
        "created_at",
        "updated_at",
        "anonymised_at",
        "status_changes",
        "answers_text",
    ]
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


register_snippet(RegistrationsGroup)


@hooks.register("after_edit_snippet")
def fill_seats_after_capacity_change(request, instance):
    """A raised capacity gives its new seats to the waiting list straight away."""
    if isinstance(instance, RegistrationType):
        services.fill_free_seats(registration_type=instance, by=request.user)


class RegistrationStatusBulkAction(SnippetBulkAction):
    """Change the status of many registrations through a service; those the action does not apply to (e.g.
    approving a confirmed one) are left as they are and reported."""

    models = [Registration]
    template_name = "registration/admin/confirm_bulk_status.html"
    service = None
    applies_to = (Registration.PENDING,)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done, skipped = 0, 0
        for registration in objects:
            try:
                cls.service(registration=registration, by=user)
            except services.RegistrationError:
                skipped += 1
            else:
                done += 1
        kwargs["self"].skipped = skipped
        return done, 0

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_name"] = self.display_name
        skipped = [item for item in context["items"] if item["item"].status not in self.applies_to]
        context["skipped_note"] = self.skipped_message(len(skipped)) if skipped else ""
        return context

    def done_message(self, count):
        raise NotImplementedError

    def skipped_message(self, count):
        return ngettext(
            "%(count)d was not awaiting approval and was left as it was.",
            "%(count)d were not awaiting approval and were left as they were.",
            count,
        ) % {"count": count}

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = self.done_message(num_parent_objects)
        if getattr(self, "skipped", 0):
            message += " " + self.skipped_message(self.skipped)
        return message


@hooks.register("register_bulk_action")
class ApproveBulkAction(RegistrationStatusBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected registrations")
    action_priority = 10
    service = staticmethod(services.approve)

    def done_message(self, count):
        return ngettext("%(count)d registration approved.", "%(count)d registrations approved.", count) % {
            "count": count
        }


@hooks.register("register_bulk_action")
class RejectBulkAction(RegistrationStatusBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected registrations")
    action_priority = 20
    classes = {"serious"}
    service = staticmethod(services.reject)

    def done_message(self, count):
        return ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.", count) % {
            "count": count
        }


@hooks.register("register_bulk_action")
class CancelBulkAction(RegistrationStatusBulkAction):
    """For people who told the organisers they cannot come: their seats go to the waiting list."""

    display_name = _("Cancel")
    action_type = "cancel"
    aria_label = _("Cancel the selected registrations")
    action_priority = 30
    classes = {"serious"}
    service = staticmethod(services.cancel)
    applies_to = Registration.ACTIVE_STATUSES

    def done_message(self, count):
        return ngettext(
            "%(count)d registration cancelled; freed seats went to the waiting list.",
            "%(count)d registrations cancelled; freed seats went to the waiting list.",
            count,
        ) % {"count": count}

    def skipped_message(self, count):
        return ngettext(
            "%(count)d was already cancelled.",
            "%(count)d were already cancelled.",
            count,
        ) % {"count": count}
