"""A real redis-server on a free port for one test, with whatever options it needs (a small maxmemory, an eviction
policy), stopped afterwards."""

import contextlib
import os
import shutil
import socket
import subprocess
import time

import pytest
import redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_redis(*options):
    """Yields the URL of a fresh redis-server started with `options` (e.g. "--maxmemory", "16mb")."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":  # CI installs redis-server
            pytest.fail("redis-server is not installed")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *options],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _attempt in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(5)
