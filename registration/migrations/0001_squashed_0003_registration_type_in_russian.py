"""Squashes the migrations of the first release (stop 7) into one: a database made by that release has them
all applied and takes this one as applied; a new database runs it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('registration', '0001_initial'),
        ('registration', '0002_scan_attempt_device_time_and_checkin'),
        ('registration', '0003_registration_type_in_russian'),
    ]

    initial = True

    dependencies = [
        ('conference', '0002_staff_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BadgeSigningKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_key', models.BinaryField()),
                ('encrypted_private_key', models.BinaryField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('conference', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='badge_signing_key', to='conference.conferencepage')),
            ],
        ),
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('confirmed', 'Confirmed'), ('waitlisted', 'Waiting list'), ('pending', 'Awaiting approval'), ('cancelled', 'Cancelled')], db_index=True, max_length=20, verbose_name='status')),
                ('full_name', models.CharField(max_length=200, verbose_name='full name')),
                ('badge_name', models.CharField(max_length=60, verbose_name='name on badge')),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('country', models.CharField(blank=True, max_length=2, verbose_name='country')),
                ('role', models.CharField(blank=True, choices=[('community', 'Community member or person who uses drugs'), ('outreach', 'Outreach or social worker'), ('health', 'Health professional'), ('activist', 'Activist or advocate'), ('researcher', 'Researcher'), ('government', 'Government or public body'), ('donor', 'Donor or international organisation'), ('press', 'Journalist'), ('other', 'Other')], max_length=20, verbose_name='role')),
                ('dietary_needs', models.CharField(blank=True, max_length=500, verbose_name='dietary needs')),
                ('accessibility_needs', models.CharField(blank=True, max_length=1000, verbose_name='accessibility needs')),
                ('interpretation_language', models.CharField(blank=True, choices=[('', 'No interpretation needed'), ('en', 'English'), ('ru', 'Russian')], max_length=5, verbose_name='interpretation')),
                ('photo_consent', models.BooleanField(default=False, verbose_name='agrees to be photographed')),
                ('privacy_consent_at', models.DateTimeField(blank=True, null=True, verbose_name='privacy consent given')),
                ('privacy_notice_version', models.CharField(blank=True, max_length=20, verbose_name='privacy notice version')),
                ('language', models.CharField(default='en', help_text='Emails are sent in it.', max_length=10, verbose_name='language')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='registered')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('anonymised_at', models.DateTimeField(blank=True, null=True, verbose_name='anonymised')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='conference.conferencepage', verbose_name='conference')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registrations', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'registration',
                'verbose_name_plural': 'registrations',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CheckIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(help_text="The date in the conference's time zone.")),
                ('checked_in_at', models.DateTimeField()),
                ('gate', models.CharField(blank=True, max_length=60)),
                ('device', models.CharField(blank=True, max_length=100)),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checkins', to='conference.conferencepage')),
                ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checkins', to='registration.registration')),
            ],
            options={
                'verbose_name': 'check-in',
                'verbose_name_plural': 'check-ins',
            },
        ),
        migrations.CreateModel(
            name='RegistrationStatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=20)),
                ('to_status', models.CharField(max_length=20)),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
                ('note', models.CharField(blank=True, max_length=200)),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='registration.registration')),
            ],
            options={
                'verbose_name': 'status change',
                'verbose_name_plural': 'status changes',
                'ordering': ['changed_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RegistrationType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_ru', models.CharField(blank=True, max_length=100, verbose_name='name in Russian')),
                ('slug', models.SlugField(max_length=60, verbose_name='slug')),
                ('description', models.TextField(blank=True, max_length=1000, verbose_name='description')),
                ('description_ru', models.TextField(blank=True, max_length=1000, verbose_name='description in Russian')),
                ('capacity', models.PositiveIntegerField(help_text='Seats that can be confirmed.', verbose_name='capacity')),
                ('needs_approval', models.BooleanField(default=False, help_text='Registrations wait for an organiser (e.g. scholarships).', verbose_name='needs approval')),
                ('opens_at', models.DateTimeField(blank=True, null=True, verbose_name='opens')),
                ('closes_at', models.DateTimeField(blank=True, null=True, verbose_name='closes')),
                ('badge_colour', models.CharField(default='#1f5f8b', max_length=7, verbose_name='badge colour')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registration_types', to='conference.conferencepage', verbose_name='conference')),
            ],
            options={
                'verbose_name': 'registration type',
                'verbose_name_plural': 'registration types',
                'ordering': ['conference', 'sort_order', 'name'],
            },
        ),
        migrations.AddField(
            model_name='registration',
            name='registration_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='registration.registrationtype', verbose_name='registration type'),
        ),
        migrations.CreateModel(
            name='ScanAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_excerpt', models.CharField(blank=True, max_length=60)),
                ('result', models.CharField(max_length=30)),
                ('nonce', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                ('gate', models.CharField(blank=True, max_length=60)),
                ('device', models.CharField(blank=True, max_length=100)),
                ('scanned_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text='When the door device scanned (offline scans arrive later).')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('offline', models.BooleanField(default=False)),
                ('checkin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registration.checkin')),
                ('conference', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='conference.conferencepage')),
                ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registration.registration')),
                ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'scan attempt',
                'verbose_name_plural': 'scan attempts',
                'ordering': ['-scanned_at'],
            },
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(fields=['conference', 'day'], name='checkin_conference_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.UniqueConstraint(fields=('registration', 'day'), name='one_checkin_per_registration_and_day'),
        ),
        migrations.AddConstraint(
            model_name='registrationtype',
            constraint=models.UniqueConstraint(fields=('conference', 'slug'), name='unique_registration_type_slug'),
        ),
        migrations.AddIndex(
            model_name='registration',
            index=models.Index(fields=['registration_type', 'status', 'created_at'], name='registration_queue_idx'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['confirmed', 'waitlisted', 'pending'])), fields=('user', 'conference'), name='one_active_registration_per_user_and_conference'),
        ),
        migrations.AddIndex(
            model_name='scanattempt',
            index=models.Index(fields=['conference', '-scanned_at'], name='scanattempt_conference_idx'),
        ),
    ]
