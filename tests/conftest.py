import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Debian's Chromium, without any call to outside hosts (the machines have none).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def skip_without_chromium():
    """Browser tests are skipped on a laptop without Chromium, never in CI."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo district, built once for the whole test session."""
    with django_db_blocker.unblock():
        call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: tests roll the database back,
    not the cache, where the site's structure is kept (``visibility.cache``)."""
    cache.clear()


@pytest.fixture(autouse=True)
def french():
    """Every test starts and ends in French, the site's default language."""
    translation.activate("fr")
    yield
    translation.activate("fr")


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))
    return client


class DemoServer(str):
    """The address of a running demo server, which also runs commands on its
    database."""

    def manage(self, *command):
        return subprocess.run(  # noqa: S603
            [sys.executable, str(BASE_DIR / "manage.py"), *command],
            env=self.env,
            check=True,
            capture_output=True,
            cwd=BASE_DIR,
            text=True,
        ).stdout

    def shell(self, code):
        """What ``code`` prints, run in the demo's database."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def work_the_queue(self, outbox):
        """Runs the notifications worker once on the demo's database (e-mails,
        imports), its e-mails written as files in ``outbox``; returns every
        e-mail found there, oldest first."""
        outbox.mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
            # Links in e-mails lead to this server, as to the site in production.
            "WAGTAILADMIN_BASE_URL": str(self),
        }
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                str(BASE_DIR / "manage.py"),
                "db_worker",
                "--backend",
                "notifications",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
            ],
            env=env,
            check=True,
            capture_output=True,
            cwd=BASE_DIR,
        )
        return [path.read_text() for path in sorted(outbox.iterdir())]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo, as a newcomer runs it (migrate, seed_demo, runserver), on its
    own SQLite database: independent of the test database. Yields its
    address (a ``DemoServer``)."""
    workdir = tmp_path_factory.mktemp("demo-server")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
        "CACHE_DIR": str(workdir / "cache"),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            manage + command, env=env, check=True, capture_output=True, cwd=BASE_DIR
        )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    address = DemoServer(f"http://127.0.0.1:{port}")
    address.env = env
    yield address
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)
