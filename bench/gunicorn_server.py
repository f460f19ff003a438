"""What every benchmark here shares: a free loopback port, gunicorn started on it and stopped again, and the
throwaway PostgreSQL database on this machine."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

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


def add_database_option(parser, name):
    """--database-url: the benchmark's throwaway PostgreSQL database, BENCH_DATABASE_URL or `name` on loopback."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}"),
    )


def local_database(database_url):
    """(maintenance database URL, database name); exits unless the database is on this machine, because the
    benchmark drops it."""
    if urlsplit(database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("The benchmark only runs against a database on this machine.")
    return database_url.rsplit("/", 1)[0] + "/postgres", urlsplit(database_url).path.lstrip("/")
