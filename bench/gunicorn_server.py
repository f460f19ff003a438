"""What every benchmark here shares: a free loopback port, gunicorn started on it and stopped again."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(*, port, env, workers=2):
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, once it accepts connections."""
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "conference.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    for _attempt in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    return server


def stop_gunicorn(server):
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def server_environment(*, workdir, database_url, **extra):
    """The environment every benchmark serves with: production settings over plain HTTP on loopback, its
    own var/ folder and database, no Redis (the file cache, as on a single machine)."""
    env = dict(
        os.environ,
        VAR_DIR=str(workdir),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="conference.settings.production",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
        **extra,
    )
    env.pop("REDIS_URL", None)
    return env
