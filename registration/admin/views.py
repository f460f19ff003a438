"""The registration snippet's own admin views: edit through the services, exports an organiser's spreadsheet
program reads, and the registration's page with everything about it."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.coreutils import multigetattr
from wagtail.snippets.views.snippets import EditView, IndexView

from conference.mail_admin import VIEW_PERMISSION as VIEW_MAIL_LOG
from conference.mail_admin import log_url
from conference.spreadsheets import OrganiserSpreadsheetMixin
from registration import services, widgets
from registration.emails import SendAgainError, send_again
from registration.models import Registration, RegistrationQuestion, RegistrationType, VisaLetterRequest
from registration.visa_admin import CHANGE_VISA_LETTERS, PassportDetailsForm

from .display import EMPTY, readable_value, yes_no
from .record import registration_record


class RegistrationEditView(EditView):
    """Saves through the services: details with update_details, a new type with change_type. A cancelled
    registration keeps its type (register again instead); anonymised ones are not editable (permission policy)."""

    def save_instance(self):
        registration = self.form.instance
        stored_type_id = Registration.objects.values_list("registration_type_id", flat=True).get(pk=registration.pk)
        if registration.anonymised_at is None:
            details = {
                name: self.form.cleaned_data[name]
                for name in services.EDITABLE_FIELDS
                if name in self.form.cleaned_data
            }
            services.update_details(registration=registration, details=details, by=self.request.user)
        new_type = self.form.cleaned_data.get("registration_type")
        if registration.is_active and new_type is not None and new_type.pk != stored_type_id:
            registration.registration_type_id = stored_type_id
            services.change_type(registration=registration, registration_type=new_type, by=self.request.user)
        registration.refresh_from_db()
        return registration

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "country" in form.fields:
            # A chooser of names in the admin's language; the stored value stays the ISO code.
            form.fields["country"] = forms.ChoiceField(
                label=form.fields["country"].label,
                required=False,
                choices=[("", EMPTY), *widgets.country_names()],
                widget=widgets.Select,
            )
        if "registration_type" in form.fields:
            form.fields["registration_type"].queryset = RegistrationType.objects.filter(
                conference_id=self.object.conference_id
            )
            if not self.object.is_active:
                form.fields["registration_type"].disabled = True
        return form


class RegistrationIndexView(OrganiserSpreadsheetMixin, IndexView):
    """The registrations listing and its exports (conference/spreadsheets.py: CSV that Excel opens, XLSX whatever an
    attendee typed), with one column per question of the exported registrations' types. A name leads to the
    registration's page, which has everything about it (and an Edit button)."""

    def _get_title_column(self, *args, **kwargs):
        column = super()._get_title_column(*args, **kwargs)
        column._get_url_func = self.get_inspect_url
        return column

    def as_spreadsheet(self, queryset, spreadsheet_format):
        self.answer_columns = answer_columns(queryset)
        self.list_export = [*self.list_export, *(column.key for column in self.answer_columns)]
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_heading(self, queryset, field):
        column = self._answer_column(field)
        return column.heading if column is not None else super().get_heading(queryset, field)

    def _answer_column(self, field):
        return next((column for column in getattr(self, "answer_columns", ()) if column.key == field), None)

    def to_row_dict(self, item):
        """Labels instead of stored codes, country names, Yes/No, local times to the second, each answer in its
        question's column: what an organiser reads in a spreadsheet. An empty value stays an empty cell."""
        answers = {answer.question_id: answer for answer in item.answers.all()}
        row = {}
        for field in self.list_export:
            column = self._answer_column(field)
            if column is not None:
                answer = next((answers[pk] for pk in column.question_ids if pk in answers), None)
                row[field] = answer.display_value() if answer is not None else None
                continue
            value = multigetattr(item, field) if field in ("id", "email") else readable_value(item, field)
            row[field] = yes_no(value) if isinstance(value, bool) else value
        return row

    def get_preprocess_function(self, field, value, export_format):
        if isinstance(value, datetime):
            # Already naive local time (readable_value): written as a date cell in XLSX, as text in CSV.
            return None if export_format == self.FORMAT_XLSX else (lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S"))
        return super().get_preprocess_function(field, value, export_format)


class RegistrationTypeIndexView(OrganiserSpreadsheetMixin, IndexView):
    """The registration types with their seat counts, exported like the registrations."""


@dataclass
class AnswerColumn:
    key: str
    heading: str
    question_ids: list


def answer_columns(registrations):
    """One export column per question asked of `registrations`, in the order the form asks them; questions with the
    same wording in several types share a column (a registration answers only its own type's)."""
    questions = RegistrationQuestion.objects.filter(
        registration_type_id__in=registrations.values("registration_type_id")
    ).order_by(
        "registration_type__conference_id", "registration_type__sort_order", "registration_type_id", "sort_order", "pk"
    )
    columns = {}
    for question in questions:
        wording = " ".join(question.text.split()).casefold()
        if wording not in columns:
            columns[wording] = AnswerColumn(
                key=f"answer_{len(columns) + 1}", heading=question.localized_text, question_ids=[]
            )
        columns[wording].question_ids.append(question.pk)
    return list(columns.values())


class RegistrationInspectView(InspectView):
    """A registration's page: everything about it (registration/admin/record.py), the actions on its visa letter
    and the emails an organiser can have sent again. The listing's names lead here."""

    template_name = "registration/admin/registration_page.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Registration.objects.select_related("user", "registration_type", "conference"), pk=self.pk
        )

    def get_page_title(self):
        return self.object.full_name or str(self.object)

    def get_page_subtitle(self):
        return self.object.registration_type.localized_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        record = registration_record(self.object)
        letter = record.visa_letter
        context.update(
            record=record,
            passport_form=PassportDetailsForm(
                initial={name: getattr(letter, name) for name in VisaLetterRequest.PASSPORT_FIELDS},
                auto_id="passport-%s",
            )
            if letter is not None and letter.status == VisaLetterRequest.REQUESTED
            else None,
            may_change=self.permission_policy.user_has_permission_for_instance(user, "change", self.object),
            may_decide_visa=user.has_perm(CHANGE_VISA_LETTERS),
            may_see_mail_log=user.has_perm(VIEW_MAIL_LOG),
            mail_log_url=log_url(q=self.object.email) if self.object.email else "",
            visa_url=reverse("visa_letters_admin:requests"),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Send the badge or the status email again (`send_again` = "badge" or "status")."""
        if not self.permission_policy.user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied
        what = request.POST.get("send_again")
        if what not in ("badge", "status"):
            return HttpResponseBadRequest()
        try:
            email = send_again(registration=self.object, what=what, by=request.user)
        except SendAgainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(subject)s” is on its way to %(to)s.") % {"subject": email.subject, "to": email.recipients},
            )
        return redirect(request.path)
