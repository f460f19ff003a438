"""gunicorn configuration, read from the environment (PORT, WEB_CONCURRENCY, GUNICORN_BIND)."""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# gunicorn 27 opens a control socket under ~/.gunicorn by default; we do not use it.
control_socket_disable = True
# Load Django before binding the port: a restarted app server then refuses connections (the proxy tries the
# other server at once) until it can answer them, instead of queueing them behind workers still booting.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() != "false"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Runs in the master before it binds and forks: with the app preloaded, fill Django's lazy parts once there
    (conference.warm_process), so that every worker, a restarted server's too, answers its first requests at full
    speed, and without a garbage collector pause over what it just loaded."""
    if preload_app:
        from conference import warm_process  # noqa: PLC0415 - Django is only configured once the app is loaded

        warm_process.prepare()
        warm_process.freeze_startup_objects()


# A thread that waits for the database gives up the GIL and, once answered, waits for it again: behind a thread
# rendering a page, up to the switch interval (5 ms by default) at each of its queries. A registration makes about
# twenty; 1 ms keeps its wait behind a render to a few ms, for a little switching work.
switch_interval = float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.001"))


def post_worker_init(worker):
    """Runs in each worker once it has the app: freeze what the worker loaded itself too (all of Django when the
    app is not preloaded), and set the GIL's switch interval."""
    from conference import warm_process  # noqa: PLC0415 - loaded with the app

    warm_process.freeze_startup_objects()
    sys.setswitchinterval(switch_interval)
