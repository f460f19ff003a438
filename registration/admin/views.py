"""The registration snippet's own admin views: edit through the services, exports an organiser's spreadsheet
program reads, inspect with the audit trail."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.coreutils import multigetattr
from wagtail.snippets.views.snippets import EditView, IndexView

from conference.spreadsheets import OrganiserSpreadsheetMixin
from registration import services
from registration.models import Registration, RegistrationQuestion, RegistrationType

from .display import EMPTY, local_time, readable_value, status_label, yes_no


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
        if "registration_type" in form.fields:
            form.fields["registration_type"].queryset = RegistrationType.objects.filter(
                conference_id=self.object.conference_id
            )
            if not self.object.is_active:
                form.fields["registration_type"].disabled = True
        return form


class RegistrationIndexView(OrganiserSpreadsheetMixin, IndexView):
    """The registrations listing and its exports (conference/spreadsheets.py: CSV that Excel opens, XLSX whatever an
    attendee typed), with one column per question of the exported registrations' types."""

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
    def get_field_display_value(self, field_name, field):
        """Yes/No for booleans, labels for choices, local times, and a dash where there is nothing."""
        value = super().get_field_display_value(field_name, field)
        if field_name in ("status_changes", "user"):
            return value
        if isinstance(value, bool):
            return yes_no(value)
        if field is not None and hasattr(self.object, field_name):
            readable = readable_value(self.object, field_name)
            if isinstance(readable, datetime):
                return readable.strftime("%Y-%m-%d %H:%M")
        return EMPTY if value in ("", None) else value

    def get_status_changes_display_value(self):
        changes = self.object.status_changes.select_related("changed_by").order_by("changed_at", "pk")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}: {} → {} ({}) {}</li>",
                (
                    (
                        local_time(change.changed_at, self.object.conference).strftime("%Y-%m-%d %H:%M"),
                        status_label(change.from_status),
                        status_label(change.to_status),
                        change.changed_by.email if change.changed_by else _("attendee or system"),
                        change.note,
                    )
                    for change in changes
                ),
            ),
        )

    def get_user_display_value(self):
        return self.object.user.email if self.object.user else _("no account (anonymised or entered by staff)")
