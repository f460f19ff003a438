"""The organisers' schedule board: a conference day's sessions by room on a 5-minute grid, the sessions without a
room, and moving one session (time, length, room) through the page form's rules, as a draft or published."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from conference.models import ConferencePage

from .forms import schedule_errors, speaker_conflict_messages
from .models import ProgrammePage, Room, SessionPage

SLOT_MINUTES = 5
# The grid shows at least this part of a day, widened to the hour around the first and last session.
DAY_FROM, DAY_UNTIL = time(8, 0), time(20, 0)


class MoveError(Exception):
    """A refused move: `code` for callers (forbidden, invalid), `errors` {field: message} for people."""

    def __init__(self, code, errors):
        super().__init__(code)
        self.code = code
        self.errors = errors

    @property
    def message(self):
        return " ".join(str(message) for message in self.errors.values())


@dataclass
class BoardBlock:
    session: SessionPage  # the latest draft of the session, which is what the organiser works on
    local_start: datetime
    local_end: datetime
    top: int = 0  # in slots from the top of the grid
    height: int = 1  # in slots
    colour: str = ""

    @property
    def minutes(self):
        return int((self.local_end - self.local_start).total_seconds() // 60)


@dataclass
class BoardDay:
    conference: object
    day: object
    rooms: list
    starts_at: datetime  # local time of the grid's first row
    slots: int
    columns: list = field(default_factory=list)  # [(room, [BoardBlock])]
    tray: list = field(default_factory=list)  # [BoardBlock] of sessions without a room, any day

    @property
    def hours(self):
        """(label, top slot) of each full hour on the grid."""
        per_hour = 60 // SLOT_MINUTES
        return [
            ((self.starts_at + timedelta(hours=n)).strftime("%H:%M"), n * per_hour)
            for n in range(self.slots // per_hour + 1)
        ]


def conference_sessions(conference):
    """Every default-language session of `conference` (drafts included) as its latest draft, with speakers."""
    canonical = conference.canonical
    programme = ProgrammePage.objects.child_of(canonical).first()
    if programme is None:
        return []
    pages = (
        SessionPage.objects.child_of(programme)
        .filter(locale=Locale.get_default())
        .select_related("room", "track", "latest_revision")
        .order_by("start", "pk")
    )
    # A draft differs from the page row only where the organiser saved changes without publishing.
    return [page.get_latest_revision_as_object() if page.has_unpublished_changes else page for page in pages]


def _block(session, conference):
    track = session.track if session.track_id else None
    return BoardBlock(
        session=session,
        local_start=timezone.localtime(session.start, conference.tzinfo),
        local_end=timezone.localtime(session.end, conference.tzinfo),
        colour=track.colour if track is not None else "",
    )


def board_day(conference, day):
    """The board of one conference day: rooms as columns, sessions placed on the grid, and the tray."""
    canonical = conference.canonical
    rooms = list(Room.objects.filter(conference=canonical))
    blocks = [_block(session, canonical) for session in conference_sessions(canonical)]
    placed = [block for block in blocks if block.session.room_id and block.local_start.date() == day]
    first = canonical.local_datetime(day, DAY_FROM)
    last = canonical.local_datetime(day, DAY_UNTIL)
    for block in placed:
        first = min(first, block.local_start.replace(minute=0))
        last = max(last, block.local_end)
    if last.minute or last.second:
        last = last.replace(minute=0, second=0) + timedelta(hours=1)
    slot = timedelta(minutes=SLOT_MINUTES)
    board = BoardDay(conference=canonical, day=day, rooms=rooms, starts_at=first, slots=int((last - first) / slot))
    for block in placed:
        block.top = int((block.local_start - first) / slot)
        block.height = max(1, int((block.local_end - block.local_start) / slot))
    board.columns = [(room, [block for block in placed if block.session.room_id == room.pk]) for room in rooms]
    board.tray = [block for block in blocks if not block.session.room_id]
    return board


@dataclass
class MoveResult:
    session: SessionPage
    published: bool
    warnings: list
    previous: dict  # {start, end, room}: what an undo sends back


def place(session):
    """{start, end, room} of a session as the board and its undo stack speak them (local ISO times, room pk)."""
    conference = ConferencePage.for_page(session).canonical
    return {
        "start": timezone.localtime(session.start, conference.tzinfo).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(session.end, conference.tzinfo).strftime("%Y-%m-%dT%H:%M"),
        "room": session.room_id,
    }


def move_session(*, session, start, end, room, publish, user):
    """Put `session` (a default-language SessionPage) at `start`–`end` in `room` (None: no room), checked by the
    page form's rules; saves a new revision by `user` and publishes it when `publish`. Raises MoveError."""
    permissions = session.permissions_for_user(user)
    if not permissions.can_edit() or (publish and not permissions.can_publish()):
        raise MoveError("forbidden", {"session": _("You may not change this session.")})
    if session.locale_id != Locale.get_default().pk:
        raise MoveError("invalid", {"session": _("Move the session in the default language; it applies to all.")})
    conference = ConferencePage.for_page(session).canonical
    if room is not None and room.conference_id != conference.pk:
        raise MoveError("invalid", {"room": _("This room belongs to another conference.")})
    with transaction.atomic():
        # One move of a session at a time: the revision is built on the latest one.
        SessionPage.objects.select_for_update().filter(pk=session.pk).first()
        draft = session.get_latest_revision_as_object() if session.pk else session
        previous = place(draft)
        errors = schedule_errors(draft, conference=conference, start=start, end=end, room=room, status=draft.status)
        if errors:
            raise MoveError("invalid", errors)
        draft.start, draft.end, draft.room = start, end, room
        revision = draft.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    return MoveResult(
        session=draft,
        published=publish,
        warnings=[str(message) for message in speaker_conflict_messages(draft)],
        previous=previous,
    )
