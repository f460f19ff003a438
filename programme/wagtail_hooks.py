"""Admin for the programme: rooms and tracks as snippets, a warning when a speaker is booked twice, and the
schedule releases page."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from conference.models import ConferencePage

from .enums import SessionStatus
from .models import Room, SessionPage, Track
from .release_admin import RELEASE_PERMISSION, ScheduleReleaseView


class RoomViewSet(SnippetViewSet):
    model = Room
    icon = "home"
    menu_label = gettext_lazy("Rooms")
    list_display = ["name", "slug", "capacity", "conference"]
    list_filter = ["conference"]
    search_fields = ["name"]


class TrackViewSet(SnippetViewSet):
    model = Track
    icon = "tag"
    menu_label = gettext_lazy("Tracks")
    list_display = ["name", "slug", "colour", "conference"]
    list_filter = ["conference"]
    search_fields = ["name"]


register_snippet(RoomViewSet)
register_snippet(TrackViewSet)


def warn_about_speaker_conflicts(request, page):
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(page, SessionPage) or page.status == SessionStatus.CANCELLED:
        return
    conference = ConferencePage.for_page(page)
    tzinfo = conference.canonical.tzinfo if conference else timezone.get_current_timezone()
    for speaker, other in page.speaker_conflicts():
        messages.warning(
            request,
            _("%(speaker)s is also in “%(title)s” at %(start)s–%(end)s. Check that they can be in both.")
            % {
                "speaker": speaker.title,
                "title": other.title,
                "start": timezone.localtime(other.start, tzinfo).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(other.end, tzinfo).strftime("%H:%M"),
            },
        )


hooks.register("after_create_page", warn_about_speaker_conflicts)
hooks.register("after_edit_page", warn_about_speaker_conflicts)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_release_admin_urls():
    return [path("programme/releases/", ScheduleReleaseView.as_view(), name="programme_releases")]


@hooks.register("register_admin_menu_item")
def register_release_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Schedule releases"),
        reverse("programme_releases"),
        icon_name="history",
        order=310,
        permission=RELEASE_PERMISSION,
    )
