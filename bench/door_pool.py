"""Scan latency while the page pools are busy: bin/cluster with the demo, --browsers signed-in registrants
(one process each) reloading the registration form, the slowest page, through nginx, and one door phone
scanning a new badge five times a second, in turns through nginx (the door pools) and straight to page pool A
(where scans went before the door had pools of its own). Prints p50, p90 and the slowest scan per route, and
the load average.

    .venv/bin/python bench/door_pool.py [--browsers 2] [--scans 60] [--rounds 2] [--port 18540]

PAGE_NICE, DOOR_NICE and the other bin/cluster variables are passed on. About 90 s; the cluster is stopped and
the database dropped at the end."""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from gunicorn_server import add_database_option, local_database
from morning import CSRF_SECRET, SETUP, cluster_environment, django_run, pool_sizes, start_cluster, stop_cluster

CONFERENCE = "vilnius-2017"
WARM_UP, IDLE = 5, 20  # scans per route before the browsers start: to warm every thread up, then to time


def reload_register_form(base, session_key, stop):
    """One browser: the registration form again and again until `stop` is set."""
    browser = requests.Session()
    browser.cookies.set("sessionid", session_key)
    while not stop.is_set():
        try:
            browser.get(f"{base}/{CONFERENCE}/register/", timeout=60)
        except requests.RequestException:
            time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, default=2, help="processes reloading the registration form")
    parser.add_argument("--scans", type=int, default=60, help="scans per route and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "18540")))
    add_database_option(parser, "hrne_door_pool_bench")
    options = parser.parse_args()
    admin_url, database_name = local_database(options.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="door-pool-bench-"))
    cluster, stop, browsers = None, multiprocessing.Event(), []
    try:
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{database_name}"'], check=True)
        print(f"Starting bin/cluster on port {options.port} with database {database_name}…", flush=True)
        cluster = start_cluster(options.port, options.database_url, workdir, restart_delay=2)
        env = cluster_environment(options.port, options.database_url, workdir)
        badges_per_route = WARM_UP + IDLE + options.scans * options.rounds
        data = django_run(SETUP, [0, options.browsers, 1, 2 * badges_per_route], env)
        badges = iter(data["badges"][0])
        door = requests.Session()
        door.cookies.update({"sessionid": data["door_sessions"][0], "csrftoken": CSRF_SECRET})
        routes = {
            "through nginx (door pools)": f"http://127.0.0.1:{options.port}",
            "straight to page pool A": f"http://127.0.0.1:{options.port + 1}",
        }

        def scan(base):
            started = time.perf_counter()
            response = door.post(
                base + "/checkin/api/scan/",
                data=json.dumps({"code": next(badges), "conference": CONFERENCE}),
                headers={"Content-Type": "application/json", "X-CSRFToken": CSRF_SECRET},
                timeout=60,
            )
            assert response.status_code == 200, (response.status_code, response.text[:300])
            return (time.perf_counter() - started) * 1000

        for base in list(routes.values()) * WARM_UP:  # every thread of every pool opens its database connection
            scan(base)
        for name, base in routes.items():
            print(f"{name:27} p50 {statistics.median(scan(base) for _scan in range(IDLE)):5.0f} ms idle", flush=True)
        browsers = [
            multiprocessing.Process(target=reload_register_form, args=(routes["through nginx (door pools)"],
                                                                      registrant["session"], stop))
            for registrant in data["registrants"]
        ]  # fmt: skip
        for browser in browsers:
            browser.start()
        time.sleep(3)
        print(pool_sizes(workdir), f"{options.browsers} browsers reloading the registration form.")
        for _round in range(options.rounds):
            for name, base in routes.items():
                times = []
                for _scan in range(options.scans):
                    times.append(scan(base))
                    time.sleep(0.2)
                times.sort()
                print(
                    f"{name:27} p50 {statistics.median(times):5.0f} ms  p90 {times[int(len(times) * 0.9)]:5.0f} ms  "
                    f"slowest {times[-1]:5.0f} ms  load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        return 0
    finally:
        stop.set()
        for browser in browsers:
            browser.join(timeout=60)
        stop_cluster(cluster)
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{database_name}"'], check=False)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
