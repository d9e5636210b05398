"""The e-mail worker for real: `manage.py db_worker --backend notifications`
in its own process, on its own SQLite file, writing each e-mail to a file
(tests/worker_settings.py), killed, locked out and refused by its mail
server. Every recipient gets exactly one e-mail whatever happens."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
PUBLISH = """
from django.db import transaction
from schools.models import SchoolPage
from tests.factories import NewsPageFactory
with transaction.atomic():
    news = NewsPageFactory(
        parent=SchoolPage.objects.get(slug="jules-ferry"),
        title="Kermesse de l'école Jules-Ferry",
        audience="community",
    )
    news.save_revision().publish()
print(news.pk)
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A migrated SQLite file holding the demo district, copied by each test."""
    workdir = tmp_path_factory.mktemp("worker-seed")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent_site.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
    }
    for command in (["migrate", "--noinput"], ["seed_demo", "--force"]):
        subprocess.run(  # noqa: S603
            MANAGE + command, env=env, check=True, capture_output=True, cwd=BASE_DIR
        )
    yield workdir / "db.sqlite3"
    shutil.rmtree(workdir, ignore_errors=True)


class Site:
    """One site's database, mailbox and worker processes."""

    def __init__(self, seeded, workdir, delay=0.0):
        self.workdir = workdir
        self.database = workdir / "db.sqlite3"
        for suffix in ("", "-wal"):  # the journal, if its seeding left one
            if Path(f"{seeded}{suffix}").exists():
                shutil.copy(f"{seeded}{suffix}", f"{self.database}{suffix}")
        self.mailbox = workdir / "mails"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "EMAIL_FILE_PATH": str(self.mailbox),
            "EMAIL_DELAY_SECONDS": str(delay),
        }
        self.workers = []

    def publish(self):
        """Publish a school news item; its e-mails wait in the queue."""
        done = subprocess.run(  # noqa: S603
            [*MANAGE, "shell", "-c", PUBLISH],
            env=self.env,
            check=True,
            capture_output=True,
            cwd=BASE_DIR,
            text=True,
        )
        self.page_id = int(done.stdout.split()[-1])
        return self.page_id

    def start_worker(self):
        log = open(self.workdir / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(  # noqa: S603
            [
                *MANAGE,
                "db_worker",
                "--backend",
                "notifications",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def stop(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)

    def log(self):
        return "".join(path.read_text() for path in self.workdir.glob("worker-*.log"))

    def mailed(self):
        """How many e-mails each address received."""
        found = Counter()
        for path in self.mailbox.glob("*.log"):
            found.update(re.findall(rb"^To: (\S+)$", path.read_bytes(), re.MULTILINE))
        return Counter({address.decode(): n for address, n in found.items()})

    def query(self, sql, *params):
        with sqlite3.connect(self.database, timeout=30) as connection:
            return connection.execute(sql, (self.page_id, *params)).fetchall()

    def recipients(self, state):
        return {
            email
            for (email,) in self.query(
                "SELECT email FROM inbox_recipient JOIN auth_user"
                " ON auth_user.id = user_id WHERE page_id = ? AND notification = ?",
                state,
            )
        }

    def wait_until(self, condition, seconds=60):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.05)

    def wait_until_done(self):
        """Until no e-mail of the news item waits, nor any run of its task
        (the run of a killed worker stays "running" for ever)."""
        self.wait_until(
            lambda: (
                not self.recipients("pending")
                and not self.query(
                    "SELECT id FROM django_tasks_database_dbtaskresult"
                    " WHERE status = 'READY' AND args_kwargs LIKE"
                    " '%' || ? || '%'"
                )
            )
        )


@pytest.fixture
def site(seeded, tmp_path):
    site = Site(seeded, tmp_path, delay=0.5)
    yield site
    site.stop()


def assert_each_got_one(site):
    mailed = site.mailed()
    sent = site.recipients("sent")
    assert len(sent) > 4
    assert set(mailed) == sent, site.log()
    assert set(mailed.values()) == {1}, mailed
    assert not site.recipients("pending") and not site.recipients("failed")


def test_a_worker_killed_mid_batch_sends_each_e_mail_once(site):
    site.publish()
    worker = site.start_worker()
    # Killed while it sends the fourth e-mail of its batch (each takes 0.5 s,
    # the third has been recorded by then).
    site.wait_until(lambda: sum(site.mailed().values()) >= 3)
    time.sleep(0.25)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    before = sum(site.mailed().values())
    assert len(site.recipients("sent")) == before
    waiting = len(site.recipients("pending"))
    assert before >= 3 and waiting > 0

    site.start_worker()  # restarted: takes up what is left once the lease ends
    site.wait_until_done()
    assert_each_got_one(site)
    assert len(site.recipients("sent")) == before + waiting


def test_the_worker_waits_out_a_locked_database(seeded, tmp_path):
    site = Site(seeded, tmp_path)
    try:
        site.publish()
        lock = sqlite3.connect(site.database, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # another process writes, for long
        worker = site.start_worker()
        time.sleep(8)  # longer than SQLite's default wait of 5 s
        assert worker.poll() is None, site.log()
        assert not site.mailed()
        lock.execute("COMMIT")
        lock.close()
        site.wait_until_done()
        assert worker.poll() is None, site.log()
        assert_each_got_one(site)
    finally:
        site.stop()


def test_a_mail_server_that_goes_away_is_tried_again(site):
    (site.workdir / "refusals").write_text("2")
    site.publish()
    site.start_worker()
    site.wait_until_done()
    assert_each_got_one(site)
    assert "stopped by the mail server" in site.log()
    assert (site.workdir / "refusals").read_text() == "0"


def descendants(pid):
    """The processes started, directly or not, by process ``pid``: their
    ids and command lines, from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = (int(fields[1]), cmdline.decode())
    found, frontier = {}, {pid}
    while frontier:
        children = {
            child: cmdline
            for child, (parent, cmdline) in parents.items()
            if parent in frontier and child not in found
        }
        found.update(children)
        frontier = set(children)
    return found


def test_make_run_says_so_when_the_worker_stops_and_starts_it_again(seeded, tmp_path):
    site = Site(seeded, tmp_path)
    output = open(tmp_path / "make-run.log", "w")  # noqa: SIM115
    make = subprocess.Popen(  # noqa: S603
        # The virtualenv is already installed: make must not reinstall it.
        ["make", "-o", ".venv/.installed", "run", f"PORT={free_port()}"],  # noqa: S607
        env={
            **os.environ,
            # As a newcomer runs it, on the demo district.
            "DJANGO_SETTINGS_MODULE": "ent_site.settings.dev",
            "DATABASE_URL": site.env["DATABASE_URL"],
            "CACHE_DIR": str(tmp_path / "cache"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
            "WORKER_RESTART_DELAY": "1",
        },
        cwd=BASE_DIR,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def workers():
        return {
            pid
            for pid, cmdline in descendants(make.pid).items()
            if "db_worker" in cmdline and "keep_worker" not in cmdline
        }

    try:
        site.wait_until(workers, seconds=120)
        time.sleep(2)  # the worker has started: its Django is set up
        first = workers()
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        site.wait_until(lambda: workers() - first, seconds=60)
        said = (tmp_path / "make-run.log").read_text()
        assert "Le worker des courriels s'est arrêté (code 137)" in said
        assert "Relance dans 1 s" in said
        assert make.poll() is None  # the server runs on
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=30)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
