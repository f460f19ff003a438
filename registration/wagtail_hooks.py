"""Registers the registration app's admin with Wagtail: the permission policy, the snippet viewsets, the bulk
actions, the check-in pages and the conferences' panels on the admin's home page (all of them live in
registration/admin/).

Organisers see per type the capacity and its confirmed, pending, waitlisted and remaining seats; they
filter, search, inspect, edit and export registrations, and approve or reject them in bulk. Every status
or type change made there goes through registration.services (audit trail and emails); the admin never
adds or deletes a registration, which come from the form and end by cancellation."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registration import services

from .admin.bulk_actions import ApproveBulkAction, CancelBulkAction, RejectBulkAction, drop_bulk_delete
from .admin.checkin import checkin_admin_urls, checkin_menu_item
from .admin.dashboard import add_conference_panels
from .admin.permissions import RegistrationPermissionPolicy
from .admin.viewsets import RegistrationsGroup
from .models import Registration, RegistrationType

register_permission_policy(Registration, RegistrationPermissionPolicy(Registration))
register_snippet(RegistrationsGroup)

for bulk_action in (ApproveBulkAction, RejectBulkAction, CancelBulkAction):
    hooks.register("register_bulk_action", bulk_action)
hooks.register("register_admin_urls", drop_bulk_delete)

hooks.register("register_admin_urls", checkin_admin_urls)
hooks.register("register_admin_menu_item", checkin_menu_item)
hooks.register("construct_homepage_panels", add_conference_panels)


@hooks.register("after_edit_snippet")
def fill_seats_after_capacity_change(request, instance):
    """A raised capacity gives its new seats to the waiting list straight away."""
    if isinstance(instance, RegistrationType):
        services.fill_free_seats(registration_type=instance, by=request.user)
