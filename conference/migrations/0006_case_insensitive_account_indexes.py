"""Indexes on lower(email) and lower(username) of the tables that django.contrib.auth and allauth own, so that
finding an account by its address costs the same with 1,000 accounts as with 100,000 (issue 25). The models
are not ours, so the indexes come from raw SQL; SQLite (3.9+) and PostgreSQL accept the same statements.
Our look-ups filter on Lower(...) (conference/accounts.py) so the planner can use them; allauth compares the
lowercased address with `=`, which the plain index on auth_user.email serves (account_emailaddress.email has
one from allauth)."""

from django.db import migrations

INDEXES = {
    "conference_user_email_lower_idx": "auth_user (lower(email))",
    "conference_user_email_idx": "auth_user (email)",
    "conference_user_username_lower_idx": "auth_user (lower(username))",
    "conference_emailaddress_email_lower_idx": "account_emailaddress (lower(email))",
}


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0005_mail_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES.items()
    ]
