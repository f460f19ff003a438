"""Squashes the migrations of the second release (stop 8) into one: a database made by that release has them
all applied and takes this one as applied; a database of the first release runs it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('programme', '0005_schedule_releases'),
        ('programme', '0006_change_notices_preference_and_marks'),
        ('programme', '0006_room_accessibility_in_russian'),
        ('programme', '0006_session_signup_capacity'),
        ('programme', '0007_merge_room_accessibility_and_signup_capacity'),
        ('programme', '0008_merge_change_notices'),
    ]

    dependencies = [
        ('conference', '0003_mail_queue_practical_information_and_russian_texts'),
        ('programme', '0001_squashed_0004_room_and_track_names_in_russian'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='room',
            name='accessibility_ru',
            field=models.TextField(blank=True, max_length=1000, verbose_name='accessibility notes in Russian'),
        ),
        migrations.AddField(
            model_name='sessionpage',
            name='signup_capacity',
            field=models.PositiveIntegerField(blank=True, help_text='For workshops with limited places: confirmed attendees sign up on the session page. Empty: no sign-up.', null=True, verbose_name='sign-up places'),
        ),
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('schedule_changes', models.BooleanField(default=True, verbose_name='email me when a session in my agenda changes')),
                ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notification preference',
                'verbose_name_plural': 'notification preferences',
            },
        ),
        migrations.CreateModel(
            name='ScheduleRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='number')),
                ('name', models.CharField(max_length=50, verbose_name='version')),
                ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='released')),
                ('snapshot', models.JSONField(default=dict, editable=False)),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedule_releases', to='conference.conferencepage', verbose_name='conference')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='released by')),
            ],
            options={
                'verbose_name': 'schedule release',
                'verbose_name_plural': 'schedule releases',
                'ordering': ['-number'],
            },
        ),
        migrations.CreateModel(
            name='ScheduleChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('new', 'New'), ('moved', 'Moved'), ('room_changed', 'Room changed'), ('cancelled', 'Cancelled'), ('reinstated', 'Back in the programme'), ('removed', 'Removed'), ('speakers_changed', 'Speakers changed')], max_length=20, verbose_name='change')),
                ('translation_key', models.UUIDField(db_index=True, verbose_name='session key')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('old_start', models.DateTimeField(blank=True, null=True, verbose_name='old start')),
                ('old_end', models.DateTimeField(blank=True, null=True, verbose_name='old end')),
                ('old_room_name', models.CharField(blank=True, max_length=100, verbose_name='old room name')),
                ('new_start', models.DateTimeField(blank=True, null=True, verbose_name='new start')),
                ('new_end', models.DateTimeField(blank=True, null=True, verbose_name='new end')),
                ('new_room_name', models.CharField(blank=True, max_length=100, verbose_name='new room name')),
                ('old_speakers', models.JSONField(blank=True, default=list, verbose_name='old speakers')),
                ('new_speakers', models.JSONField(blank=True, default=list, verbose_name='new speakers')),
                ('new_room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.room', verbose_name='new room')),
                ('old_room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.room', verbose_name='old room')),
                ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.sessionpage', verbose_name='session')),
                ('release', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='programme.schedulerelease', verbose_name='release')),
            ],
            options={
                'verbose_name': 'schedule change',
                'verbose_name_plural': 'schedule changes',
                'ordering': ['release', 'new_start', 'old_start', 'title', 'kind'],
            },
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='changed_in',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.schedulerelease', verbose_name='changed in release'),
        ),
        migrations.AddConstraint(
            model_name='schedulerelease',
            constraint=models.UniqueConstraint(fields=('conference', 'number'), name='one_release_number_per_conference'),
        ),
        migrations.AddConstraint(
            model_name='schedulerelease',
            constraint=models.UniqueConstraint(fields=('conference', 'name'), name='one_release_name_per_conference'),
        ),
    ]
