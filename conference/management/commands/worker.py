"""`manage.py worker`: sends queued emails and runs other background tasks; run any number, anywhere."""

from django.core.management.base import BaseCommand, CommandError

from conference.worker import default_interval, drain, make_worker, queue_names, run_forever


class Command(BaseCommand):
    help = (
        "Run a background worker: send queued emails, retry failed sends, rescue work of dead workers, warm the "
        "stored pages after a change. Emails always go first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run every ready task, then exit.")
        parser.add_argument(
            "--interval", type=float, default=None, help="Seconds to wait when idle (default WORKER_POLL_SECONDS)."
        )
        parser.add_argument("--worker-id", default=None, help="Unique name of this worker (default: random).")
        parser.add_argument(
            "--queues",
            default=None,
            help=f"Comma-separated queues to take tasks from, of {', '.join(queue_names())} (default: all of them).",
        )

    def handle(self, *, batch, interval, worker_id, queues, **options):
        chosen = self.chosen_queues(queues)
        if batch:
            ran = drain(worker_id or "batch", chosen)
            self.stdout.write(f"Ran {ran} task(s).")
            return
        worker = make_worker(worker_id, chosen)
        self.stdout.write(f"Worker {worker.worker_id} started ({', '.join(chosen or ['all queues'])}).")
        run_forever(worker, default_interval() if interval is None else interval)

    def chosen_queues(self, queues):
        if queues is None:
            return None
        chosen = [name.strip() for name in queues.split(",") if name.strip()]
        unknown = sorted(set(chosen) - set(queue_names()))
        if not chosen or unknown:
            named = ", ".join(unknown) or "(none given)"
            raise CommandError(f"Unknown queue {named}; choose from {', '.join(queue_names())}.")
        return chosen
