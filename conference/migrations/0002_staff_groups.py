"""The Organisers and Door staff groups (docs/contract.md); their permissions are synced after migrate."""
from django.db import migrations

GROUPS = ["Organisers", "Door staff"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("conference", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
