"""The door's search key: a column filled from the names of existing registrations, and on PostgreSQL a
trigram index that serves the door's substring look-ups (LIKE '%olga%') at any number of registrations."""

from django.db import migrations, models

from conference.search_keys import search_key

TRIGRAM_INDEX = "registration_search_name_trgm"


def fill_search_names(apps, schema_editor):
    Registration = apps.get_model("registration", "Registration")
    batch = []
    for registration in Registration.objects.only("pk", "full_name", "badge_name").iterator(chunk_size=2000):
        registration.search_name = search_key(registration.full_name, registration.badge_name)
        batch.append(registration)
        if len(batch) == 2000:
            Registration.objects.bulk_update(batch, ["search_name"])
            batch = []
    Registration.objects.bulk_update(batch, ["search_name"])


def add_trigram_index(apps, schema_editor):
    # pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database's owner may create it.
    # SQLite (development) has no such index and scans, which is fine at its sizes.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registration_registration "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registration", "0006_registration_type_confirmed_seats")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
