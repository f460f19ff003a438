"""`manage.py worker`: sends queued emails and runs other background tasks; run any number, anywhere."""

from django.core.management.base import BaseCommand

from conference.worker import default_interval, drain, make_worker, run_forever


class Command(BaseCommand):
    help = "Run a background worker: send queued emails, retry failed sends, rescue work of dead workers."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every ready task, then exit.")
        parser.add_argument(
            "--interval", type=float, default=None, help="Seconds to wait when idle (default WORKER_POLL_SECONDS)."
        )
        parser.add_argument("--worker-id", default=None, help="Unique name of this worker (default: random).")

    def handle(self, *, batch, interval, worker_id, **options):
        if batch:
            ran = drain(worker_id or "batch")
            self.stdout.write(f"Ran {ran} task(s).")
            return
        worker = make_worker(worker_id)
        self.stdout.write(f"Worker {worker.worker_id} started.")
        run_forever(worker, default_interval() if interval is None else interval)
