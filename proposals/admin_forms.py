"""The call's admin form: its dates read and shown in the conference's time zone, its languages as checkboxes,
and its tracks limited to the conference's own."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from conference.models import ConferencePage
from programme.enums import SessionLanguage
from programme.forms import ConferenceDateTimeField


class CallForProposalsForm(WagtailAdminModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=SessionLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages a session may be given in. None ticked: all of them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conference = self._conference()
        if conference is None:
            return
        conference = conference.canonical
        for name in ("opens_at", "closes_at"):
            old = self.fields[name]
            self.fields[name] = ConferenceDateTimeField(
                tzinfo=conference.tzinfo,
                required=old.required,
                label=old.label,
                widget=old.widget,
                help_text=_("In the conference's time zone, %(zone)s.") % {"zone": conference.time_zone},
            )
        self.fields["tracks"].queryset = self.fields["tracks"].queryset.filter(conference=conference)

    def _conference(self):
        """The conference the dates belong to: the saved one, or the one chosen in the form being sent."""
        if self.instance.conference_id:
            return self.instance.conference
        chosen = self.data.get(self.add_prefix("conference")) if self.is_bound else None
        if chosen and str(chosen).isdigit():
            return ConferencePage.objects.filter(pk=chosen).first()
        return None

    def clean_conference(self):
        conference = self.cleaned_data["conference"]
        if conference is not None and conference.canonical.pk != conference.pk:
            raise forms.ValidationError(_("Choose the conference in the default language: the call serves both."))
        return conference
