"""The two staff groups (docs/contract.md): Organisers run the admin, Door staff only scan badges."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

ORGANISERS = "Organisers"
DOOR_STAFF = "Door staff"

# Apps whose model permissions organisers hold in full (snippets, registrations, check-ins, media).
# simple_translation: its submit_translation permission shows organisers the page's "Translate" action.
ORGANISER_APPS = [
    "conference",
    "programme",
    "registration",
    "proposals",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "simple_translation",
]
PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
    "view_page",
]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}


def is_door_staff(user):
    """Door staff and organisers may use the scanner."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=[DOOR_STAFF, ORGANISERS]).exists()


def sync_group_permissions(**kwargs):
    """Give the groups their permissions after every migrate (permissions exist only after it)."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if kwargs.get("app_config") is not with_models[-1]:
        return
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    Group.objects.get_or_create(name=DOOR_STAFF)

    wanted = set(Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS).values_list("pk", flat=True))
    wanted |= set(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").values_list(
            "pk", flat=True
        )
    )
    wanted |= set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "change_user", "add_user"]
        ).values_list("pk", flat=True)
    )
    organisers.permissions.add(*wanted)

    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission:
                GroupPagePermission.objects.get_or_create(group=organisers, page=root, permission=permission)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=organisers, collection=collection, permission=permission
                )
