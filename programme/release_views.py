"""The public changelog of schedule releases (…/programme/changes/) and its Atom feed (…/changes/feed/)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from conference.localized_fields import localized

from .gathering import get_schedule
from .release_models import ChangeKind, ScheduleRelease
from .views import conference_or_404

FEED_RELEASES = 20


def change_entry(change, *, sessions, tzinfo, language):
    """One change as the page and the feed show it: in `language`, times in the conference's zone."""
    session = sessions.get(str(change.translation_key))

    def room_name(room, name):
        return localized(room, "name", language) if room is not None else name

    def moment(value):
        return value.astimezone(tzinfo) if value else None

    return {
        "kind": change.kind,
        "kind_label": ChangeKind(change.kind).label,
        "title": session.title if session else change.title,
        "path": session.path if session and change.kind != ChangeKind.REMOVED else "",
        "old_start": moment(change.old_start),
        "old_end": moment(change.old_end),
        "old_room": room_name(change.old_room, change.old_room_name),
        "new_start": moment(change.new_start),
        "new_end": moment(change.new_end),
        "new_room": room_name(change.new_room, change.new_room_name),
        "old_speakers": ", ".join(speaker["name"] for speaker in change.old_speakers),
        "new_speakers": ", ".join(speaker["name"] for speaker in change.new_speakers),
    }


def releases_with_changes(page, *, limit=None):
    """(schedule, [(release, [change entries])]) newest first, in the page's language."""
    conference = conference_or_404(page)
    schedule = get_schedule(conference, page.locale.language_code)
    sessions = {session.translation_key: session for session in schedule.sessions}
    releases = (
        ScheduleRelease.objects.filter(conference_id=schedule.conference_id)
        .order_by("-number")
        .prefetch_related("changes__old_room", "changes__new_room")
    )
    if limit:
        releases = releases[:limit]
    language = schedule.language
    releases = list(releases)
    for release in releases:
        release.shown_note = release.note_in(language)
    return schedule, [
        (
            release,
            [
                change_entry(change, sessions=sessions, tzinfo=schedule.tzinfo, language=language)
                for change in release.changes.all()
            ],
        )
        for release in releases
    ]


def serve_changes(request, page):
    """Every release of the programme, newest first, with what changed in each."""
    schedule, releases = releases_with_changes(page)
    context = {
        "page": page,
        "self": page,
        "schedule": schedule,
        "releases": releases,
        "feed_url": f"{schedule.programme_path}changes/feed/",
        "calendar_url": f"{schedule.programme_path}schedule.ics",
    }
    response = TemplateResponse(request, "programme/schedule_changes.html", context)
    # A release invalidates the programme's generation, which the shared page cache keys on.
    response.shared_cache = {}
    return response


def change_summary(entry):
    """One line of plain text for the feed."""
    parts = [f"{entry['kind_label']}: {entry['title']}"]
    if entry["old_start"] and entry["kind"] in (ChangeKind.MOVED, ChangeKind.ROOM_CHANGED):
        parts.append(
            _("was %(when)s, %(room)s")
            % {"when": entry["old_start"].strftime("%Y-%m-%d %H:%M"), "room": entry["old_room"] or "—"}
        )
    if entry["new_start"]:
        parts.append(
            _("now %(when)s, %(room)s")
            % {"when": entry["new_start"].strftime("%Y-%m-%d %H:%M"), "room": entry["new_room"] or "—"}
        )
    if entry["kind"] == ChangeKind.SPEAKERS_CHANGED:
        parts.append(_("speakers: %(names)s") % {"names": entry["new_speakers"] or "—"})
    return "; ".join(parts)


class ScheduleChangesFeed(Feed):
    """Atom feed of a programme's releases: one entry per release, its changes in the summary."""

    feed_type = Atom1Feed

    def __init__(self, page):
        super().__init__()
        self.page = page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.schedule, self.releases = releases_with_changes(self.page, limit=FEED_RELEASES)
        self.changes = {release.pk: entries for release, entries in self.releases}
        return self.page

    def title(self, page):
        return _("Programme changes: %(conference)s") % {"conference": self.schedule.conference_title}

    # Every address absolute from SITE_URL: Django's Feed would otherwise prefix the request's Host and scheme, and
    # the shared cache would keep a feed built for `Host: localhost` for every later reader (issue 21.8).
    def link(self, page):
        return f"{settings.SITE_URL}{self.schedule.programme_path}changes/"

    def feed_url(self, page):
        return f"{settings.SITE_URL}{self.schedule.programme_path}changes/feed/"

    def author_name(self, page):
        """RFC 4287 asks for an author of a feed whose entries name none: the conference's organisers."""
        return self.schedule.conference_title

    def author_link(self, page):
        return settings.SITE_URL + self.schedule.conference_path

    def subtitle(self, page):
        return _("Each release of the programme and what changed in it.")

    def items(self, page):
        return [release for release, _entries in self.releases]

    def item_title(self, release):
        return _("Version %(name)s") % {"name": release.name}

    def item_description(self, release):
        note = release.note_in(self.schedule.language)
        lines = [note] if note else []
        entries = self.changes[release.pk]
        if entries:
            lines.extend(change_summary(entry) for entry in entries)
        elif release.number == 1:
            lines.append(_("The first release of the programme."))
        else:
            lines.append(_("No session changed."))
        return "\n".join(lines)

    def item_link(self, release):
        return f"{settings.SITE_URL}{self.schedule.programme_path}changes/#release-{release.number}"

    def item_pubdate(self, release):
        return release.created_at

    def item_updateddate(self, release):
        return release.created_at


def serve_changes_feed(request, page):
    """The Atom feed, shared by every reader like the other exports."""
    response = ScheduleChangesFeed(page)(request)
    response.shared_cache = {}
    return response
