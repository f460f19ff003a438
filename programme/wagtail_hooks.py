"""Admin for the programme: rooms and tracks as snippets, a warning when a speaker is booked twice, the schedule
board, the list of sessions and the schedule releases page."""

from django.contrib import messages
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .board_admin import PlaceSessionView, ScheduleBoardView, move_view
from .enums import SessionStatus
from .forms import speaker_conflict_messages
from .models import Room, SessionPage, Track
from .release_admin import ScheduleReleaseView
from .session_listing import SessionListingViewSet


class ProgrammeSnippetViewSet(SnippetViewSet):
    """Rooms and tracks (ProgrammeSnippet) are listed per conference and found by name."""

    list_filter = ["conference"]
    search_fields = ["name"]


class RoomViewSet(ProgrammeSnippetViewSet):
    model = Room
    icon = "home"
    menu_label = gettext_lazy("Rooms")
    list_display = ["name", "slug", "capacity", "conference"]


class TrackViewSet(ProgrammeSnippetViewSet):
    model = Track
    icon = "tag"
    menu_label = gettext_lazy("Tracks")
    list_display = ["name", "slug", "colour", "conference"]


register_snippet(RoomViewSet)
register_snippet(TrackViewSet)


def warn_about_speaker_conflicts(request, page):
    # The editor also saves drafts in the background (autosave, JSON answers): a message added then waits in the
    # session and appeared next to the one of the following save, so the warning showed twice. Only a save the
    # organiser sees as a page gets it.
    if not request.accepts("text/html"):
        return
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(page, SessionPage):
        return
    # The saved draft, which is what the organiser just wrote (the page row keeps the published times).
    page = page.get_latest_revision_as_object()
    if page.status == SessionStatus.CANCELLED:
        return
    for message in speaker_conflict_messages(page):
        messages.warning(request, message)


hooks.register("after_create_page", warn_about_speaker_conflicts)
hooks.register("after_edit_page", warn_about_speaker_conflicts)


@hooks.register("register_admin_urls")
def register_release_admin_urls():
    return [
        path("programme/releases/", ScheduleReleaseView.as_view(), name="programme_releases"),
        path("programme/board/", ScheduleBoardView.as_view(), name="programme_board"),
        path("programme/board/move/", move_view, name="programme_board_move"),
        path("programme/board/session/<int:pk>/", PlaceSessionView.as_view(), name="programme_board_place"),
    ]


@hooks.register("register_admin_menu_item")
def register_release_menu_item():
    return ScheduleReleaseView.menu_item("programme_releases", order=310)


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The page being served, for the page cache's check of view restrictions (programme.page_cache)."""
    request.served_page = page


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return ScheduleBoardView.menu_item("programme_board", order=300)


@hooks.register("register_admin_viewset")
def register_session_listing():
    return SessionListingViewSet()
