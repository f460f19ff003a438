"""Releasing a conference's published programme as a version and working out what changed since the previous
release: the data behind the public changelog, its Atom feed, the frab exports' <version> and change notices."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Locale

from conference.models import ConferencePage

from .cache import invalidate_programme
from .gathering import gather_schedule
from .release_models import ChangeKind, ScheduleChange, ScheduleRelease

NOTE_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 50


# Called with each new release inside its transaction (programme.change_notices registers itself in
# ProgrammeConfig.ready: it needs the models, which this module must not import at load time).
_release_listeners = []


def register_release_listener(listener):
    """Add a callable(release) run inside the transaction that makes each release."""
    if listener not in _release_listeners:
        _release_listeners.append(listener)


class ReleaseError(Exception):
    """A release that cannot be made; `code` names the reason for callers, `message` is for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def session_facts(schedule, session):
    """What a release records of one published session (plain JSON values; times in UTC)."""
    room = schedule.rooms_by_id.get(session.room_id)
    return {
        "id": session.id,
        "title": session.title,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "room_id": session.room_id,
        "room": room["name"] if room else "",
        "status": session.status,
        "speakers": [{"id": speaker.id, "name": speaker.name} for speaker in session.speakers],
    }


def programme_snapshot(conference):
    """{translation key: facts} of every published session, read from the database (never a cached copy)."""
    canonical = conference.canonical
    schedule = gather_schedule(canonical, language=Locale.get_default().language_code)
    return {session.translation_key: session_facts(schedule, session) for session in schedule.sessions}


def diff_snapshots(old, new):
    """The changes from snapshot `old` to snapshot `new`: a list of {kind, translation_key, old, new} (old or new
    facts are None for a new or removed session), in programme order."""
    changes = []

    def add(kind, key):
        changes.append({"kind": kind, "translation_key": key, "old": old.get(key), "new": new.get(key)})

    for key in new.keys() - old.keys():
        add(ChangeKind.NEW, key)
    for key in old.keys() - new.keys():
        add(ChangeKind.REMOVED, key)
    for key in old.keys() & new.keys():
        before, after = old[key], new[key]
        if before["status"] != after["status"]:
            add(ChangeKind.CANCELLED if after["status"] == "cancelled" else ChangeKind.REINSTATED, key)
        if (before["start"], before["end"]) != (after["start"], after["end"]):
            add(ChangeKind.MOVED, key)
        if before["room_id"] != after["room_id"]:
            add(ChangeKind.ROOM_CHANGED, key)
        if sorted(speaker["id"] for speaker in before["speakers"]) != sorted(
            speaker["id"] for speaker in after["speakers"]
        ):
            add(ChangeKind.SPEAKERS_CHANGED, key)
    order = list(ChangeKind.values)
    changes.sort(
        key=lambda change: (
            (change["new"] or change["old"])["start"],
            change["translation_key"],
            order.index(change["kind"]),
        )
    )
    return changes


def _change_row(release, change, room_ids):
    before, after = change["old"] or {}, change["new"] or {}

    def moment(facts, name):
        return datetime.fromisoformat(facts[name]) if facts.get(name) else None

    def room(facts):
        return facts.get("room_id") if facts.get("room_id") in room_ids else None

    return ScheduleChange(
        release=release,
        kind=change["kind"],
        session_id=(after or before)["id"],
        translation_key=change["translation_key"],
        title=(after or before)["title"][:255],
        old_start=moment(before, "start"),
        old_end=moment(before, "end"),
        old_room_id=room(before),
        old_room_name=before.get("room", "")[:100],
        new_start=moment(after, "start"),
        new_end=moment(after, "end"),
        new_room_id=room(after),
        new_room_name=after.get("room", "")[:100],
        old_speakers=before.get("speakers", []),
        new_speakers=after.get("speakers", []),
    )


