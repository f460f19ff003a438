"""Schedule releases in the Wagtail admin: choose the conference (the current one first), see what changed since
its last release (moved, added, cancelled, rooms), then release it with a note in English and Russian; and the
earlier releases."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from conference.admin_views import PermissionAdminView, current_conference
from conference.models import ConferencePage
from conference.templatetags.local_dates import format_local_date

from .release_models import ChangeKind, ScheduleRelease
from .releases import NAME_MAX_LENGTH, NOTE_MAX_LENGTH, ReleaseError, preview_release, release_schedule

RELEASE_PERMISSION = "programme.add_schedulerelease"


def conferences():
    return ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date")


class ReleaseForm(forms.Form):
    conference = forms.ModelChoiceField(
        label=_("Conference"), queryset=ConferencePage.objects.none(), widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the public changes page, in its feed and in the change emails, e.g. “Room changes for day 2”."
        ),
    )
    note_ru = forms.CharField(
        label=_("Note in Russian"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
        help_text=_("What Russian readers see instead; leave it empty to show them the English note."),
    )
    name = forms.CharField(
        label=_("Version"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("Leave empty for the next number."),
    )
    # The changes the organiser saw: the release is refused when they are no longer the ones on the page.
    preview = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "release-%s")  # the page's chooser above is id_conference
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences()


def change_entry(change, tzinfo):
    """One change of a preview as the page lists it: what, which session, where it was and where it is now."""

    def place(facts):
        if not facts:
            return ""
        start = datetime.fromisoformat(facts["start"]).astimezone(tzinfo)
        end = datetime.fromisoformat(facts["end"]).astimezone(tzinfo)
        when = f"{format_local_date(start, 'day_short_time')}–{end:%H:%M}"
        return f"{when}, {facts['room']}" if facts["room"] else when

    facts = change["new"] or change["old"]
    return {
        "kind": change["kind"],
        "kind_label": ChangeKind(change["kind"]).label,
        "title": facts["title"],
        "before": place(change["old"]),
        "after": place(change["new"]),
    }


class ScheduleReleaseView(PermissionAdminView):
    """Preview and release the published programme of a conference as a new version; list the releases so far."""

    page_title = _("Schedule releases")
    header_icon = "history"
    template_name = "programme/admin/schedule_releases.html"
    permissions_required = (RELEASE_PERMISSION,)

    def chosen_conference(self):
        choices = list(conferences())
        wanted = self.request.POST.get("conference") or self.request.GET.get("conference", "")
        return next((c for c in choices if str(c.pk) == wanted), None) or current_conference(choices), choices

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference, choices = self.chosen_conference()
        preview = preview_release(conference) if conference is not None else None
        form = kwargs.get("form")
        if form is None and preview is not None:
            form = ReleaseForm(initial={"conference": conference.pk, "preview": preview.fingerprint})
        elif form is not None and preview is not None:
            form.data = form.data.copy()
            form.data["preview"] = preview.fingerprint  # a refused release shows the new changes, to release them
        context.update(
            conference=conference,
            conferences=choices,
            preview=preview,
            changes=[change_entry(change, conference.tzinfo) for change in preview.changes] if preview else [],
            summary=self.summary(preview) if preview else [],
            form=form,
            releases=ScheduleRelease.objects.select_related("conference", "created_by")
            .prefetch_related("changes")
            .order_by("-created_at")[:30],
        )
        return context

    @staticmethod
    def summary(preview):
        """(label, count) for the kinds organisers look for first."""
        return [
            (_("Moved"), preview.count(ChangeKind.MOVED)),
            (_("Added"), preview.count(ChangeKind.NEW, ChangeKind.REINSTATED)),
            (_("Cancelled or removed"), preview.count(ChangeKind.CANCELLED, ChangeKind.REMOVED)),
            (_("Room changed"), preview.count(ChangeKind.ROOM_CHANGED)),
            (_("Speakers changed"), preview.count(ChangeKind.SPEAKERS_CHANGED)),
        ]

    def post(self, request, *args, **kwargs):
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                release = release_schedule(
                    conference=form.cleaned_data["conference"],
                    note=form.cleaned_data["note"],
                    note_ru=form.cleaned_data["note_ru"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                    expected=form.cleaned_data["preview"],
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
                return redirect(f"{request.path}?conference={release.conference_id}")
        return self.render_to_response(self.get_context_data(form=form), status=400)
