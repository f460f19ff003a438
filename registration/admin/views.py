"""The registration snippet's own admin views: edit through the services, CSV export with formulas defused,
inspect with the audit trail."""

from defusedcsv import csv as defused_csv
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.mixins import Echo
from wagtail.snippets.views.snippets import EditView, IndexView

from registration import services
from registration.models import Registration, RegistrationType


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


class RegistrationIndexView(IndexView):
    """Attendees type the exported texts: a leading =, +, -, @ would run as a formula when an organiser opens
    the CSV in a spreadsheet program, so the CSV goes through defusedcsv's writer (the XLSX export is safe:
    Wagtail writes every such cell as text)."""

    def stream_csv(self, queryset):
        writer = defused_csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))


class RegistrationInspectView(InspectView):
    def get_status_changes_display_value(self):
        changes = self.object.status_changes.select_related("changed_by").order_by("changed_at", "pk")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}: {} → {} ({}) {}</li>",
                (
                    (
                        change.changed_at.strftime("%Y-%m-%d %H:%M"),
                        change.from_status or "—",
                        change.to_status,
                        change.changed_by.email if change.changed_by else _("attendee or system"),
                        change.note,
                    )
                    for change in changes
                ),
            ),
        )

    def get_user_display_value(self):
        return self.object.user.email if self.object.user else _("no account (anonymised or entered by staff)")
