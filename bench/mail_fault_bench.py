"""Mail fault benchmark: a burst of registrations through gunicorn on PostgreSQL while the mail server hangs,
then recovers. Measures that no email is lost or doubled, that a hung mail server slows no request, and how
long the queue takes to drain once the mail server works again.

    .venv/bin/python bench/mail_fault_bench.py [--registrations 500] [--clients 16] [--hang-seconds 20]
        [--mail-workers 2] [--database-url postgres://postgres@127.0.0.1:5432/hrne_mail_fault_bench]

What it runs, all on loopback: a "mail server" that accepts TCP connections and never says a word (the
worst kind of outage: every SMTP conversation waits for EMAIL_TIMEOUT), gunicorn (production settings,
EMAIL_HOST pointing at that port), and `--mail-workers` `manage.py worker` processes. `--clients` threads
POST the registration form once per prepared account (each with its own signed-in session). After
`--hang-seconds` the hanging listener closes and a real SMTP server (aiosmtpd) takes the same port; the
workers' retries deliver to it. Afterwards it checks that every registration got exactly one confirmation
email at the working server, and reports the registration POSTs' p50/p99/max latency, how many took over a
second, and the time from recovery until the last email arrived. The bench database is dropped and created
anew; every process it starts is stopped at the end; loops are bounded (`--drain-timeout`)."""

import argparse
import contextlib
import email
import email.header
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from gunicorn_server import PYTHON, ROOT, free_port, server_environment, start_gunicorn, stop_gunicorn
from registration_bench import parse_with_database, prepare_accounts, prepare_demo_database, register_all


class HangingMailServer:
    """Accepts connections and never answers: an SMTP client waits for a greeting until its timeout."""

    def __init__(self, port):
        self.listener = socket.create_server(("127.0.0.1", port), backlog=128)
        self.listener.settimeout(0.2)
        self.held = []
        self.accepted = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self.held.append(connection)

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()
        for connection in self.held:
            connection.close()


class Inbox:
    """aiosmtpd handler: keeps the recipient, subject and arrival time of every message."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.original_content)
        subject = " ".join(str(email.header.make_header(email.header.decode_header(message["Subject"] or ""))).split())
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), subject, time.perf_counter()))
        return "250 OK"

    def count(self):
        with self.lock:
            return len(self.messages)


def start_mail_workers(count, env, logdir):
    workers = []
    for number in range(count):
        log = (logdir / f"worker-{number}.log").open("wb")
        workers.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        )
    return workers


def stop_mail_workers(workers):
    for worker in workers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def warm_up(port, requests=32):
    """Cold gunicorn workers take seconds for their first page (imports, URL patterns, templates): load
    every worker once before the clock starts, so the burst measures mail, not start-up."""

    def get():
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/vilnius-2017/register/", headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
            connection.close()

    threads = [threading.Thread(target=get) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def percentile(sorted_values, fraction):
    return sorted_values[max(int(len(sorted_values) * fraction) - 1, 0)] * 1000 if sorted_values else float("nan")


def main():  # noqa: PLR0915 (one linear script: set up, run, count, report)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--mail-workers", type=int, default=2, help="`manage.py worker` processes")
    parser.add_argument("--hang-seconds", type=float, default=20, help="how long the mail server hangs")
    parser.add_argument("--email-timeout", type=int, default=10, help="EMAIL_TIMEOUT for the workers")
    parser.add_argument("--drain-timeout", type=float, default=600, help="give up waiting for emails after this")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--smtp-port", type=int, default=0, help="the mail server's port (default: a free one)")
    options = parse_with_database(parser, "hrne_mail_fault_bench")
    workdir = Path(tempfile.mkdtemp(prefix="mail-fault-bench-"))
    port = options.port or free_port()
    smtp_port = options.smtp_port or free_port()
    env = server_environment(
        workdir=workdir,
        database_url=options.database_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT=str(options.email_timeout),
    )
    server = hanging = controller = None
    workers = []
    try:
        prepare_demo_database(options.database_url, env)
        # Capacity above the burst: every registration is confirmed, so each gets the badge PDF email.
        session_keys = prepare_accounts(options.registrations, options.registrations)
        recipients = {f"bench{n}@example.org" for n in range(options.registrations)}

        hanging = HangingMailServer(smtp_port) if options.hang_seconds > 0 else None
        workers = start_mail_workers(options.mail_workers, env, workdir)
        server = start_gunicorn(port=port, env=env, workers=options.workers)
        warm_up(port)
        print(
            f"{options.registrations} registrations from {options.clients} clients (gunicorn, {options.workers} "
            f"sync workers, {options.mail_workers} mail workers); the mail server hangs for "
            f"{options.hang_seconds:.0f} s (EMAIL_TIMEOUT={options.email_timeout})…",
            flush=True,
        )
        outcome = {}

        def run_burst():
            seconds, latencies, errors = register_all(port, session_keys, options.clients)
            outcome.update(seconds=seconds, latencies=latencies, errors=errors)

        burst = threading.Thread(target=run_burst)
        began = time.perf_counter()
        burst.start()
        burst.join(timeout=options.hang_seconds)
        remaining = options.hang_seconds - (time.perf_counter() - began)
        if remaining > 0:
            time.sleep(remaining)
        if hanging is not None:
            hanging.close()
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        recovered = time.perf_counter()
        print(
            f"mail server recovered after {recovered - began:.1f} s "
            f"({hanging.accepted if hanging else 0} SMTP connections hung meanwhile)",
            flush=True,
        )
        burst.join(timeout=900)
        deadline = recovered + options.drain_timeout
        while inbox.count() < options.registrations and time.perf_counter() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # anything that would arrive twice arrives now
        latencies, errors = outcome.get("latencies", []), outcome.get("errors", ["the burst did not finish"])

        per_recipient = Counter(
            rcpt for rcpts, subject, _at in inbox.messages if "is confirmed" in subject for rcpt in rcpts
        )
        missing = recipients - set(per_recipient)
        doubled = sorted(rcpt for rcpt, count in per_recipient.items() if count > 1)
        drained = max((at for _r, _s, at in inbox.messages), default=recovered) - recovered
        slow = sum(1 for latency in latencies if latency > 1)
        seconds = outcome.get("seconds", float("nan"))
        print(f"\nregistered          {len(latencies)} in {seconds:.1f} s, {len(errors)} errors")
        print(
            f"POST latency        p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
            f"max {max(latencies, default=float('nan')) * 1000:.0f} ms; over 1 s: {slow}"
        )
        print(f"emails received     {len(inbox.messages)} ({len(per_recipient)} people, {len(doubled)} twice)")
        print(f"lost                {len(missing)}")
        print(f"drained             {drained:.1f} s after the mail server recovered")
        print(f"load average        {os.getloadavg()[0]:.1f} (other processes on this machine share the cores)")
        if errors:
            print("first errors:", errors[:5])
        met = not missing and not doubled and not errors and slow == 0 and len(latencies) == options.registrations
        print("\nTarget (0 lost, 0 doubled, no POST over 1 s):", "met" if met else "missed")
        return 0 if met else 1
    finally:
        stop_gunicorn(server)
        stop_mail_workers(workers)
        if hanging is not None:
            hanging.close()
        if controller is not None:
            controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
