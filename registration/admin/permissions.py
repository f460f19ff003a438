"""Who may do what with registrations in the admin: organisers change them, nobody adds or deletes them."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

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
