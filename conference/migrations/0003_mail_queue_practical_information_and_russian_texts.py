"""Squashes the migrations of the second release (stop 8) into one: a database made by that release has them
all applied and takes this one as applied; a database of the first release runs it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('conference', '0003_conference_practical_information_for_attendees'),
        ('conference', '0003_hero_image_and_russian_venue_organisation_texts'),
        ('conference', '0003_outbound_email_and_worker_heartbeat'),
        ('conference', '0004_merge_images_and_practical_information'),
        ('conference', '0005_merge_mail_queue'),
    ]

    dependencies = [
        ('conference', '0002_staff_groups'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboundEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], db_index=True, default='queued', max_length=10, verbose_name='status')),
                ('recipients', models.TextField(verbose_name='recipients')),
                ('subject', models.CharField(max_length=998, verbose_name='subject')),
                ('payload', models.JSONField(blank=True, default=dict, verbose_name='message')),
                ('builder', models.CharField(blank=True, max_length=200)),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('lease_until', models.DateTimeField(blank=True, editable=False, null=True)),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
            ],
            options={
                'verbose_name': 'outgoing email',
                'verbose_name_plural': 'outgoing emails',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='WorkerHeartbeat',
            fields=[
                ('worker_id', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('host', models.CharField(max_length=255)),
                ('pid', models.PositiveIntegerField()),
                ('seen_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': 'worker heartbeat',
            },
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='contact_email',
            field=models.EmailField(blank=True, help_text='Where attendees write with questions. Shown on every page.', max_length=254, verbose_name='contact address'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='directions',
            field=models.TextField(blank=True, help_text='How to get to the venue: from the airport and station, public transport, the entrance.', max_length=2000, verbose_name='directions'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='directions_ru',
            field=models.TextField(blank=True, max_length=2000, verbose_name='directions in Russian'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='first_day_starts_at',
            field=models.TimeField(blank=True, help_text='When registration desk opens on the first day.', null=True, verbose_name='first day starts at'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='hero_image',
            field=models.ForeignKey(blank=True, help_text='A wide picture at the top of the conference page (at least 1600 pixels wide).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='hero image'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='hero_image_alt',
            field=models.CharField(blank=True, help_text="What the picture shows, for people who cannot see it, in this page's language. Leave empty to use the image's own description.", max_length=250, verbose_name='hero image alt text'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='what_to_bring',
            field=models.TextField(blank=True, help_text='For example: passport or ID, your badge.', max_length=1000, verbose_name='what to bring'),
        ),
        migrations.AddField(
            model_name='conferencepage',
            name='what_to_bring_ru',
            field=models.TextField(blank=True, max_length=1000, verbose_name='what to bring in Russian'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='description_ru',
            field=models.TextField(blank=True, max_length=1000, verbose_name='description in Russian'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='name_ru',
            field=models.CharField(blank=True, max_length=200, verbose_name='name in Russian'),
        ),
        migrations.AddField(
            model_name='venue',
            name='accessibility_ru',
            field=models.TextField(blank=True, max_length=2000, verbose_name='accessibility in Russian'),
        ),
        migrations.AddField(
            model_name='venue',
            name='address_ru',
            field=models.TextField(blank=True, max_length=500, verbose_name='address in Russian'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_ru',
            field=models.CharField(blank=True, max_length=100, verbose_name='city in Russian'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_ru',
            field=models.CharField(blank=True, max_length=200, verbose_name='name in Russian'),
        ),
    ]
