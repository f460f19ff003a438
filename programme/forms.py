"""The session admin form: times entered and shown in the conference's time zone, and the programme's rules,
whose messages write dates as the reader's language does."""

from datetime import timedelta

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from conference.models import ConferencePage
from conference.templatetags.local_dates import format_local_date

from .enums import SessionStatus

FACT_FIELDS = ("kind", "status", "start", "end", "room", "track", "language", "interpretation")


class ConferenceDateTimeField(forms.DateTimeField):
    """A date and time read and displayed in one fixed zone (the conference's), whatever the server's or the
    organiser's own zone is."""

    def __init__(self, *, tzinfo, **kwargs):
        self.tzinfo = tzinfo
        super().__init__(**kwargs)

    def prepare_value(self, value):
        with timezone.override(self.tzinfo):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(self.tzinfo):
            return super().to_python(value)


def schedule_errors(session, *, conference, start, end, room, status):
    """{field name: message} of what is wrong with placing `session` from `start` to `end` in `room`: the rules
    shared by the page form and the schedule board, so that both refuse a move with the same words."""
    if end <= start:
        return {"end": _("A session must end after it starts.")}
    first = conference.local_datetime(conference.start_date)
    after_last = conference.local_datetime(conference.end_date + timedelta(days=1))
    if start < first or end > after_last:
        return {
            "start": _("The session must take place during the conference, %(first)s to %(last)s.")
            % {
                "first": format_local_date(conference.start_date, "day_short"),
                "last": format_local_date(conference.end_date, "day_year"),
            }
        }
    if room is None or status == SessionStatus.CANCELLED:
        return {}
    clash = session.room_clash(room=room, start=start, end=end)
    if clash is None:
        return {}
    local_start = timezone.localtime(clash.start, conference.tzinfo)
    local_end = timezone.localtime(clash.end, conference.tzinfo)
    return {
        "room": _("%(room)s is already taken by “%(title)s” from %(start)s to %(end)s.")
        % {
            "room": room.localized_name,
            "title": clash.title,
            "start": format_local_date(local_start, "day_short_time"),
            "end": local_end.strftime("%H:%M"),
        }
    }


def speaker_conflict_messages(session):
    """One warning per speaker and other session booked at the same time (the board shows the same words)."""
    conference = ConferencePage.for_page(session)
    tzinfo = conference.canonical.tzinfo if conference else timezone.get_current_timezone()
    return [
        _("%(speaker)s is also in “%(title)s” at %(start)s–%(end)s. Check that they can be in both.")
        % {
            "speaker": speaker.title,
            "title": other.title,
            "start": format_local_date(timezone.localtime(other.start, tzinfo), "day_short_time"),
            "end": timezone.localtime(other.end, tzinfo).strftime("%H:%M"),
        }
        for speaker, other in session.speaker_conflicts()
    ]


class SessionPageForm(WagtailAdminPageForm):
    """Checks a session against its conference: inside the dates, a free room; reads times in the conference's
    zone. A speaker booked twice is only a warning (programme.wagtail_hooks), because a moderator can leave a
    panel early."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anchor = (
            self.parent_page
            if self.parent_page is not None
            else (self.instance.get_parent() if self.instance.pk else None)
        )
        conference = ConferencePage.for_page(anchor)
        self.conference = conference.canonical if conference else None
        if self.conference is None:
            return
        zone = self.conference.time_zone
        for name in ("start", "end"):
            if name not in self.fields:
                continue
            old = self.fields[name]
            self.fields[name] = ConferenceDateTimeField(
                tzinfo=self.conference.tzinfo,
                required=old.required,
                label=old.label,
                widget=old.widget,
                help_text=_("In the conference's time zone, %(zone)s.") % {"zone": zone},
            )
        if "room" in self.fields:
            self.fields["room"].queryset = self.fields["room"].queryset.filter(conference=self.conference)
        if "track" in self.fields:
            self.fields["track"].queryset = self.fields["track"].queryset.filter(conference=self.conference)
        self.speaker_index = self.conference_speaker_index()
        if self.speaker_index is not None:
            self.scope_speaker_chooser(self.speaker_index.pk)
        if self.instance.pk and not self.is_default_language():
            # A translation supplies only its title and abstract; the schedule facts come from the session in the
            # default language (programme.schedule), so they are shown here but not editable.
            for name in FACT_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Edit this in the default-language session; it applies to all.")

    def conference_speaker_index(self):
        # Through the app registry: programme.models imports this module.
        speaker_index_model = apps.get_model("programme", "SpeakerIndexPage")
        return speaker_index_model.objects.child_of(self.conference).first()

    def scope_speaker_chooser(self, start_page_id):
        """Open every speaker chooser of the speaker panel (those of new rows too) at this conference's speakers."""
        formset = self.formsets.get("speaker_links") if hasattr(self, "formsets") else None
        if formset is None:
            return

        def scope(form):
            widget = form.fields["speaker"].widget if "speaker" in form.fields else None
            if widget is not None and hasattr(widget, "start_page_id"):
                widget.start_page_id = start_page_id

        for form in formset.forms:
            scope(form)
        base_form = formset.form

        class ScopedSpeakerForm(base_form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                scope(self)

        ScopedSpeakerForm.__name__ = base_form.__name__
        formset.form = ScopedSpeakerForm

    def is_default_language(self):
        locale_id = self.instance.locale_id or (self.parent_page.locale_id if self.parent_page else None)
        return locale_id is None or locale_id == Locale.get_default().pk

    def is_valid(self):
        # The speaker rows are cleaned after this form's own clean(), so their check comes here.
        valid = super().is_valid()
        return self.speakers_are_valid() and valid

    def speakers_are_valid(self):
        """Speakers must come from this conference's speaker list (the chooser can still browse elsewhere)."""
        formset = self.formsets.get("speaker_links") if hasattr(self, "formsets") else None
        if formset is None or self.speaker_index is None:
            return True
        valid = True
        for form in formset.forms:
            speaker = getattr(form, "cleaned_data", {}).get("speaker")
            if speaker is not None and not speaker.is_descendant_of(self.speaker_index):
                form.add_error("speaker", _("Choose a speaker of this conference."))
                valid = False
        return valid

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if self.conference is None or start is None or end is None:
            return cleaned_data
        check_default = self.is_default_language()
        for field, message in schedule_errors(
            self.instance,
            conference=self.conference,
            start=start,
            end=end,
            room=cleaned_data.get("room") if check_default else None,
            status=cleaned_data.get("status"),
        ).items():
            self.add_error(field, message)
        return cleaned_data
