from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Conference"

    def ready(self):
        from .permissions import sync_group_permissions

        # Permissions of every app exist only once the last app has migrated.
        post_migrate.connect(sync_group_permissions, dispatch_uid="conference.sync_group_permissions")
