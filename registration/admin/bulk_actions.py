"""Bulk actions on registrations (approve, reject, cancel), each through its service."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from registration import services
from registration.enums import ACTIVE_STATUSES, RegistrationStatus
from registration.models import Registration


class RegistrationStatusBulkAction(SnippetBulkAction):
    """Change the status of many registrations through a service; those the action does not apply to (e.g.
    approving a confirmed one) are left as they are and reported. The messages are plurals taken with `count`;
    the question on the confirmation page is a whole sentence per action so that it translates well."""

    models = [Registration]
    template_name = "registration/admin/confirm_bulk_status.html"
    service = None
    applies_to = (RegistrationStatus.PENDING,)
    confirm_question = None
    done_message = None
    skipped_message = ngettext_lazy(
        "%(count)d was not awaiting approval and was left as it was.",
        "%(count)d were not awaiting approval and were left as they were.",
        "count",
    )

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
        context["confirm_question"] = self.confirm_question % {"count": len(context["items"])}
        skipped = [item for item in context["items"] if item["item"].status not in self.applies_to]
        context["skipped_note"] = self.skipped_message % {"count": len(skipped)} if skipped else ""
        return context

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = self.done_message % {"count": num_parent_objects}
        if getattr(self, "skipped", 0):
            message += " " + self.skipped_message % {"count": self.skipped}
        return message


class ApproveBulkAction(RegistrationStatusBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected registrations")
    action_priority = 10
    service = staticmethod(services.approve)
    confirm_question = ngettext_lazy(
        "Approve this registration? The attendee gets an email.",
        "Approve these %(count)d registrations? Each attendee gets an email.",
        "count",
    )
    done_message = ngettext_lazy("%(count)d registration approved.", "%(count)d registrations approved.", "count")


class RejectBulkAction(RegistrationStatusBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected registrations")
    action_priority = 20
    classes = {"serious"}
    service = staticmethod(services.reject)
    confirm_question = ngettext_lazy(
        "Reject this registration? The attendee gets an email.",
        "Reject these %(count)d registrations? Each attendee gets an email.",
        "count",
    )
    done_message = ngettext_lazy("%(count)d registration rejected.", "%(count)d registrations rejected.", "count")


class CancelBulkAction(RegistrationStatusBulkAction):
    """For people who told the organisers they cannot come: their seats go to the waiting list."""

    display_name = _("Cancel")
    action_type = "cancel"
    aria_label = _("Cancel the selected registrations")
    action_priority = 30
    classes = {"serious"}
    service = staticmethod(services.cancel)
    applies_to = ACTIVE_STATUSES
    confirm_question = ngettext_lazy(
        "Cancel this registration? The attendee gets an email.",
        "Cancel these %(count)d registrations? Each attendee gets an email.",
        "count",
    )
    done_message = ngettext_lazy(
        "%(count)d registration cancelled; freed seats went to the waiting list.",
        "%(count)d registrations cancelled; freed seats went to the waiting list.",
        "count",
    )
    skipped_message = ngettext_lazy("%(count)d was already cancelled.", "%(count)d were already cancelled.", "count")


def drop_bulk_delete():
    """Take Wagtail's bulk "Delete" off the registration listing: the permission policy refuses every delete
    (seats and audit trail), so the button could only ever fail. Registered as a `register_admin_urls` hook,
    which runs once every wagtail_hooks module has registered its bulk actions; returns no URLs."""
    app_label, model_name = Registration._meta.app_label, Registration._meta.model_name
    bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)  # registers the actions once
    bulk_action_registry.actions.get(app_label, {}).get(model_name, {}).pop("delete", None)
    return []
