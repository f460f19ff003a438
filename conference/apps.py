"""The conference app: on start, keeps the staff groups' permissions in step after every migrate and connects the
account rules to allauth's signals (conference/accounts.py) and allauth's rate limits to their own store
(conference/rate_limits.py)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Conference"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the app registry is ready for models.
        from .accounts import connect_account_receivers  # noqa: PLC0415
        from .permissions import sync_group_permissions  # noqa: PLC0415
        from .rate_limits import use_limits_store  # noqa: PLC0415

        connect_account_receivers()
        use_limits_store()

        # Permissions of every app exist only once the last app has migrated.
        post_migrate.connect(sync_group_permissions, dispatch_uid="conference.sync_group_permissions")
