"""Our exports read by real consumers: pretalx 2023.1.3's frab importer (import_schedule), khal, pyfahrplan (a
frab JSON reader) and vobject. Each outside tool runs in its own venv from bin/consumer-venvs (built once per
version under var/consumers/), in a clean environment that never sees our settings."""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import vobject

from programme.models import Track
from programme.releases import release_schedule

from .helpers import demo_session, publish_change

pytestmark = [pytest.mark.consumers, pytest.mark.django_db]

REPO = Path(__file__).resolve().parents[2]
XML = "/vilnius-2017/programme/schedule.xml"
JSON = "/vilnius-2017/programme/schedule.json"
ICS = "/vilnius-2017/programme/schedule.ics"


def consumer_venv(name):
    """The venv of one consumer, built on first use. Where it cannot be built (no PyPI) the test is skipped,
    unless REQUIRE_CONSUMERS=1 (CI), where that is a failure."""
    result = subprocess.run(
        [str(REPO / "bin" / "consumer-venvs"), name],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        message = f"bin/consumer-venvs {name} failed:\n{result.stderr[-3000:]}"
        if os.environ.get("REQUIRE_CONSUMERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return REPO / result.stdout.strip().splitlines()[-1]


def clean_environment(home, **extra):
    """Only what a tool needs: none of our variables (DJANGO_SETTINGS_MODULE above all) leak into it."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TZ": "UTC", **extra}


def run(command, *, env, cwd, timeout=600):
    result = subprocess.run(command, check=False, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{command[:3]} exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout


# --- pretalx import_schedule -------------------------------------------------------------------------------


class Pretalx:
    """A pretalx 2023.1.3 instance on SQLite in a temporary folder, migrated once per venv (copied per test)."""

    def __init__(self, venv, folder):
        self.venv, self.folder = venv, folder
        self.database = folder / "pretalx.sqlite3"
        self.config = folder / "pretalx.cfg"
        self.config.write_text(
            f"[filesystem]\ndata = {folder / 'data'}\n[database]\nbackend = sqlite3\nname = {self.database}\n"
        )
        template = venv / "migrated.sqlite3"
        if not template.exists():
            self.manage("migrate", "--noinput")
            shutil.copy(self.database, template.with_suffix(".tmp"))
            template.with_suffix(".tmp").replace(template)
        shutil.copy(template, self.database)

    def manage(self, *arguments):
        env = clean_environment(self.folder, PRETALX_CONFIG_FILE=str(self.config))
        return run([str(self.venv / "bin" / "python"), "-m", "pretalx", *arguments], env=env, cwd=self.folder)

    def import_schedule(self, content):
        path = self.folder / "schedule.xml"
        path.write_bytes(content)
        return self.manage("import_schedule", str(path))

    def query(self, sql, *parameters):
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, parameters).fetchall()

    def released_slots(self, version):
        """{submission code: (start, room name)} in the released schedule `version`."""
        rows = self.query(
            "SELECT s.code, t.start, r.name FROM schedule_talkslot t JOIN submission_submission s "
            "ON s.id = t.submission_id JOIN schedule_room r ON r.id = t.room_id JOIN schedule_schedule v "
            "ON v.id = t.schedule_id WHERE v.version = ?",
            version,
        )
        return {code: (datetime.fromisoformat(start).replace(tzinfo=UTC), room) for code, start, room in rows}


@pytest.fixture(scope="session")
def pretalx_venv():
    return consumer_venv("pretalx")


@pytest.fixture
def pretalx(pretalx_venv, tmp_path):
    return Pretalx(pretalx_venv, tmp_path)


def frab_events(content):
    root = ElementTree.fromstring(content)
    return root, root.findall("day/room/event")


def test_pretalx_imports_every_event_room_and_speaker(client, conference, pretalx):
    release_schedule(conference=conference, note="First programme")
    content = client.get(XML).content
    root, events = frab_events(content)
    assert "Successfully imported" in pretalx.import_schedule(content)

    submissions = {
        code: (title, track)
        for code, title, track in pretalx.query(
            "SELECT s.code, s.title, t.name FROM submission_submission s JOIN submission_track t ON t.id = s.track_id"
        )
    }
    assert submissions == {event.get("id"): (event.find("title").text, event.find("track").text) for event in events}
    assert "default" not in {track for _title, track in submissions.values()}
    rooms = {name for (name,) in pretalx.query("SELECT name FROM schedule_room")}
    assert rooms == {room.get("name") for room in root.iter("room") if room.get("guid")}
    assert "Radisson Blu Hotel Lietuva" in rooms
    speakers = {
        (code, name)
        for code, name in pretalx.query(
            "SELECT s.code, u.name FROM submission_submission_speakers l JOIN submission_submission s "
            "ON s.id = l.submission_id JOIN person_user u ON u.id = l.user_id"
        )
    }
    assert speakers == {
        (event.get("id"), person.text) for event in events for person in event.findall("persons/person")
    }
    assert len(speakers) >= 20
    descriptions = dict(pretalx.query("SELECT code, description FROM submission_submission"))
    assert all(descriptions.values())
    assert pretalx.query("SELECT version FROM schedule_schedule WHERE version IS NOT NULL") == [("1",)]
    slots = pretalx.released_slots("1")
    opening = demo_session(conference, "opening")
    assert slots[str(opening.pk)] == (opening.start.astimezone(UTC), "Plenary hall Lietuva")


def test_pretalx_reimport_after_a_release_updates_in_place(client, conference, pretalx):
    release_schedule(conference=conference, note="First programme")
    pretalx.import_schedule(client.get(XML).content)
    counts = [
        pretalx.query(f"SELECT COUNT(*) FROM {table}")[0][0]
        for table in ("submission_submission", "schedule_room", "person_user", "submission_track")
    ]

    session = demo_session(conference, "ost-in-prisons")
    old_start, new_start = session.start, session.start + timedelta(hours=5)
    publish_change(session, start=new_start, end=session.end + timedelta(hours=5), title="OST in prisons, moved")
    release_schedule(conference=conference, note="OST moved to the afternoon")
    pretalx.import_schedule(client.get(XML).content)

    assert [
        pretalx.query(f"SELECT COUNT(*) FROM {table}")[0][0]
        for table in ("submission_submission", "schedule_room", "person_user", "submission_track")
    ] == counts
    assert pretalx.query("SELECT title FROM submission_submission WHERE code = ?", str(session.pk)) == [
        ("OST in prisons, moved",)
    ]
    versions = [
        version
        for (version,) in pretalx.query("SELECT version FROM schedule_schedule WHERE version IS NOT NULL ORDER BY id")
    ]
    assert versions == ["1", "2"]
    assert pretalx.released_slots("1")[str(session.pk)][0] == old_start.astimezone(UTC)
    assert pretalx.released_slots("2")[str(session.pk)][0] == new_start.astimezone(UTC)


# --- khal ------------------------------------------------------------------------------------------------------

KHAL_CONFIG = """[calendars]
[[conference]]
path = {calendar}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}
[sqlite]
path = {database}
"""


def khal_list(venv, folder, ics, zone):
    calendar = folder / "calendar"
    calendar.mkdir()
    config = folder / "khal.conf"
    config.write_text(KHAL_CONFIG.format(calendar=calendar, zone=zone, database=folder / "khal.db"))
    env = clean_environment(folder)
    khal = str(venv / "bin" / "khal")
    run([khal, "-c", str(config), "import", "--batch", str(ics)], env=env, cwd=folder)
    output = run(
        [
            khal,
            "-c",
            str(config),
            "list",
            "--format",
            "{start}|{title}|{cancelled}",
            "--day-format",
            "",
            "2017-04-03",
            "5d",
        ],
        env=env,
        cwd=folder,
    )
    return [line.split("|") for line in output.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def khal_venv():
    return consumer_venv("khal")


@pytest.mark.parametrize(("zone", "offset"), [("Europe/Vilnius", 3), ("Europe/London", 1)])
def test_khal_imports_and_lists_every_session_at_local_time(client, conference, khal_venv, tmp_path, zone, offset):
    content = client.get(ICS).content
    ics = tmp_path / "schedule.ics"
    ics.write_bytes(content)
    listed = khal_list(khal_venv, tmp_path, ics, zone)
    calendar = vobject.readOne(content.decode())
    assert len(listed) == len(calendar.vevent_list) >= 30
    opening = demo_session(conference, "opening")
    expected_start = (opening.start.astimezone(UTC) + timedelta(hours=offset)).strftime("%Y-%m-%d %H:%M")
    assert [expected_start, "Opening: harm reduction in the new environment"] in [row[:2] for row in listed]
    cancelled = [title for _start, title, mark in listed if mark.strip()]
    assert cancelled == ["Cancelled: After UNGASS: the UN and drug policy"]


# --- pyfahrplan (frab JSON) -----------------------------------------------------------------------------------

# pyfahrplan downloads the CCC schedules through requests_cache when it is imported and constructed; its
# requests_cache release does not import on this Python. A stand-in module and a Fahrplan without the download
# leave its reading of a frab JSON document (flatten_fahrplans) exactly as shipped.
PYFAHRPLAN_READER = """
import json, sys, types
sys.modules["requests_cache"] = types.SimpleNamespace(install_cache=lambda *a, **k: None, clear=lambda: None)
from pyfahrplan.lib import Fahrplan
plan = Fahrplan.__new__(Fahrplan)
plan.fahrplans = [json.load(open(sys.argv[1], encoding="utf-8"))["schedule"]]
plan.flatten_fahrplans()
print(json.dumps(plan.flat_plans, ensure_ascii=False))
"""


def test_pyfahrplan_reads_speakers_rooms_and_times(client, conference, tmp_path):
    venv = consumer_venv("pyfahrplan")
    path = tmp_path / "schedule.json"
    path.write_bytes(client.get(JSON).content)
    output = run(
        [str(venv / "bin" / "python"), "-c", PYFAHRPLAN_READER, str(path)],
        env=clean_environment(tmp_path),
        cwd=tmp_path,
    )
    flat = json.loads(output)
    assert len(flat) >= 30
    talks = {talk["title"]: talk for talk in flat}
    opening = talks["Opening: harm reduction in the new environment"]
    assert opening["speakers"] == "Tomas Kairys (demo), Aliya Nurlanova (demo)"
    assert (opening["room"], opening["talk_start"], opening["talk_duration"]) == (
        "Plenary hall Lietuva",
        "09:00",
        "00:45",
    )
    assert talks["Coffee break"]["room"] == "Radisson Blu Hotel Lietuva"
    with_speakers = [talk for talk in flat if talk["speakers"]]
    assert len(with_speakers) >= 20
    assert all(name.strip() for talk in with_speakers for name in talk["speakers"].split(","))


# --- vobject (in our own venv) ---------------------------------------------------------------------------------


def test_vobject_reads_a_filtered_calendar_name_as_written(client, conference):
    """The name says the day and the track in words, without commas (vobject shows their escapes)."""
    content = client.get(ICS + "?day=2017-04-04&track=hiv-hcv-ost").content.decode()
    calendar = vobject.readOne(content)
    name = calendar.contents["x-wr-calname"][0].value
    assert Track.objects.get(conference=conference, slug="hiv-hcv-ost").name == "HIV, HCV and OST"
    assert name == "Harm Reduction in the New Environment (Tuesday 4 April · HIV HCV and OST)"
    assert calendar.contents["name"][0].value == name
    assert calendar.vevent_list
