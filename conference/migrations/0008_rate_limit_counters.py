"""The table of the `limits` cache (settings LIMITS_CACHE, conference/rate_limits.py), made as Django's
createcachetable makes it, so that every migrate (bin/serve, bin/cluster, the test database) has it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("conference", "0007_outboundemail_unsent_index")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
