"""The proposal form: the same fields for a signed-in submitter and a visitor (who adds an email address), a
draft needing only a title, a submitted proposal needing everything the call asks."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from conference.text_input import StorableTextForm

from .models import ABSTRACT_MAX_LENGTH, TITLE_MAX_LENGTH

DRAFT = "draft"
SUBMIT = "submit"


def new_form_key():
    return secrets.token_urlsafe(24)


class ProposalForm(StorableTextForm):
    """A proposal to `call`. The button pressed (`intent`) says whether it is a draft or sent for review."""

    label_suffix = ""
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    abstract = forms.CharField(
        label=_("Abstract"),
        max_length=ABSTRACT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the session is about and who it is for; at most %(count)s characters.")
        % {"count": f"{ABSTRACT_MAX_LENGTH:,}"},
    )
    session_format = forms.TypedChoiceField(
        label=_("Session format"), coerce=int, required=False, widget=forms.RadioSelect
    )
    track = forms.ChoiceField(label=_("Track"), required=False)
    language = forms.ChoiceField(label=_("Language of the session"), required=False, widget=forms.RadioSelect)
    travel_support_requested = forms.BooleanField(label=_("I ask for travel support"), required=False)
    travel_support_note = forms.CharField(
        label=_("What travel support would you need?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Set by the button pressed; a form sent with Enter (no button) is sent for review, like the first button.
    intent = forms.ChoiceField(choices=[(DRAFT, DRAFT), (SUBMIT, SUBMIT)], required=False, widget=forms.HiddenInput)
    form_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.formats = {item.pk: item for item in call.formats.all()}
        self.fields["session_format"].choices = [
            (item.pk, f"{item.localized_name} ({item.duration_minutes} min)") for item in self.formats.values()
        ]
        self.tracks = {track.slug: track for track in call.track_choices()}
        if self.tracks:
            self.fields["track"].choices = [("", "—")] + [(slug, t.localized_name) for slug, t in self.tracks.items()]
        else:
            del self.fields["track"]
        self.fields["language"].choices = call.language_choices()
        if not call.travel_support:
            del self.fields["travel_support_requested"]
            del self.fields["travel_support_note"]
        else:
            self.fields["travel_support_requested"].help_text = call.localized_travel_support_text
        if not self.is_bound and not self.initial.get("form_key"):
            self.initial["form_key"] = new_form_key()

    def clean_intent(self):
        return self.cleaned_data.get("intent") or SUBMIT

    def clean_form_key(self):
        return self.cleaned_data.get("form_key") or new_form_key()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("intent") == SUBMIT:
            # A draft may be half done; what goes to the reviewers must be whole.
            needed = ["abstract", "session_format", "language"] + (["track"] if self.tracks else [])
            for name in needed:
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned

    def proposal_fields(self):
        """The model's fields from the cleaned form."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "abstract": data.get("abstract", ""),
            "session_format": self.formats.get(data.get("session_format")),
            "track": self.tracks.get(data.get("track")),
            "language": data.get("language", ""),
            "travel_support_requested": bool(data.get("travel_support_requested")),
            "travel_support_note": data.get("travel_support_note", "") if data.get("travel_support_requested") else "",
        }

    @property
    def submits(self):
        return self.cleaned_data.get("intent") == SUBMIT


class VisitorProposalForm(ProposalForm):
    """The form for a visitor without a session: the address the code goes to, and the account it proves."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email you a code to confirm it. The proposal is yours to edit on your page."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email"]
