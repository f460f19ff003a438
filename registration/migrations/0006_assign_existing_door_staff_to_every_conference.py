"""Upgrades keep today's behaviour: every account already in the Door staff group may work the door of every
conference that exists now. Organisers narrow it down on the admin's Door staff page afterwards; accounts
added from now on work only the doors they are assigned to."""

from django.conf import settings
from django.db import migrations

DOOR_STAFF = "Door staff"  # conference.permissions.DOOR_STAFF, copied: migrations must not import app code


def assign_existing_door_staff(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ConferencePage = apps.get_model("conference", "ConferencePage")
    DoorAssignment = apps.get_model("registration", "DoorAssignment")
    group = Group.objects.filter(name=DOOR_STAFF).first()
    if group is None:
        return
    # Badges and check-ins belong to the conference in the default language; translations share them.
    conferences = ConferencePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    DoorAssignment.objects.bulk_create(
        [
            DoorAssignment(user_id=user_id, conference_id=conference_id)
            for user_id in group.user_set.values_list("pk", flat=True)
            for conference_id in conferences.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0005_door_assignments_per_conference"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(assign_existing_door_staff, migrations.RunPython.noop)]
