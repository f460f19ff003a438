"""The session admin form: times entered and shown in the conference's time zone, and the programme's rules."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from conference.models import ConferencePage

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
        if self.instance.pk and not self.is_default_language():
            # A translation supplies only its title and abstract; the schedule facts come from the session in the
            # default language (programme.schedule), so they are shown here but not editable.
            for name in FACT_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Edit this in the default-language session; it applies to all.")

    def is_default_language(self):
        locale_id = self.instance.locale_id or (self.parent_page.locale_id if self.parent_page else None)
        return locale_id is None or locale_id == Locale.get_default().pk

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if self.conference is None or start is None or end is None:
            return cleaned_data
        if end <= start:
            self.add_error("end", _("A session must end after it starts."))
            return cleaned_data
        conference = self.conference
        first = conference.local_datetime(conference.start_date)
        after_last = conference.local_datetime(conference.end_date + timedelta(days=1))
        if start < first or end > after_last:
            self.add_error(
                "start",
                _("The session must take place during the conference, %(first)s to %(last)s.")
                % {"first": conference.start_date.isoformat(), "last": conference.end_date.isoformat()},
            )
            return cleaned_data
        room = cleaned_data.get("room")
        status = cleaned_data.get("status")
        if room is not None and status != SessionStatus.CANCELLED and self.is_default_language():
            clash = self.instance.room_clash(room=room, start=start, end=end)
            if clash is not None:
                local_start = timezone.localtime(clash.start, conference.tzinfo)
                local_end = timezone.localtime(clash.end, conference.tzinfo)
                self.add_error(
                    "room",
                    _("%(room)s is already taken by “%(title)s” from %(start)s to %(end)s.")
                    % {
                        "room": room.name,
                        "title": clash.title,
                        "start": local_start.strftime("%Y-%m-%d %H:%M"),
                        "end": local_end.strftime("%H:%M"),
                    },
                )
        return cleaned_data
