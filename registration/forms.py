"""The attendee's forms: register (CONTRACT.md field names), edit own details, delete the account."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .enums import InterpretationLanguage, Role


def country_choices():
    """ISO 3166 alpha-2 codes with names in the active language, sorted in that language."""
    return [("", _("Prefer not to say"))] + [(code, name) for code, name in countries]


class RegistrationDetailsForm(forms.Form):
    """The registration's own fields, which the attendee can correct until registration closes."""

    label_suffix = ""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("For the organisers' list. It is never printed on your badge unless you put it there."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    badge_name = forms.CharField(
        label=_("Name on your badge"),
        max_length=60,
        help_text=_("What people should call you: a first name or a nickname is fine. At most 60 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Optional. Printed on your badge. Leave it empty if you prefer."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = forms.ChoiceField(
        label=_("Country where you work or live"),
        required=False,
        choices=country_choices,
        help_text=_("Optional. Only used for counts in reports to our funders."),
    )
    role = forms.ChoiceField(
        label=_("What describes you best?"),
        required=False,
        choices=[("", _("Prefer not to say"))] + Role.choices,
        help_text=_("Optional. Helps us plan sessions; only counts are shared."),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. For example vegetarian, halal, allergies. At most 500 characters."),
    )
    accessibility_needs = forms.CharField(
        label=_("Access needs"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. Anything that helps you take part: step-free access, a quiet room, a companion, "
            "large print. Only the organisers see it. At most 1,000 characters."
        ),
    )
    interpretation_language = forms.ChoiceField(
        label=_("Interpretation"),
        required=False,
        choices=InterpretationLanguage.choices,
        help_text=_("Plenary sessions are interpreted between English and Russian."),
    )
    photo_consent = forms.BooleanField(
        label=_("I agree to appear in photos of the conference"),
        required=False,
        help_text=_("If you leave this unticked, we will ask photographers to leave you out."),
    )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\r\n\t" for ch in value):
                self.add_error(name, _("Remove the control characters from this field."))
        return cleaned


class RegistrationForm(RegistrationDetailsForm):
    """The registration form at /<conference>/register/ (CONTRACT.md, "Registration")."""

    registration_type = forms.ChoiceField(
        label=_("Registration type"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the registration types listed.")},
    )
    consent_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that you keep these details to run the conference"),
        error_messages={"required": _("We can only register you with your agreement to the privacy notice.")},
    )

    field_order = [
        "registration_type",
        "full_name",
        "badge_name",
        "organisation",
        "country",
        "role",
        "dietary_needs",
        "accessibility_needs",
        "interpretation_language",
        "photo_consent",
        "consent_privacy",
    ]

    def __init__(self, *args, registration_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration_types = {t.slug: t for t in registration_types}
        self.fields["registration_type"].choices = [(t.slug, t.name) for t in self.registration_types.values()]
        if len(self.registration_types) == 1:
            self.fields["registration_type"].initial = next(iter(self.registration_types))

    def link_privacy_notice(self, url):
        """Only for rendering: a successful POST never shows the form, so it need not look the page up."""
        self.fields["consent_privacy"].help_text = format_html('<a href="{}">{}</a>', url, _("Read the privacy notice"))

    def clean_registration_type(self):
        return self.registration_types[self.cleaned_data["registration_type"]]


class DeleteAccountForm(forms.Form):
    label_suffix = ""
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal details will be deleted and cannot be restored"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
