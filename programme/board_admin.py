"""The schedule board in the Wagtail admin: the board page, its JSON move endpoint, and the plain form that moves
one session without JavaScript."""

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from conference.admin_views import PermissionAdminView
from conference.models import ConferencePage
from conference.templatetags.local_dates import format_local_date
from conference.text_input import JsonBodyError, load_json

from .board import MoveError, board_day, move_session, place
from .models import Room, SessionPage

BOARD_PERMISSION = "programme.change_sessionpage"


def require_board_permission(user):
    if not user.has_perm(BOARD_PERMISSION):
        raise PermissionDenied


def board_url(conference, day):
    return reverse("programme_board") + "?" + urlencode({"conference": conference.pk, "day": day.isoformat()})


def default_language_session(pk):
    return get_object_or_404(SessionPage, pk=pk, locale=Locale.get_default())


class ScheduleBoardView(PermissionAdminView):
    """One conference day: rooms as columns, 5-minute rows, sessions as blocks coloured by track."""

    page_title = gettext_lazy("Schedule board")
    header_icon = "table"
    template_name = "programme/admin/schedule_board.html"
    permissions_required = (BOARD_PERMISSION,)

    def chosen(self):
        conferences = list(ConferencePage.objects.filter(locale=Locale.get_default()).order_by("-start_date"))
        if not conferences:
            raise Http404
        by_pk = {str(conference.pk): conference for conference in conferences}
        conference = by_pk.get(self.request.GET.get("conference", ""), conferences[0])
        try:
            day = date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            day = conference.start_date
        if day not in conference.days:
            day = conference.start_date
        return conferences, conference, day

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences, conference, day = self.chosen()
        board = board_day(conference, day)
        context.update(
            {
                "conferences": conferences,
                "conference": conference,
                "board": board,
                "days": [(each, board_url(conference, each)) for each in conference.days],
                "move_url": reverse("programme_board_move"),
                "board_strings": {
                    "moved": _("%(title)s: %(day)s, %(start)s–%(end)s, %(room)s."),
                    "refused": _("Not moved:"),
                    # The board's days as the admin's language writes them ("Tue 4 Apr", "вт, 4 апр.").
                    "days": {each.isoformat(): format_local_date(each, "day_short") for each in conference.days},
                    "saved_draft": _("Saved as a draft."),
                    "published": _("Published."),
                    "undone": _("Undone."),
                    "cancelled": _("Move cancelled."),
                    "nothing_to_undo": _("Nothing to undo."),
                    "no_room": _("no room"),
                    "failed": _("The move could not be saved. Reload the board and try again."),
                },
            }
        )
        return context


def parse_local(conference, value):
    """A local 'YYYY-MM-DDTHH:MM' at the conference as an aware datetime, or None."""
    try:
        naive = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=conference.tzinfo)


def json_error(status, message, errors=None):
    return JsonResponse({"ok": False, "error": message, "errors": errors or {}}, status=status)


class BadMove(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def read_move(request):
    """(session, start, end, room, publish) from the board's JSON body, or BadMove."""
    try:
        data = load_json(request.body)
    except JsonBodyError as error:
        raise BadMove(400, error.message) from None
    if not isinstance(data, dict) or not isinstance(data.get("session"), int):
        raise BadMove(400, _("Say which session to move."))
    session = SessionPage.objects.filter(pk=data["session"], locale=Locale.get_default()).first()
    if session is None:
        raise BadMove(404, _("There is no such session."))
    conference = ConferencePage.for_page(session).canonical
    start, end = parse_local(conference, data.get("start")), parse_local(conference, data.get("end"))
    if start is None or end is None:
        raise BadMove(400, _("Give the start and end as YYYY-MM-DDTHH:MM."))
    room = None
    if data.get("room") is not None:
        if isinstance(data["room"], int):
            room = Room.objects.filter(pk=data["room"], conference=conference).first()
        if room is None:
            raise BadMove(400, _("There is no such room at this conference."))
    return session, start, end, room, bool(data.get("publish"))


@require_POST
def move_view(request):
    """POST JSON {session, start, end, room, publish}: times local to the conference, room a pk or null. Answers
    {ok, session, warnings, previous} or {ok: false, error, errors} with 400/403/404."""
    if not request.user.has_perm(BOARD_PERMISSION):
        return json_error(403, _("You may not change sessions."))
    try:
        session, start, end, room, publish = read_move(request)
        result = move_session(session=session, start=start, end=end, room=room, publish=publish, user=request.user)
    except BadMove as error:
        return json_error(error.status, error.message)
    except MoveError as error:
        status = 403 if error.code == "forbidden" else 400
        return json_error(status, error.message, {name: str(message) for name, message in error.errors.items()})
    return JsonResponse(
        {
            "ok": True,
            "session": {"id": session.pk, **place(result.session)},
            "published": result.published,
            "warnings": result.warnings,
            "previous": result.previous,
        }
    )


class PlaceSessionForm(forms.Form):
    start = forms.DateTimeField(
        label=gettext_lazy("Starts"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M"),
    )
    duration = forms.IntegerField(label=gettext_lazy("Length in minutes"), min_value=5, max_value=24 * 60, step_size=5)
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.none(), required=False)
    publish = forms.BooleanField(label=gettext_lazy("Publish at once"), required=False)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["room"].queryset = Room.objects.filter(conference=conference)
        self.fields["start"].help_text = _("In the conference's time zone, %(zone)s.") % {"zone": conference.time_zone}

    def clean_start(self):
        # Read in the conference's zone, whatever the server's is.
        value = self.cleaned_data["start"]
        return value.replace(tzinfo=None).replace(tzinfo=self.conference.tzinfo)


class PlaceSessionView(WagtailAdminTemplateMixin, TemplateView):
    """The board's plain fallback: start, length and room of one session in an ordinary form."""

    header_icon = "time"
    template_name = "programme/admin/place_session.html"

    def dispatch(self, request, *args, **kwargs):
        require_board_permission(request.user)
        self.session = default_language_session(kwargs["pk"])
        self.draft = self.session.get_latest_revision_as_object()
        self.conference = ConferencePage.for_page(self.session).canonical
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Move “%(title)s”") % {"title": self.draft.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("programme_board"), "label": _("Schedule board")},
            {"url": "", "label": self.get_page_title()},
        ]

    def initial(self):
        return {
            "start": self.draft.start.astimezone(self.conference.tzinfo).replace(tzinfo=None),
            "duration": int((self.draft.end - self.draft.start).total_seconds() // 60),
            "room": self.draft.room_id,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "form": kwargs.get("form") or PlaceSessionForm(initial=self.initial(), conference=self.conference),
                "session": self.draft,
                "back_url": board_url(self.conference, self.draft.start.astimezone(self.conference.tzinfo).date()),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PlaceSessionForm(request.POST, conference=self.conference)
        if form.is_valid():
            start = form.cleaned_data["start"]
            end = start + timedelta(minutes=form.cleaned_data["duration"])
            try:
                result = move_session(
                    session=self.session,
                    start=start,
                    end=end,
                    room=form.cleaned_data["room"],
                    publish=form.cleaned_data["publish"],
                    user=request.user,
                )
            except MoveError as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                if result.published:
                    messages.success(request, _("“%(title)s” is moved and published.") % {"title": self.draft.title})
                else:
                    messages.success(
                        request,
                        _("“%(title)s” is moved in a draft; publish it when ready.") % {"title": self.draft.title},
                    )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(board_url(self.conference, start.astimezone(self.conference.tzinfo).date()))
        return self.render_to_response(self.get_context_data(form=form), status=400)