def release_schedule(*, conference, note="", note_ru="", by=None, name="", expected=None):
    """Record the published programme of `conference` as its next release, with the changes since the previous
    one (none for the first), and return the ScheduleRelease; the note in English and, optionally, in Russian.
    With `expected` (a preview's fingerprint) the release is refused when the changes are no longer the ones
    previewed. Raises ReleaseError on a bad note or name, or such a change."""
    note, note_ru, name = (note or "").strip(), (note_ru or "").strip(), (name or "").strip()
    if len(note) > NOTE_MAX_LENGTH or len(note_ru) > NOTE_MAX_LENGTH:
        raise ReleaseError("note_too_long", _("Keep the note under %(count)s characters.") % {"count": NOTE_MAX_LENGTH})
    if len(name) > NAME_MAX_LENGTH:
        raise ReleaseError(
            "name_too_long", _("Keep the version under %(count)s characters.") % {"count": NAME_MAX_LENGTH}
        )
    canonical = conference.canonical
    with transaction.atomic():
        # One release at a time per conference: the number and the diff both depend on the previous release.
        ConferencePage.objects.select_for_update().filter(pk=canonical.pk).first()
        previous = ScheduleRelease.objects.filter(conference=canonical).order_by("-number").first()
        number = previous.number + 1 if previous else 1
        name = name or str(number)
        if ScheduleRelease.objects.filter(conference=canonical, name=name).exists():
            raise ReleaseError("name_taken", _("There is already a release “%(name)s”.") % {"name": name})
        snapshot = programme_snapshot(canonical)
        changes = diff_snapshots(previous.snapshot, snapshot) if previous is not None else []
        if expected is not None and expected != fingerprint(changes):
            raise ReleaseError(
                "changed_since_preview",
                _("The programme changed while you were looking at it: check the changes again, then release."),
            )
        release = ScheduleRelease.objects.create(
            conference=canonical,
            number=number,
            name=name,
            note=note,
            note_ru=note_ru,
            created_by=by if by is not None and by.is_authenticated else None,
            snapshot=snapshot,
        )
        if previous is not None:
            # By name: programme.models imports the views, whose frab exporter imports this module.
            Room = apps.get_model("programme", "Room")
            room_ids = set(Room.objects.filter(conference=canonical).values_list("pk", flat=True))
            ScheduleChange.objects.bulk_create(_change_row(release, change, room_ids) for change in changes)
        for listener in _release_listeners:
            listener(release)
        # The frab exports carry the release's name as <version>. Now and again after the commit, so that a
        # request racing the transaction cannot keep the old version under the new generation (as signals.py).
        invalidate_programme(canonical.pk)
        transaction.on_commit(lambda: invalidate_programme(canonical.pk))
    return release


def fingerprint(changes):
    """A short digest of a list of changes (diff_snapshots): what a preview showed, to compare at release."""
    facts = [(change["kind"], str(change["translation_key"]), change["old"], change["new"]) for change in changes]
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass
class ReleasePreview:
    """What the next release of a conference would record: the previous release (None before the first), the
    changes since it, and the sessions published now."""

    previous: ScheduleRelease | None
    changes: list
    sessions: int
    fingerprint: str

    def count(self, *kinds):
        return sum(1 for change in self.changes if change["kind"] in kinds)


def preview_release(conference):
    """The ReleasePreview of `conference`'s published programme now (read from the database, like a release)."""
    canonical = conference.canonical
    previous = ScheduleRelease.objects.filter(conference=canonical).order_by("-number").first()
    snapshot = programme_snapshot(canonical)
    changes = diff_snapshots(previous.snapshot, snapshot) if previous is not None else []
    return ReleasePreview(previous=previous, changes=changes, sessions=len(snapshot), fingerprint=fingerprint(changes))


def latest_release_name(conference_id):
    """The name of the conference's latest release, or None before the first."""
    return (
        ScheduleRelease.objects.filter(conference_id=conference_id)
        .order_by("-number")
        .values_list("name", flat=True)
        .first()
    )


def changed_sessions(release):
    """{session pk: [ScheduleChange]} of a release, for notifying the attendees of each changed session."""
    result = {}
    for change in release.changes.all():
        if change.session_id is not None:
            result.setdefault(change.session_id, []).append(change)
    return result


def unreleased_sessions(conferences):
    """{conference pk: (latest release name or None, published sessions changed since it)} for the organisers'
    dashboard, in two queries for any number of conferences. A session counts once it is published after the
    release (any change to its page, so this may count more than the release will list: the release form shows
    the exact changes); before the first release every published session counts."""
    canonical = {conference.pk: conference for conference in conferences}
    latest = {}
    for conference_id, name, created_at in (
        ScheduleRelease.objects.filter(conference__in=list(canonical))
        .order_by("conference_id", "number")
        .values_list("conference_id", "name", "created_at")
    ):
        latest[conference_id] = (name, created_at)
    sessions = Q(pk__in=[])
    for pk, conference in canonical.items():
        under = Q(path__startswith=conference.path)
        if pk in latest:
            under &= Q(last_published_at__gt=latest[pk][1])
        sessions |= under
    SessionPage = apps.get_model("programme", "SessionPage")  # by name, as in release_schedule
    paths = SessionPage.objects.live().filter(sessions, locale=Locale.get_default()).values_list("path", flat=True)
    counts = dict.fromkeys(canonical, 0)
    for path in paths:
        for pk, conference in canonical.items():
            if path.startswith(conference.path):
                counts[pk] += 1
    return {pk: (latest.get(pk, (None,))[0], counts[pk]) for pk in canonical}
