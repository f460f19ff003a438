"""The background worker loop: django-tasks-db's worker in short batches, with a heartbeat row per worker
and the rescue of work that a dead worker left half done."""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, OperationalError, close_old_connections, models
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .mail import BACKGROUND, lease, prune_sent, requeue_abandoned

logger = logging.getLogger(__name__)

# Set once this process is asked to stop (SIGTERM, SIGINT): a long task checks it and ends early.
_stopping = threading.Event()
# The queues this process's worker takes (make_worker): a long task hands over only to work this worker would do.
ALL_QUEUES = "*"
_queue_names = [ALL_QUEUES]

# Tasks run between two heartbeats at most; keeps the heartbeat fresh through a long backlog.
TASKS_PER_BATCH = 20
PRUNE_EVERY_SECONDS = 3600


class WorkerHeartbeat(models.Model):
    """The last time each worker process went round its loop, so that /healthz can show a dead worker."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.worker_id} ({self.host}, pid {self.pid})"


def beat(worker_id):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": timezone.now()},
    )


def last_heartbeat():
    """When any worker last went round its loop, or None if none ever ran."""
    return WorkerHeartbeat.objects.aggregate(last=models.Max("seen_at"))["last"]


def retire_lost_tasks():
    """A task left RUNNING by a dead worker would stay so forever: mark it failed. The work itself is
    rescued by its own state (requeue_abandoned for mail)."""
    return (
        DBTaskResult.objects.running()
        .filter(backend_name=BACKGROUND, started_at__lt=timezone.now() - lease())
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path="conference.worker.WorkerLost",
            traceback="The worker running this task stopped before finishing it.",
        )
    )


def stop_requested():
    """Whether this worker process was asked to stop: a long task (the pages' warm-up, thousands of renders) ends
    early and queues the rest, so that a restart does not wait minutes for it (systemd kills after 90 s)."""
    return _stopping.is_set()


# A second stop signal within this time is the first one delivered twice, not "stop now": Ctrl+C on bin/serve
# reaches the worker from the terminal and again from bin/serve's trap, as does `kill -- -<process group>`.
REPEATED_SIGNAL_SECONDS = 1.0


class StoppableWorker(Worker):
    """The library's worker finishes the current task on SIGTERM (a second signal ends it at once); this one also
    tells the task (stop_requested) and takes a signal repeated at once as the same request."""

    stop_signalled_at = None

    def shutdown(self, signum, frame):
        now = time.monotonic()
        if self.stop_signalled_at is not None and now - self.stop_signalled_at < REPEATED_SIGNAL_SECONDS:
            return
        self.stop_signalled_at = now
        _stopping.set()
        super().shutdown(signum, frame)


def queue_names():
    """Every queue of the background backend (settings.TASKS), for `worker --queues`."""
    return list(settings.TASKS[BACKGROUND].get("QUEUES", []))


def make_worker(worker_id=None, queues=None):
    """django-tasks-db's worker, used for its task running and signal handling; the loop is ours. It takes the
    tasks of `queues` (default: every queue), the most urgent first."""
    global _queue_names  # noqa: PLW0603 - one worker per process; its tasks ask which queues it serves
    _queue_names = list(queues or [ALL_QUEUES])
    return StoppableWorker(
        queue_names=_queue_names,
        interval=0,
        batch=True,
        backend_name=BACKGROUND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )


def _ready_tasks(backend_name, queues):
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    if ALL_QUEUES not in queues:
        tasks = tasks.filter(queue_name__in=queues)
    return tasks


def more_urgent_work_waiting(priority):
    """Whether a task of a higher priority than `priority` is ready in a queue this process's worker takes: a long
    task (the pages' warm-up) then ends and queues the rest behind it, so that an email never waits for it."""
    return _ready_tasks(BACKGROUND, _queue_names).filter(priority__gt=priority).exists()


def _claim_next(worker, ready_by=None):
    """Take the next ready task of the worker's queues as the library's own loop does (row lock, skip rows other
    workers hold), the highest priority first (the model's ordering: emails before pages); with `ready_by`, only
    tasks that were due by then (not retries scheduled meanwhile)."""
    tasks = _ready_tasks(worker.backend_name, worker.queue_names)
    if ready_by is not None:
        tasks = tasks.exclude(run_after__gt=ready_by, run_after__lt=get_date_max())
    with exclusive_transaction(tasks.db):
        try:
            task_result = tasks.get_locked()
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # another worker holds SQLite's write lock; try again next round
            raise
        if task_result is not None:
            task_result.claim(worker.worker_id)
    return task_result


def prune(worker):
    """Once an hour per worker: drop sent messages and finished task rows past their keeping time."""
    now = time.monotonic()
    if now - getattr(worker, "pruned_at", -PRUNE_EVERY_SECONDS) < PRUNE_EVERY_SECONDS:
        return
    worker.pruned_at = now
    prune_sent()
    cutoff = timezone.now() - timedelta(days=settings.MAIL_KEEP_SENT_DAYS)
    DBTaskResult.objects.finished().filter(backend_name=BACKGROUND, finished_at__lt=cutoff).delete()


def run_once(worker, ready_by=None):
    """One round: heartbeat, rescue, then up to TASKS_PER_BATCH ready tasks. Returns how many ran."""
    beat(worker.worker_id)
    requeue_abandoned()
    retire_lost_tasks()
    prune(worker)
    ran = 0
    while ran < TASKS_PER_BATCH and worker.running:
        task_result = _claim_next(worker, ready_by)
        if task_result is None:
            break
        worker.run_task(task_result)
        ran += 1
    return ran


def drain(worker_id="drain", queues=None):
    """Run every task of `queues` (default: all) that is due now, then return how many ran (tests and
    `worker --batch`). Retries that fall due meanwhile wait for the next drain, as they would for a worker's
    next round."""
    worker = make_worker(worker_id, queues)
    ready_by = timezone.now()
    total = 0
    while ran := run_once(worker, ready_by):
        total += ran
    return total


def run_forever(worker, interval):
    """Go round until SIGINT/SIGTERM (the library's handlers finish the current task, then stop)."""
    worker.configure_signals()
    while worker.running:
        close_old_connections()  # as a request would: drop connections the database has closed
        try:
            ran = run_once(worker)
        except DatabaseError:
            # The database is down or locked: wait and try again rather than exit and lose the worker.
            logger.exception("Worker %s could not reach the database", worker.worker_id)
            ran = 0
        if worker.running and not ran:
            time.sleep(interval)


def default_interval():
    return settings.WORKER_POLL_SECONDS
