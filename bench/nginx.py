"""nginx in front of gunicorn, as production runs it: the repository's
deploy/nginx.conf, filled in for a run folder of its own."""

import os
import shutil
import string
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from bench import procstat
from bench.prepare import ROOT
from bench.server import READY_TIMEOUT, Started, free_port, stop_group

NGINX = "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx.conf"


def render(listen, upstream, static_root, private_media_root, run_dir):
    """deploy/nginx.conf with the bench's values. nginx's own $variables
    stay as they are (``safe_substitute``).

    Started as root, nginx runs its workers as ``nobody``, who may not read
    the bench's folders: the bench's rendering alone says ``user root;``."""
    text = string.Template(TEMPLATE.read_text()).safe_substitute(
        LISTEN=listen,
        UPSTREAM=upstream,
        STATIC_ROOT=static_root,
        PRIVATE_MEDIA_ROOT=private_media_root,
        RUN_DIR=run_dir,
        WORKER_PROCESSES="auto",
    )
    if os.geteuid() == 0:
        text = "user root;\n" + text
    return text


class Nginx(Started):
    """nginx on a free port of the loopback, in front of ``upstream``
    (host:port), for as long as the ``with`` block lasts."""

    def __init__(self, upstream, static_root, private_media_root):
        self.upstream = upstream
        self.static_root = static_root
        self.private_media_root = private_media_root
        self.port = free_port()
        self.run_dir = None
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.run_dir = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        config = self.run_dir / "nginx.conf"
        config.write_text(
            render(
                f"127.0.0.1:{self.port}",
                self.upstream,
                self.static_root,
                self.private_media_root,
                self.run_dir,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [NGINX, "-c", str(config), "-g", "daemon off;"],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=(self.run_dir / "stderr.log").open("w"),
        )
        self.wait_until_ready()

    def wait_until_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.run_dir / "stderr.log").read_text()
                raise RuntimeError(f"nginx stopped:\n{log}")
            try:
                requests.get(self.base_url + "/sante/", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"nginx not ready after {READY_TIMEOUT}s")

    def pids(self):
        """The master and its workers."""
        if self.process is None:
            return []
        return [self.process.pid, *procstat.children(self.process.pid)]

    def stop(self):
        stop_group(self.process, timeout=10)
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
