"""Organisers' check-in pages in the Wagtail admin: live dashboard, attendance (the report's files are made in
attendance.py), badge printing and door-staff accounts; their URLs and menu (registered in
registration/wagtail_hooks.py)."""

import time
from datetime import date

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.models import Locale

from conference.accounts import email_is
from conference.admin_views import PermissionAdminView, PermissionMenuItem, current_conference
from conference.models import ConferencePage
from conference.permissions import DOOR_STAFF
from registration.badge_pdf import render_badge_sheets_pdf
from registration.checkin import (
    attendance_days,
    checkins_by_hour,
    checkins_by_type,
    door_counts,
    latest_scans,
    set_door_conferences,
)
from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationType

from .attendance import AttendanceDownloads, checked_in_url

VIEW_CHECKINS = "registration.view_checkin"
VIEW_REGISTRATIONS = "registration.view_registration"
MANAGE_USERS = ("auth.add_user", "auth.change_user")


def _conferences():
    return list(ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date"))


def _chosen_conference(request, conferences):
    slug = request.GET.get("conference") or request.POST.get("conference")
    for conference in conferences:
        if conference.slug == slug:
            return conference
    return current_conference(conferences)


class OrganiserView(PermissionAdminView):
    permissions_required = (VIEW_CHECKINS,)
    header_icon = "tick-inverse"


class DashboardView(OrganiserView):
    """Today's check-ins by type and by hour and the latest scans; refreshes itself every ten seconds."""

    page_title = _("Check-in dashboard")
    template_name = "registration/checkin/admin_dashboard.html"

    def get_template_names(self):
        if self.request.GET.get("partial") == "1":
            return ["registration/checkin/admin_dashboard_figures.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences = _conferences()
        conference = _chosen_conference(self.request, conferences)
        context.update(conferences=conferences, conference=conference)
        if conference is None:
            return context
        today = conference.today()
        days = sorted(set(conference.days) | {today})
        try:
            day = date.fromisoformat(self.request.GET.get("day", "")[:10])
        except ValueError:
            day = today
        by_hour = checkins_by_hour(conference=conference, day=day)
        busiest = max((count for _, count in by_hour), default=0)
        context.update(
            day=day,
            days=days,
            today=today,
            **door_counts(conference=conference, day=day),
            by_type=checkins_by_type(conference=conference, day=day),
            by_hour=[(hour, count, round(100 * count / busiest) if busiest else 0) for hour, count in by_hour],
            latest=latest_scans(conference=conference),
            refreshed_at=timezone.now().astimezone(conference.tzinfo),
        )
        return context


class AttendanceView(OrganiserView):
    """People checked in per conference day, each count leading to who they are, and the report's downloads."""

    page_title = _("Attendance")
    template_name = "registration/checkin/admin_attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences = _conferences()
        conference = _chosen_conference(self.request, conferences)
        context.update(conferences=conferences, conference=conference)
        if conference is not None:
            context.update(
                days=[
                    (day, count, checked_in_url(conference, day))
                    for day, count in attendance_days(conference=conference)
                ],
                may_list_people=self.request.user.has_perm(VIEW_REGISTRATIONS),
            )
        return context


def _downloads(request):
    return AttendanceDownloads(request, _chosen_conference(request, _conferences()))


def attendance_csv(request):
    """Attendance per conference day by registration type, country and role, as CSV for donors."""
    return _downloads(request).totals_csv()


def attendance_people_csv(request):
    """Who came on which day, one person a row, as CSV."""
    return _downloads(request).people_csv()


def attendance_xlsx(request):
    """The totals and (for those who may see registrations) who came on which day, as one workbook."""
    return _downloads(request).workbook()


class BadgePrintView(OrganiserView):
    """All confirmed badges of a conference, optionally of one type, as A4 sheets for the print shop."""

    permissions_required = (VIEW_REGISTRATIONS,)
    page_title = _("Print badges")
    template_name = "registration/checkin/admin_badges.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("download") == "1":
            return self.download()
        return super().get(request, *args, **kwargs)

    def _selection(self):
        conference = _chosen_conference(self.request, _conferences())
        types = list(RegistrationType.objects.filter(conference=conference)) if conference else []
        chosen_type = next((t for t in types if t.slug == self.request.GET.get("type")), None)
        registrations = Registration.objects.none()
        if conference is not None:
            registrations = Registration.objects.filter(conference=conference, status=RegistrationStatus.CONFIRMED)
            if chosen_type is not None:
                registrations = registrations.filter(registration_type=chosen_type)
        return conference, types, chosen_type, registrations

    def download(self):
        conference, _types, chosen_type, registrations = self._selection()
        if conference is None:
            raise PermissionDenied
        registrations = registrations.select_related("registration_type", "conference").order_by(
            "registration_type__sort_order", "badge_name", "pk"
        )
        started = time.monotonic()
        pdf = render_badge_sheets_pdf(registrations, conference=conference)
        response = HttpResponse(pdf, content_type="application/pdf")
        suffix = f"-{chosen_type.slug}" if chosen_type else ""
        response["Content-Disposition"] = f'attachment; filename="badges-{conference.slug}{suffix}.pdf"'
        response["Server-Timing"] = f"render;dur={(time.monotonic() - started) * 1000:.0f}"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference, types, chosen_type, registrations = self._selection()
        context.update(
            conferences=_conferences(),
            conference=conference,
            types=types,
            chosen_type=chosen_type,
            count=registrations.count(),
        )
        return context


def _conference_field(conferences, **kwargs):
    return forms.TypedMultipleChoiceField(
        label=_("Conferences"),
        choices=[(conference.pk, conference.title) for conference in conferences],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The doors this account may work: it can scan, search and download only these conferences."),
        **kwargs,
    )


class DoorStaffForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Needed for a new account; leave empty to give an existing account door rights."),
    )

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conferences"] = _conference_field(conferences)

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if not email:
            return data
        user = get_user_model().objects.filter(email_is(email)).first()
        data["user"] = user
        if user is None:
            if not data.get("password"):
                self.add_error("password", _("A new account needs a password."))
            else:
                try:
                    password_validation.validate_password(data["password"])
                except forms.ValidationError as error:
                    self.add_error("password", error)
        elif user.is_superuser:
            self.add_error("email", _("This account is an administrator already."))
        return data


class DoorAssignmentForm(forms.Form):
    """One member's doors, on the member's row."""

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conferences"] = _conference_field(conferences)


class DoorStaffView(OrganiserView):
    """Members of the Door staff group and the conferences each may work: add an account (new or existing),
    change its conferences, or take its door rights away."""

    permissions_required = MANAGE_USERS
    page_title = _("Door staff")
    template_name = "registration/checkin/admin_door_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = Group.objects.get(name=DOOR_STAFF)
        conferences = _conferences()
        members = list(group.user_set.order_by("email").prefetch_related("door_assignments"))
        for member in members:
            assigned = [assignment.conference_id for assignment in member.door_assignments.all()]
            member.door_form = DoorAssignmentForm(
                conferences=conferences, initial={"conferences": assigned}, prefix=f"member-{member.pk}"
            )
        context.update(
            form=kwargs.get("form") or DoorStaffForm(conferences=conferences),
            members=members,
            users_url=reverse("wagtailusers_users:index") + f"?group={group.pk}",
        )
        return context

    def post(self, request, *args, **kwargs):
        group = Group.objects.get(name=DOOR_STAFF)
        conferences = _conferences()
        if "remove" in request.POST:
            user = group.user_set.filter(pk=request.POST.get("remove")).first()
            if user is not None:
                with transaction.atomic():
                    group.user_set.remove(user)
                    set_door_conferences(user=user, conferences=[])
                messages.success(request, _("%(email)s is no longer door staff.") % {"email": user.email})
            return redirect("checkin_admin:door_staff")
        if "assign" in request.POST:
            user = group.user_set.filter(pk=request.POST.get("assign")).first()
            if user is not None:
                form = DoorAssignmentForm(request.POST, conferences=conferences, prefix=f"member-{user.pk}")
                if form.is_valid():
                    chosen = set(form.cleaned_data["conferences"])
                    set_door_conferences(user=user, conferences=[c for c in conferences if c.pk in chosen])
                    messages.success(request, _("The doors of %(email)s are saved.") % {"email": user.email})
                else:
                    messages.error(request, _("Choose conferences from the list."))
            return redirect("checkin_admin:door_staff")
        form = DoorStaffForm(request.POST, conferences=conferences)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            user = form.cleaned_data["user"]
            email = form.cleaned_data["email"]
            if user is None:
                user = get_user_model().objects.create_user(
                    username=email[:150], email=email, password=form.cleaned_data["password"]
                )
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
            user.groups.add(group)
            chosen = set(form.cleaned_data["conferences"])
            set_door_conferences(user=user, conferences=[c for c in conferences if c.pk in chosen])
        messages.success(request, _("%(email)s can now open the door scanner.") % {"email": email})
        return redirect("checkin_admin:door_staff")


def checkin_admin_urls():
    urls = [
        path("", DashboardView.as_view(), name="dashboard"),
        path("attendance/", AttendanceView.as_view(), name="attendance"),
        path("attendance.csv", attendance_csv, name="attendance_csv"),
        path("attendance-people.csv", attendance_people_csv, name="attendance_people_csv"),
        path("attendance.xlsx", attendance_xlsx, name="attendance_xlsx"),
        path("badges/", BadgePrintView.as_view(), name="badges"),
        path("door-staff/", DoorStaffView.as_view(), name="door_staff"),
    ]
    return [path("checkin/", (urls, "checkin_admin", "checkin_admin"))]


def checkin_menu_item():
    items = [
        PermissionMenuItem(
            _("Dashboard"), reverse("checkin_admin:dashboard"), icon_name="view", order=100, permissions=[VIEW_CHECKINS]
        ),
        PermissionMenuItem(
            _("Print badges"), reverse("checkin_admin:badges"), icon_name="doc-full", order=200,
            permissions=[VIEW_REGISTRATIONS],
        ),
        PermissionMenuItem(
            _("Attendance"), reverse("checkin_admin:attendance"), icon_name="download", order=300,
            permissions=[VIEW_CHECKINS],
        ),
        PermissionMenuItem(
            _("Door staff"), reverse("checkin_admin:door_staff"), icon_name="group", order=400,
            permissions=list(MANAGE_USERS),
        ),
        MenuItem(_("Open the scanner"), reverse("checkin:scanner"), icon_name="link-external", order=500),
    ]  # fmt: skip
    return SubmenuMenuItem(_("Check-in"), Menu(items=items), icon_name="tick-inverse", name="checkin", order=350)
