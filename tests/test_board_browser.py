"""The schedule board in Chromium: an organiser drags a session to a free slot (the programme and schedule.ics
follow, SEQUENCE grows), is refused a taken room with the page form's message beside the session, and moves a
session with the keyboard and undoes it; every outcome is written next to the session, dates as the admin's
language writes them."""

import zoneinfo

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from programme.models import Room, SessionPage

pytestmark = [pytest.mark.browser]

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
BOARD = "/admin/programme/board/?day=2017-04-04"
SLOT_PX = 10  # static/css/schedule-board.css: --slot
GRID_STARTS_AT_HOUR = 8  # programme.board.DAY_FROM, the demo's first day starting at 09:00


def session(slug):
    return SessionPage.objects.get(slug=slug, locale__language_code="en")


def local(moment):
    return moment.astimezone(VILNIUS).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def board(browser, live_server, demo_tx):
    """The board of the demo's first day, open in a browser signed in as load_demo's organiser."""
    call_command("load_demo", "--organiser", "organiser@example.org", "--password", "a-long-pass-phrase", verbosity=0)
    client = Client()
    client.force_login(get_user_model().objects.get(email="organiser@example.org"))
    context = browser.new_context(viewport={"width": 1400, "height": 3000})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + BOARD)
    yield page
    context.close()


def block(page, slug):
    return page.locator(f".board-block[data-session='{session(slug).pk}']")


def drag_to(page, slug, room_slug, hour, minute):
    """Press on the block's top edge, move in steps to the room's column at hour:minute, let go."""
    room_id = Room.objects.get(
        conference__slug="vilnius-2017", conference__locale__language_code="en", slug=room_slug
    ).pk
    source = block(page, slug).bounding_box()
    target = page.locator(f".board-column[data-room='{room_id}'] [data-board-drop]").bounding_box()
    # Pressed 2 px below the block's top edge, let go 2 px below the slot's top: the board snaps to the slot.
    grab_x, grab_y = source["x"] + source["width"] / 2, source["y"] + 2
    slots = ((hour - GRID_STARTS_AT_HOUR) * 60 + minute) // 5
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + slots * SLOT_PX + 2, steps=12)
    page.mouse.up()


def wait_for_live(page, text):
    """Until the board's aria-live region says `text` (no script evaluation: the admin's CSP forbids eval)."""
    page.locator("[data-board-live]", has_text=text).wait_for()


def assert_beside(note, session_block):
    """The note sits just below the session's block, in its column, within the window."""
    note_box, block_box = note.bounding_box(), session_block.bounding_box()
    assert 0 <= note_box["y"] - (block_box["y"] + block_box["height"]) <= 6
    assert abs(note_box["x"] - block_box["x"]) <= 4
    assert note.is_visible() and note.evaluate("element => element.getBoundingClientRect().bottom <= innerHeight")


def ics_event(client, slug):
    calendar = icalendar.Calendar.from_ical(client.get("/vilnius-2017/programme/schedule.ics").content)
    title = session(slug).title
    return next(event for event in calendar.walk("VEVENT") if str(event["SUMMARY"]) == title)


def test_drag_to_a_free_slot_moves_and_publishes_the_session(board, live_server):
    public = Client()
    sequence_before = int(ics_event(public, "naloxone-in-every-pocket")["SEQUENCE"])
    board.check("[data-board-publish]")
    drag_to(board, "naloxone-in-every-pocket", "trakai-room", 16, 0)
    wait_for_live(board, "Published")
    note = board.locator("[data-board-note]")
    assert note.inner_text() == "Naloxone in every pocket: Tue 4 Apr, 16:00–17:30, Trakai room. Published."
    assert_beside(note, block(board, "naloxone-in-every-pocket"))
    moved = session("naloxone-in-every-pocket")
    assert (local(moved.start), local(moved.end)) == ("2017-04-04 16:00", "2017-04-04 17:30")
    assert moved.room.slug == "trakai-room"
    assert not moved.has_unpublished_changes
    programme = public.get("/vilnius-2017/programme/?day=2017-04-04").content.decode()
    title_at = programme.index("Naloxone in every pocket")
    assert "16:00" in programme[max(0, title_at - 1500) : title_at]
    event = ics_event(public, "naloxone-in-every-pocket")
    assert event.decoded("DTSTART").astimezone(VILNIUS).strftime("%H:%M") == "16:00"
    assert int(event["SEQUENCE"]) == sequence_before + 1


def test_drag_onto_a_taken_room_is_refused_with_the_form_message(board):
    before = session("naloxone-in-every-pocket")
    drag_to(board, "naloxone-in-every-pocket", "neris-room", 14, 0)
    note = board.locator("[data-board-note].board-note--error")
    note.wait_for(state="visible")
    reason = (
        "Neris room is already taken by “Police and harm reduction: from raids to referrals” from Tue 4 April, 14:00 "
        "to 15:30."
    )
    assert note.inner_text() == f"Not moved: {reason}"
    # Beside the session, which went back to its place, and on screen; screen readers hear the reason.
    assert_beside(note, block(board, "naloxone-in-every-pocket"))
    assert board.locator("[data-board-error]").text_content() == reason
    after = session("naloxone-in-every-pocket")
    assert (after.start, after.room_id, after.latest_revision_id) == (
        before.start,
        before.room_id,
        before.latest_revision_id,
    )
    # The block went back to where it was.
    assert block(board, "naloxone-in-every-pocket").get_attribute("data-start") == "2017-04-04T11:30"


def test_keyboard_moves_a_session_as_a_draft_and_undo_puts_it_back(board):
    live = board.locator("[data-board-live]")
    costing = block(board, "costing-harm-reduction")
    costing.focus()
    for _ in range(6):
        board.keyboard.press("ArrowDown")
    wait_for_live(board, "12:00–13:30")
    board.keyboard.press("Enter")
    wait_for_live(board, "Saved as a draft")
    page = session("costing-harm-reduction")
    # Published times stay until the organiser publishes; the draft holds the move.
    assert local(page.start) == "2017-04-04 11:30"
    draft = page.get_latest_revision_as_object()
    assert (local(draft.start), local(draft.end)) == ("2017-04-04 12:00", "2017-04-04 13:30")
    assert costing.get_attribute("data-start") == "2017-04-04T12:00"

    board.click("[data-board-undo]")
    wait_for_live(board, "Undone")
    draft = session("costing-harm-reduction").get_latest_revision_as_object()
    assert (local(draft.start), local(draft.end)) == ("2017-04-04 11:30", "2017-04-04 13:00")
    assert "11:30–13:00" in live.inner_text()


def test_escape_cancels_a_keyboard_move(board):
    costing = block(board, "costing-harm-reduction")
    revision = session("costing-harm-reduction").latest_revision_id
    costing.focus()
    board.keyboard.press("ArrowRight")
    board.keyboard.press("Escape")
    wait_for_live(board, "Move cancelled")
    assert session("costing-harm-reduction").latest_revision_id == revision
    assert costing.evaluate("element => element.closest('.board-column').dataset.roomName") == "Neris room"


def test_session_without_a_room_is_dropped_from_the_tray_onto_a_room(board):
    board.check("[data-board-publish]")
    drag_to(board, "coffee-day-1-afternoon", "trakai-room", 16, 0)
    wait_for_live(board, "Published")
    placed = session("coffee-day-1-afternoon")
    assert (placed.room.slug, local(placed.start), local(placed.end)) == (
        "trakai-room",
        "2017-04-04 16:00",
        "2017-04-04 16:30",
    )
    assert block(board, "coffee-day-1-afternoon").evaluate("element => element.closest('.board-column') !== null")
