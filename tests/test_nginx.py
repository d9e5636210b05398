"""Private images through real nginx (deploy/nginx.conf): Django checks who is
asking and answers with ``X-Accel-Redirect``; nginx sends the bytes."""

import os
import re
import shutil
import socket
import subprocess
import time
from string import Template
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import BASE_DIR, free_port

NGINX = "/usr/sbin/nginx"
PREFIX = "/_prive/"

if not os.path.exists(NGINX):
    pytest.skip(
        "Debian's nginx is not installed (CI installs it: .ci/run)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def accel():
    """The demo server of this module answers with ``X-Accel-Redirect``: it
    reads ``MEDIA_ACCEL_REDIRECT`` from the environment it starts with."""
    before = os.environ.get("MEDIA_ACCEL_REDIRECT")
    os.environ["MEDIA_ACCEL_REDIRECT"] = PREFIX
    yield
    if before is None:
        del os.environ["MEDIA_ACCEL_REDIRECT"]
    else:
        os.environ["MEDIA_ACCEL_REDIRECT"] = before


def wait_for(port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


@pytest.fixture(scope="module")
def nginx(accel, demo_server, tmp_path_factory):
    """deploy/nginx.conf, filled in, in front of the demo server (started
    after ``accel``: the order of the arguments). Yields nginx's address."""
    run_dir = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = Template((BASE_DIR / "deploy" / "nginx.conf").read_text())
    (run_dir / "nginx.conf").write_text(
        config.safe_substitute(
            LISTEN=f"127.0.0.1:{port}",
            UPSTREAM=urlsplit(demo_server).netloc,
            STATIC_ROOT=run_dir / "static",
            PRIVATE_MEDIA_ROOT=demo_server.env["PRIVATE_MEDIA_ROOT"],
            RUN_DIR=run_dir,
            WORKER_PROCESSES=1,
        )
    )
    directives = "daemon off;"
    if os.geteuid() == 0:
        # Root's workers would run as nobody, who may not read pytest's files.
        directives += " user root;"
    server = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(run_dir / "nginx.conf"), "-g", directives],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(run_dir, ignore_errors=True)


def session_of(demo_server, username):
    """The session cookie of ``username``, signed in on the demo server."""
    key = demo_server.shell(
        "from django.conf import settings\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "client = Client()\n"
        f"client.force_login(get_user_model().objects.get(username={username!r}))\n"
        "print(client.cookies[settings.SESSION_COOKIE_NAME].value)"
    )
    return {"sessionid": key}


@pytest.fixture(scope="module")
def photo(nginx, demo_server):
    """The address of a class photo of the demo, as its family reads it."""
    url = demo_server.shell(
        "from news.models import NewsPage\n"
        "print(NewsPage.objects.get(slug='sortie-au-musee-des-beaux-arts').url)"
    )
    html = requests.get(
        nginx + url, cookies=session_of(demo_server, "famille.leroy"), timeout=10
    ).text
    return re.search(r'src="(/images/\d+/[^"]+)"', html).group(1)


def test_a_family_gets_its_photo_from_nginx(nginx, demo_server, photo):
    family = session_of(demo_server, "famille.leroy")
    response = requests.get(nginx + photo, cookies=family, timeout=10)
    assert response.status_code == 200
    assert response.content.startswith(b"\xff\xd8") or response.content[:4] in {
        b"\x89PNG",
        b"RIFF",
    }
    assert response.headers["Content-Type"].startswith("image/")
    assert "X-Accel-Redirect" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"] == "inline"


def test_django_names_the_file_and_sends_no_byte(demo_server, photo):
    family = session_of(demo_server, "famille.leroy")
    response = requests.get(demo_server + photo, cookies=family, timeout=10)
    assert response.status_code == 200
    assert response.headers["X-Accel-Redirect"].startswith(PREFIX)
    assert response.content == b""


def test_the_internal_location_is_closed_from_outside(nginx, demo_server, photo):
    family = session_of(demo_server, "famille.leroy")
    named = requests.get(demo_server + photo, cookies=family, timeout=10)
    path = named.headers["X-Accel-Redirect"]
    response = requests.get(nginx + path, cookies=family, timeout=10)
    assert response.status_code == 404


def test_no_byte_reaches_who_may_not_see_the_photo(nginx, demo_server, photo):
    other_family = session_of(demo_server, "famille.petit")
    response = requests.get(nginx + photo, cookies=other_family, timeout=10)
    assert response.status_code == 403
    assert not response.headers["Content-Type"].startswith("image/")
    visitor = requests.get(nginx + photo, allow_redirects=False, timeout=10)
    assert visitor.status_code == 302


def test_a_family_downloads_a_document_from_nginx(nginx, demo_server):
    url = demo_server.shell(
        "from mediafiles.models import CustomDocument\n"
        "print(CustomDocument.objects.get(title__startswith='Menus').url)"
    )
    family = session_of(demo_server, "famille.petit")
    response = requests.get(nginx + url, cookies=family, timeout=10)
    assert response.status_code == 200
    assert response.content
    assert "X-Accel-Redirect" not in response.headers
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]
