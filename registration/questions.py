"""Per-type questions on the registration form: the form fields for them, the rule that only the chosen type's
required questions are enforced, saving the answers and the attendee's data export of them."""

from django import forms
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import RegistrationAnswer, RegistrationQuestion

PREFIX = "q_"
EMPTY = ("", None, [], False)


def field_name(question):
    return f"{PREFIX}{question.pk}"


def questions_by_type(registration_types):
    """{type pk: [questions in order]} in one query."""
    grouped = {registration_type.pk: [] for registration_type in registration_types}
    for question in RegistrationQuestion.objects.filter(registration_type__in=list(grouped)).order_by(
        "sort_order", "pk"
    ):
        grouped[question.registration_type_id].append(question)
    return grouped


def form_field(question, language=None):
    """The form field for one question; never `required` itself, as only the chosen type's questions count."""
    language = language or get_language()
    common = {"label": question.localized_text, "required": False}
    if question.kind == RegistrationQuestion.LONG_TEXT:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.kind == RegistrationQuestion.ONE_CHOICE:
        return forms.ChoiceField(choices=question.choice_list(language), widget=forms.RadioSelect, **common)
    if question.kind == RegistrationQuestion.SEVERAL_CHOICES:
        return forms.MultipleChoiceField(
            choices=question.choice_list(language), widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == RegistrationQuestion.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(max_length=500, **common)


def add_fields(form, questions, initial=None):
    """Add `questions` to `form` (initial values from stored answers); returns the list of field names added."""
    names = []
    for question in questions:
        name = field_name(question)
        form.fields[name] = form_field(question)
        if initial and question.pk in initial:
            value = initial[question.pk]
            form.initial[name] = ("yes" if value else "no") if isinstance(value, bool) else value
        names.append(name)
    return names


def require_answers(form, questions):
    """In the form's clean(): the required questions among `questions` must have an answer."""
    for question in questions:
        name = field_name(question)
        unanswered = form.cleaned_data.get(name) in EMPTY and name not in form.errors
        # A yes/no question answered "no" is an answer; only no choice at all is missing.
        if (
            question.required
            and unanswered
            and (question.kind != RegistrationQuestion.YES_NO or form.cleaned_data.get(name) is None)
        ):
            form.add_error(name, _("Please answer this question."))


def answers_from(cleaned_data, questions):
    """{question: value} for the answered ones among `questions`."""
    answers = {}
    for question in questions:
        value = cleaned_data.get(field_name(question))
        if value is None or value in ("", []):
            continue
        answers[question] = value
    return answers


def save_answers(*, registration, answers):
    """Store the answers of the registration's type; answers to other types' questions are ignored, and a
    question left empty on an edit removes the old answer."""
    questions = list(RegistrationQuestion.objects.filter(registration_type_id=registration.registration_type_id))
    with transaction.atomic():
        for question in questions:
            value = answers.get(question)
            if value is None:
                RegistrationAnswer.objects.filter(registration=registration, question=question).delete()
            else:
                RegistrationAnswer.objects.update_or_create(
                    registration=registration, question=question, defaults={"value": value}
                )


def answers_in_form_order():
    """Answers with their questions, in the order the form asks them (for prefetching a registration's answers)."""
    return RegistrationAnswer.objects.select_related("question").order_by("question__sort_order", "question_id")


def stored_answers(registration):
    """{question pk: value} for pre-filling the edit form."""
    return dict(registration.answers.values_list("question_id", "value"))


def export_answers(user):
    """The answers for the attendee's data download."""
    return [
        {
            "registration": answer.registration_id,
            "question": answer.question.text,
            "answer": answer.value,
        }
        for answer in RegistrationAnswer.objects.filter(registration__user=user)
        .select_related("question")
        .order_by("registration_id", "question__sort_order", "question_id")
    ]
