"""CI lanes: `.ci/run` runs the suite in two processes side by side, one on SQLite and one on PostgreSQL, and
each test runs once. Tests that behave differently by database run where that matters: `postgres` tests on
PostgreSQL, `both_databases` tests (NUL bytes, case-insensitive look-ups, property tests) on both, browser and
consumer tests on SQLite (the browser does not see the database). Every other test module goes to the lane with
less work so far, by the seconds `.ci/test-seconds.json` records for it (refresh with
`bin/test --record-seconds .ci/test-seconds.json`); `multi_server` tests are a step of their own.

Without `--lane`, nothing is deselected: `bin/test` runs everything on the database DATABASE_URL names."""

import json
import zlib
from collections import defaultdict
from pathlib import Path

import pytest

SECONDS_FILE = Path(__file__).resolve().parent.parent / ".ci" / "test-seconds.json"
UNKNOWN_MODULE_SECONDS = 5.0
# The recorded seconds are SQLite's; the same tests take about a quarter longer on PostgreSQL (CI, this stop).
LANE_SLOWDOWN = {"sqlite": 1.0, "postgres": 1.25}
LANES = ("sqlite", "postgres")


def pytest_addoption(parser):
    group = parser.getgroup("ci lanes")
    group.addoption("--lane", choices=LANES, help="run only this CI lane's share of the suite")
    group.addoption("--record-seconds", metavar="PATH", help="write each test module's total seconds as JSON")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_databases: runs in the SQLite and in the PostgreSQL CI lane")
    config.addinivalue_line("markers", "multi_server: several real app servers; a CI step of its own")


def fixed_lane(item):
    """The lane a test must run in because of what it tests, or None when either lane will do."""
    if item.get_closest_marker("multi_server"):
        return "own step"
    if item.get_closest_marker("both_databases"):
        return "both"
    if item.get_closest_marker("postgres"):
        return "postgres"
    if item.get_closest_marker("browser") or item.get_closest_marker("consumers"):
        return "sqlite"
    return None


def module_of(item):
    return item.nodeid.split("::", 1)[0]


def lane_of_modules(items, seconds):
    """Greedy balance: the fixed work first, then the free modules, largest first, each to the lighter lane."""
    items_in = defaultdict(int)
    for item in items:
        items_in[module_of(item)] += 1

    def item_seconds(module):
        return seconds.get(module, UNKNOWN_MODULE_SECONDS) / items_in[module]

    load = dict.fromkeys(LANES, 0.0)
    free = defaultdict(float)
    for item in items:
        module, lane = module_of(item), fixed_lane(item)
        if lane is None:
            free[module] += item_seconds(module)
        for each in LANES:
            if lane in (each, "both"):
                load[each] += item_seconds(module) * LANE_SLOWDOWN[each]
    chosen = {}
    # The name's checksum breaks ties, so that the split does not depend on collection order.
    for module in sorted(free, key=lambda m: (-free[m], zlib.crc32(m.encode()))):
        lane = min(LANES, key=lambda each: load[each] + free[module] * LANE_SLOWDOWN[each])
        chosen[module] = lane
        load[lane] += free[module] * LANE_SLOWDOWN[lane]
    return chosen, load


def pytest_collection_modifyitems(config, items):
    lane = config.getoption("--lane")
    if lane is None:
        return
    seconds = json.loads(SECONDS_FILE.read_text()) if SECONDS_FILE.exists() else {}
    chosen, load = lane_of_modules(items, seconds)
    keep, drop = [], []
    for item in items:
        fixed = fixed_lane(item)
        if fixed in ("both", lane) or (fixed is None and chosen[module_of(item)] == lane):
            keep.append(item)
        else:
            drop.append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
    config._lane_expected_seconds = load[lane]


def pytest_report_header(config):
    lane = config.getoption("--lane")
    return f"CI lane: {lane}" if lane else None


class SecondsRecorder:
    def __init__(self, path):
        self.path = Path(path)
        self.seconds = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[report.nodeid.split("::", 1)[0]] += report.duration

    def pytest_sessionfinish(self):
        self.path.write_text(json.dumps({k: round(v, 1) for k, v in sorted(self.seconds.items())}, indent=1) + "\n")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    path = session.config.getoption("--record-seconds")
    if path:
        session.config.pluginmanager.register(SecondsRecorder(path), "lane-seconds-recorder")
