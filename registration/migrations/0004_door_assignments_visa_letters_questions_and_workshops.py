"""Squashes the migrations of the second release (stop 8) into one: a database made by that release has them
all applied and takes this one as applied; a database of the first release runs it."""

import django.db.models.deletion
import modelcluster.fields
import registration.models
from django.conf import settings
from django.db import migrations, models


DOOR_STAFF = "Door staff"  # conference.permissions.DOOR_STAFF, copied: migrations must not import app code


def assign_existing_door_staff(apps, schema_editor):
    """Upgrades keep the first release's behaviour: every account already in the Door staff group may work
    the door of every conference that exists now; organisers narrow it down on the admin's Door staff page."""
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

    replaces = [
        ('registration', '0004_scan_attempt_result_choices'),
        ('registration', '0005_door_assignments_per_conference'),
        ('registration', '0006_assign_existing_door_staff_to_every_conference'),
        ('registration', '0007_pending_registrations_and_visa_letters'),
        ('registration', '0008_registration_questions_and_answers'),
        ('registration', '0009_workshop_signups'),
    ]

    dependencies = [
        ('conference', '0003_mail_queue_practical_information_and_russian_texts'),
        ('programme', '0005_releases_change_notices_and_workshop_capacity'),
        ('registration', '0001_squashed_0003_registration_type_in_russian'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterField(
            model_name='scanattempt',
            name='result',
            field=models.CharField(choices=[('checked_in', 'Checked in'), ('already_checked_in', 'Already checked in'), ('invalid', 'Not a valid badge'), ('cancelled', 'Registration cancelled'), ('not_confirmed', 'Registration not confirmed'), ('wrong_conference', 'Badge of another conference')], max_length=30),
        ),
        migrations.CreateModel(
            name='PendingRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254)),
                ('form_data', models.JSONField(help_text='The submitted form, validated again when the email is confirmed.')),
                ('language', models.CharField(default='en', max_length=10)),
                ('code_hash', models.CharField(max_length=64)),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('failed_attempts', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField(db_index=True)),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='conference.conferencepage')),
            ],
            options={
                'verbose_name': 'registration awaiting email confirmation',
                'verbose_name_plural': 'registrations awaiting email confirmation',
            },
        ),
        migrations.CreateModel(
            name='RegistrationQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('text', models.CharField(max_length=300, verbose_name='question')),
                ('text_ru', models.CharField(blank=True, max_length=300, verbose_name='question in Russian')),
                ('kind', models.CharField(choices=[('short_text', 'Short text'), ('long_text', 'Long text'), ('one_choice', 'One choice'), ('several_choices', 'Several choices'), ('yes_no', 'Yes or no')], default='short_text', max_length=20, verbose_name='kind of answer')),
                ('required', models.BooleanField(default=False, verbose_name='required')),
                ('choices', models.TextField(blank=True, help_text='For one or several choices: one choice a line.', max_length=3000, verbose_name='choices')),
                ('choices_ru', models.TextField(blank=True, help_text='The same choices in the same order, one a line. Leave empty to show the English ones.', max_length=3000, verbose_name='choices in Russian')),
                ('registration_type', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='registration.registrationtype')),
            ],
            options={
                'verbose_name': 'registration question',
                'verbose_name_plural': 'registration questions',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='VisaLetterRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('refused', 'Refused'), ('withdrawn', 'Withdrawn')], db_index=True, default='requested', max_length=20, verbose_name='status')),
                ('passport_name', models.CharField(blank=True, max_length=200, verbose_name='name as in the passport')),
                ('passport_number', models.CharField(blank=True, max_length=40, verbose_name='passport number')),
                ('nationality', models.CharField(blank=True, max_length=2, verbose_name='nationality')),
                ('date_of_birth', models.DateField(blank=True, null=True, verbose_name='date of birth')),
                ('reference', models.CharField(default=registration.models.new_visa_reference, editable=False, max_length=32, unique=True, verbose_name='reference')),
                ('refusal_reason', models.TextField(blank=True, max_length=1000, verbose_name='reason for refusal')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('registration', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='visa_letter', to='registration.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'visa letter request',
                'verbose_name_plural': 'visa letter requests',
                'ordering': ['requested_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='VisaLetterSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signatory_name', models.CharField(max_length=200, verbose_name="signatory's name")),
                ('signatory_title', models.CharField(max_length=200, verbose_name="signatory's title")),
                ('signatory_title_ru', models.CharField(blank=True, max_length=200, verbose_name="signatory's title in Russian")),
                ('letter_text', models.TextField(help_text="The body of the letter in English. The holder's details, dates and reference are added to it.", max_length=4000, verbose_name='letter text')),
                ('letter_text_ru', models.TextField(blank=True, help_text='Optional. Printed alongside the English text as a translation.', max_length=4000, verbose_name='letter text in Russian')),
                ('conference', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='visa_letter_settings', to='conference.conferencepage', verbose_name='conference')),
            ],
            options={
                'verbose_name': 'visa letter settings',
                'verbose_name_plural': 'visa letter settings',
            },
        ),
        migrations.CreateModel(
            name='DoorAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', models.DateTimeField(auto_now_add=True, verbose_name='assigned')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='door_assignments', to='conference.conferencepage', verbose_name='conference')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='door_assignments', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'door assignment',
                'verbose_name_plural': 'door assignments',
                'constraints': [models.UniqueConstraint(fields=('user', 'conference'), name='one_door_assignment_per_conference')],
            },
        ),
        migrations.CreateModel(
            name='RegistrationAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.JSONField()),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='registration.registration')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='registration.registrationquestion')),
            ],
            options={
                'verbose_name': 'answer',
                'verbose_name_plural': 'answers',
                'constraints': [models.UniqueConstraint(fields=('registration', 'question'), name='one_answer_per_registration_question')],
            },
        ),
        migrations.CreateModel(
            name='WorkshopSignup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('confirmed', 'Signed up'), ('waitlisted', 'Waiting list'), ('cancelled', 'Cancelled')], db_index=True, max_length=20, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='workshop_signups', to='registration.registration')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programme.sessionpage')),
            ],
            options={
                'verbose_name': 'workshop sign-up',
                'verbose_name_plural': 'workshop sign-ups',
                'ordering': ['created_at', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['confirmed', 'waitlisted'])), fields=('registration', 'session'), name='one_active_signup_per_registration_and_session')],
            },
        ),
        migrations.RunPython(assign_existing_door_staff, migrations.RunPython.noop),
    ]
