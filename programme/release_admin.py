"""Schedule releases in the Wagtail admin: release the published programme with a note, see earlier releases."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from conference.admin_views import PermissionAdminView
from conference.models import ConferencePage

from .release_models import ScheduleRelease
from .releases import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, ReleaseError, release_schedule

RELEASE_PERMISSION = "programme.add_schedulerelease"


class ReleaseForm(forms.Form):
    conference = forms.ModelChoiceField(label=_("Conference"), queryset=ConferencePage.objects.none())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public changes page and in its feed, e.g. “Room changes for day 2”."),
    )
    name = forms.CharField(
        label=_("Version"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("Leave empty for the next number."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = ConferencePage.objects.filter(locale=Locale.get_default()).order_by(
            "-start_date"
        )


class ScheduleReleaseView(PermissionAdminView):
    """Release the published programme of a conference as a new version, and list the releases so far."""

    page_title = _("Schedule releases")
    header_icon = "history"
    template_name = "programme/admin/schedule_releases.html"
    permissions_required = (RELEASE_PERMISSION,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ReleaseForm()
        context["releases"] = (
            ScheduleRelease.objects.select_related("conference", "created_by")
            .prefetch_related("changes")
            .order_by("-created_at")[:30]
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                release = release_schedule(
                    conference=form.cleaned_data["conference"],
                    note=form.cleaned_data["note"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                )
            except ReleaseError as error:
                form.add_error(None, error.message)
            else:
                count = release.changes.count()
                messages.success(
                    request,
                    ngettext(
                        "Version %(name)s released with %(count)s change.",
                        "Version %(name)s released with %(count)s changes.",
                        count,
                    )
                    % {"name": release.name, "count": count},
                )
                return redirect("programme_releases")
        return self.render_to_response(self.get_context_data(form=form), status=400)
