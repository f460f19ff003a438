"""Squashes the migrations of the first release (stop 7) into one: a database made by that release has them
all applied and takes this one as applied; a new database runs it."""

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('programme', '0001_initial'),
        ('programme', '0002_session_publication_tracking'),
        ('programme', '0003_agenda'),
        ('programme', '0004_room_and_track_names_in_russian'),
    ]

    initial = True

    dependencies = [
        ('conference', '0002_staff_groups'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProgrammePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'programme',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='SpeakerIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'speaker index',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='AgendaFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, unique=True, verbose_name='token')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('last_fetched_at', models.DateTimeField(blank=True, null=True, verbose_name='last read by a calendar')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_feed', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'agenda calendar link',
                'verbose_name_plural': 'agenda calendar links',
            },
        ),
        migrations.CreateModel(
            name='Room',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_ru', models.CharField(blank=True, max_length=100, verbose_name='name in Russian')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('accessibility', models.TextField(blank=True, max_length=1000, verbose_name='accessibility notes')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rooms', to='conference.conferencepage', verbose_name='conference')),
            ],
            options={
                'verbose_name': 'room',
                'verbose_name_plural': 'rooms',
                'ordering': ['sort_order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='SessionPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('kind', models.CharField(choices=[('plenary', 'Plenary'), ('panel', 'Panel'), ('workshop', 'Workshop'), ('skills', 'Skills-building'), ('side_event', 'Side event'), ('break', 'Break')], default='panel', max_length=20, verbose_name='kind')),
                ('start', models.DateTimeField(verbose_name='starts')),
                ('end', models.DateTimeField(verbose_name='ends')),
                ('abstract', wagtail.fields.StreamField([('paragraph', 0), ('image', 4), ('call_to_action', 9), ('quote', 12), ('video_link', 16), ('faq', 22)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'hr'], 'label': 'Text'}), 1: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'What the image shows, for people who cannot see it.', 'label': 'Alternative text', 'max_length': 250}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('image', 1), ('alt_text', 2), ('caption', 3)]], {}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Button text', 'max_length': 80}), 6: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 7: ('wagtail.blocks.URLBlock', (), {'label': 'Or address', 'required': False}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Description', 'max_length': 250, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('text', 5), ('page', 6), ('url', 7), ('description', 8)]], {}), 10: ('wagtail.blocks.TextBlock', (), {'label': 'Quote'}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'Attribution', 'max_length': 200, 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('quote', 10), ('attribution', 11)]], {}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 200}), 14: ('wagtail.blocks.URLBlock', (), {'label': 'Video address'}), 15: ('wagtail.blocks.CharBlock', (), {'label': 'Duration', 'max_length': 20, 'required': False}), 16: ('wagtail.blocks.StructBlock', [[('title', 13), ('url', 14), ('duration', 15)]], {}), 17: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120, 'required': False}), 18: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 250}), 19: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'label': 'Answer'}), 20: ('wagtail.blocks.StructBlock', [[('question', 18), ('answer', 19)]], {}), 21: ('wagtail.blocks.ListBlock', (20,), {'label': 'Questions'}), 22: ('wagtail.blocks.StructBlock', [[('heading', 17), ('items', 21)]], {})}, verbose_name='abstract')),
                ('language', models.CharField(choices=[('en', 'English'), ('ru', 'Russian'), ('en-ru', 'English and Russian')], default='en', max_length=10, verbose_name='language')),
                ('interpretation', models.CharField(blank=True, choices=[('', 'None'), ('en-ru', 'Simultaneous interpretation English ↔ Russian'), ('sign', 'Sign language')], max_length=10, verbose_name='interpretation')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', max_length=20, verbose_name='status')),
                ('sequence', models.PositiveIntegerField(default=0, editable=False)),
                ('published_facts', models.CharField(blank=True, editable=False, max_length=200)),
                ('facts_changed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.room', verbose_name='room')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='starred')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='conference.conferencepage', verbose_name='conference')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programme.sessionpage', verbose_name='session')),
            ],
            options={
                'verbose_name': 'starred session',
                'verbose_name_plural': 'starred sessions',
            },
        ),
        migrations.CreateModel(
            name='SpeakerPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('country', models.CharField(blank=True, max_length=100, verbose_name='country')),
                ('pronouns', models.CharField(blank=True, max_length=40, verbose_name='pronouns')),
                ('short_bio', models.TextField(blank=True, max_length=400, verbose_name='short bio')),
                ('bio', wagtail.fields.RichTextField(blank=True, verbose_name='bio')),
                ('links', wagtail.fields.StreamField([('link', 2)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Label', 'max_length': 60}), 1: ('wagtail.blocks.URLBlock', (), {'label': 'Address'}), 2: ('wagtail.blocks.StructBlock', [[('label', 0), ('url', 1)]], {})}, verbose_name='links')),
                ('photo', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='photo')),
            ],
            options={
                'verbose_name': 'speaker',
                'verbose_name_plural': 'speakers',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='SessionSpeaker',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('role', models.CharField(choices=[('speaker', 'Speaker'), ('moderator', 'Moderator')], default='speaker', max_length=20, verbose_name='role')),
                ('session', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='speaker_links', to='programme.sessionpage')),
                ('speaker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_links', to='programme.speakerpage', verbose_name='speaker')),
            ],
            options={
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Track',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_ru', models.CharField(blank=True, max_length=100, verbose_name='name in Russian')),
                ('slug', models.SlugField(max_length=100, verbose_name='slug')),
                ('colour', models.CharField(default='#1f5f8b', help_text='A dark colour written as #RRGGBB; white text must stay readable on it.', max_length=7, verbose_name='colour')),
                ('description', models.TextField(blank=True, max_length=1000, verbose_name='description')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tracks', to='conference.conferencepage', verbose_name='conference')),
            ],
            options={
                'verbose_name': 'track',
                'verbose_name_plural': 'tracks',
                'ordering': ['sort_order', 'name'],
            },
        ),
        migrations.AddField(
            model_name='sessionpage',
            name='track',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programme.track', verbose_name='track'),
        ),
        migrations.AddConstraint(
            model_name='room',
            constraint=models.UniqueConstraint(fields=('conference', 'slug'), name='unique_room_slug_per_conference'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(fields=('user', 'session'), name='one_star_per_user_and_session'),
        ),
        migrations.AddConstraint(
            model_name='track',
            constraint=models.UniqueConstraint(fields=('conference', 'slug'), name='unique_track_slug_per_conference'),
        ),
    ]
