"""The attendee's forms: register (CONTRACT.md field names), edit own details, delete the account."""

import datetime

from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from conference.text_input import StorableTextForm

from . import questions, widgets
from .enums import InterpretationLanguage, Role
from .models import Registration


def country_choices():
    """ISO 3166 alpha-2 codes with names in the active language, sorted in that language."""
    return [("", _("Prefer not to say")), *widgets.country_names()]


class RegistrationDetailsForm(StorableTextForm):
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
        widget=widgets.Select,
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


class VisaLetterFields(forms.Form):
    """The visa invitation letter request (CONTRACT.md "Visa invitation letters"): passport details are asked,
    and required, only when the box is ticked."""

    PASSPORT_FIELDS = ("passport_name", "passport_number", "nationality", "date_of_birth")

    needs_visa_letter = forms.BooleanField(
        label=_("I need a visa invitation letter"),
        required=False,
        help_text=_(
            "For a Schengen visa. We ask your passport details only for the letter; only the organisers see them."
        ),
    )
    passport_name = forms.CharField(
        label=_("Name as in your passport"),
        max_length=200,
        required=False,
        help_text=_("Exactly as printed in the passport, in Latin letters."),
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=country_choices, widget=widgets.Select
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday", "min": "1900-01-01"}, format="%Y-%m-%d"),
        help_text=_("As printed in your passport."),
        # A browser without a date picker sends what was typed: the message says the one format we read.
        error_messages={"invalid": _("Enter the date as year-month-day, for example 1985-03-21.")},
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
            raise forms.ValidationError(_("Check the date of birth: it cannot be in the future or before 1900."))
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_visa_letter"):
            for name in self.PASSPORT_FIELDS:
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("We need this for your visa invitation letter."))
        return cleaned


class RegistrationForm(VisaLetterFields, RegistrationDetailsForm):
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
        *Registration.ANSWER_FIELDS,
        "needs_visa_letter",
        "passport_name",
        "passport_number",
        "nationality",
        "date_of_birth",
        "consent_privacy",
    ]

    # The form's sections on the page (register.html), in order; "more" is folded away until opened.
    SECTIONS = {
        "about": ("email", "full_name", "badge_name", "organisation", "country"),
        "more": ("role", "dietary_needs", "accessibility_needs", "interpretation_language", "photo_consent"),
        "visa": ("needs_visa_letter",),
        "passport": VisaLetterFields.PASSPORT_FIELDS,
        "consent": ("consent_privacy",),
    }

    def __init__(self, *args, registration_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration_types = {t.slug: t for t in registration_types}
        self.fields["registration_type"].choices = [(t.slug, t.name) for t in self.registration_types.values()]
        if len(self.registration_types) == 1:
            self.fields["registration_type"].initial = next(iter(self.registration_types))
        self.questions = questions.questions_by_type(list(self.registration_types.values()))
        for type_questions in self.questions.values():
            questions.add_fields(self, type_questions)

    def question_groups(self):
        """For the template: (type, its questions' bound fields, the type's position among the choices from 1) for
        each type that has questions; the position lets the style sheet show only the chosen type's group."""
        groups = []
        for position, registration_type in enumerate(self.registration_types.values(), start=1):
            type_questions = self.questions.get(registration_type.pk)
            if type_questions:
                groups.append((registration_type, [self[questions.field_name(q)] for q in type_questions], position))
        return groups

    def sections(self):
        """For the template: {section: [bound fields]} of SECTIONS; a field no section names goes with "more", so that
        none is left off the page, and "more_open" says whether the folded section must show (an error or a value)."""
        named = {name for names in self.SECTIONS.values() for name in names}
        sections = {key: [self[name] for name in names if name in self.fields] for key, names in self.SECTIONS.items()}
        sections["more"] += [
            self[name]
            for name in self.fields
            if name not in named and name != "registration_type" and not name.startswith(questions.PREFIX)
        ]
        sections["more_open"] = self.is_bound and any(field.errors or field.data for field in sections["more"])
        return sections

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("registration_type")
        if chosen is not None:
            questions.require_answers(self, self.questions.get(chosen.pk, []))
        return cleaned

    def chosen_answers(self):
        """{question: value} of the chosen type's questions (other types' answers are dropped)."""
        chosen = self.cleaned_data["registration_type"]
        return questions.answers_from(self.cleaned_data, self.questions.get(chosen.pk, []))

    def link_privacy_notice(self, url):
        """Only for rendering: a successful POST never shows the form, so it need not look the page up. `url` may
        be lazy: the link is made when the field is rendered, not when the fields come from a fragment cache."""
        link = lazy(format_html, SafeString)('<a href="{}">{}</a>', url, _("Read the privacy notice"))
        self.fields["consent_privacy"].help_text = link

    def clean_registration_type(self):
        return self.registration_types[self.cleaned_data["registration_type"]]


class RegistrationEditForm(VisaLetterFields, RegistrationDetailsForm):
    """/my/ edit: the details plus the visa letter request, while no letter has been issued."""


class VisitorRegistrationForm(RegistrationForm):
    """The same form for a visitor without a session: the email becomes the account's once confirmed."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a code to this address to confirm it, then your confirmation and badge."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email", *RegistrationForm.field_order]


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
