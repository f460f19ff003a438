"""The attendance report in the admin (Check-in → Attendance): people checked in per conference day, the totals by
type, country and role that donors ask for, and who came on which day, as CSV and XLSX an organiser's spreadsheet
program opens (conference/spreadsheets.py)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference.spreadsheets import csv_response, xlsx_response
from conference.templatetags.local_dates import format_local_date
from registration.checkin import attendance_days, attendance_people, attendance_rows
from registration.enums import Role
from registration.widgets import country_name

from .display import status_label

VIEW_CHECKINS = "registration.view_checkin"
VIEW_REGISTRATIONS = "registration.view_registration"


def checked_in_url(conference, day):
    """The registrations listing of the people checked in at `conference` on `day`."""
    query = urlencode({"conference": conference.pk, "checked_in_on": day.isoformat()})
    return f"{reverse('wagtailsnippets_registration_registration:list')}?{query}"


def totals_table(conference):
    """The donors' table: header and one row per day, type, country and role with the people checked in."""
    header = [_("Day"), _("Registration type"), _("Country"), _("Role"), _("Checked in")]
    roles = dict(Role.choices)
    rows = [
        [day, registration_type.localized_name, country_name(country), str(roles.get(role, role)), count]
        for day, registration_type, country, role, count in attendance_rows(conference=conference)
    ]
    return [header, *rows]


def people_table(conference):
    """One row per person confirmed or checked in, with the local time of their check-in on each day."""
    days = [day for day, _count in attendance_days(conference=conference)]
    header = [
        _("Full name"),
        _("Name on badge"),
        _("Organisation"),
        _("Registration type"),
        _("Status"),
        _("Country"),
        *(format_local_date(day, "day_short") for day in days),
        _("Days attended"),
    ]
    rows = []
    for registration in attendance_people(conference=conference):
        checkins = registration.checkins_by_day
        rows.append(
            [
                registration.full_name,
                registration.badge_name,
                registration.organisation,
                registration.registration_type.localized_name,
                status_label(registration.status),
                country_name(registration.country),
                *(_local_time(checkins[day], conference) if day in checkins else None for day in days),
                len(checkins),
            ]
        )
    return [header, *rows]


def _local_time(checkin, conference):
    return checkin.checked_in_at.astimezone(conference.tzinfo).time().replace(second=0, microsecond=0)


class AttendanceDownloads:
    """The report's files; `people` needs the right to see registrations, the totals only check-ins."""

    TOTALS_TITLE = gettext_lazy("Totals")
    PEOPLE_TITLE = gettext_lazy("People")

    def __init__(self, request, conference):
        if conference is None or not request.user.has_perm(VIEW_CHECKINS):
            raise PermissionDenied
        self.request, self.conference = request, conference

    @property
    def may_list_people(self):
        return self.request.user.has_perm(VIEW_REGISTRATIONS)

    def totals_csv(self):
        return csv_response(totals_table(self.conference), filename=f"attendance-{self.conference.slug}.csv")

    def people_csv(self):
        if not self.may_list_people:
            raise PermissionDenied
        return csv_response(people_table(self.conference), filename=f"attendance-people-{self.conference.slug}.csv")

    def workbook(self):
        sheets = [(str(self.TOTALS_TITLE), totals_table(self.conference))]
        if self.may_list_people:
            sheets.append((str(self.PEOPLE_TITLE), people_table(self.conference)))
        return xlsx_response(sheets, filename=f"attendance-{self.conference.slug}.xlsx")
