"""The site as production runs it: gunicorn with sync workers, on a port of
the loopback, stopped with its whole process group."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench import procstat

WORKERS = 2
READY_TIMEOUT = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SITE_APP = "ent_site.wsgi:application"
# The minimal Django app every scenario is compared with (bench/floor.py).
FLOOR_APP = "bench.floor:application"


def stop_group(process, timeout):
    """Stop ``process`` (if it runs) and its whole process group: SIGTERM,
    then SIGKILL after ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait()


class Started:
    """Started on entering a ``with`` block and stopped on leaving it, or
    at once if starting fails."""

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()


class Server(Started):
    """gunicorn serving ``app``, ready once ``ready_path`` answers."""

    def __init__(
        self, env, log_path, app=SITE_APP, ready_path="/sante/", workers=WORKERS
    ):
        self.env = env
        self.log_path = Path(log_path)
        self.app = app
        self.ready_path = ready_path
        self.workers = workers
        self.port = free_port()
        self.process = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self):
        return f"http://{self.address}"

    def command(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        return [
            str(gunicorn),
            self.app,
            f"--bind={self.address}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            "--timeout=120",
            "--log-level=warning",
        ]

    def start(self):
        # A session of its own: stopping the group stops every worker.
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                self.command(),
                env=self.env,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_ready()

    def wait_until_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            try:
                ready = requests.get(self.base_url + self.ready_path, timeout=2).ok
            except requests.RequestException:
                ready = False
            if ready and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT}s")

    def worker_pids(self):
        return procstat.children(self.process.pid)

    def process_pids(self):
        """The master and its workers: all the CPU the site uses."""
        return [self.process.pid, *self.worker_pids()]

    def worker_rss_mib(self):
        return {pid: procstat.rss_kib(pid) / 1024 for pid in self.worker_pids()}

    def stop(self):
        stop_group(self.process, timeout=20)
