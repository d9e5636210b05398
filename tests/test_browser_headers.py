"""Headers and third parties, in a real browser: Debian's Chromium on a real
server (the pattern of tests/test_browser.py, its fixture copied here).

Every page sends a Content-Security-Policy and a Permissions-Policy; the
public site, the login pages and the admin (dashboard, page editor with its
StreamField and rich text, image chooser) run under it without a single
violation, and the admin asks no other host than the site's own.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "ent-demo-2026"  # noqa: S105 (the demo accounts' password)

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

# A public news item of the demo and its id, read from the server's database.
FIND_NEWS = """
import json
from django.contrib.auth.models import AnonymousUser
from home.audience import visible_pages
from news.models import NewsPage
news = visible_pages(NewsPage.objects.live(), AnonymousUser()).order_by("pk").first()
print(json.dumps({"id": news.pk, "url": news.url}))
"""

# Every CSP violation of every document, reported to the test.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
    const { violatedDirective, blockedURI, sourceFile, lineNumber } = event;
    const where = `${sourceFile}:${lineNumber}`;
    window.cspViolation(`${violatedDirective} ${blockedURI} ${where}`);
});
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
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
    found = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", FIND_NEWS],
        env=env,
        check=True,
        capture_output=True,
        cwd=BASE_DIR,
        text=True,
    )
    news = json.loads(found.stdout.strip().splitlines()[-1])
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
    yield {"url": f"http://127.0.0.1:{port}", "news": news}
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Watched:
    """A browser tab that records every CSP violation (events and console
    messages) and every request it makes."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.violations = []
        self.requests = []
        self.context.expose_function(
            "cspViolation", lambda text: self.violations.append(text)
        )
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("console", self.console)
        self.page.on("request", lambda request: self.requests.append(request.url))

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def visit(self, url):
        response = self.page.goto(url, wait_until="networkidle")
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        return response

    def log_in(self, base_url, username, path):
        self.visit(base_url + path)
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def hosts(self):
        return {
            urlsplit(url).hostname
            for url in self.requests
            if not url.startswith(("data:", "blob:"))
        }

    def close(self):
        self.context.close()


def test_the_public_site_runs_under_its_policy(demo_server, browser):
    base = demo_server["url"]
    tab = Watched(browser)
    tab.visit(base + "/")
    assert tab.page.locator(".fr-header .fr-logo").is_visible()
    tab.visit(base + demo_server["news"]["url"])
    assert tab.page.get_by_role("heading", level=1).is_visible()
    tab.visit(base + "/connexion/")
    # DSFR's script ran: it marks the page it has started on.
    assert tab.page.locator("html").get_attribute("data-fr-js") == "true"
    tab.log_in(base, "famille.martin", "/connexion/")
    tab.visit(base + "/mon-fil/")
    assert tab.violations == []
    assert tab.hosts() == {"127.0.0.1"}
    tab.close()


def test_the_admin_runs_under_its_policy_and_asks_no_other_host(demo_server, browser):
    base = demo_server["url"]
    tab = Watched(browser)
    page = tab.page
    tab.log_in(base, "cpc.marchand", "/admin/login/")
    assert urlsplit(page.url).path == "/admin/"
    tab.visit(base + "/admin/")
    # The sidebar (a script) shows the person by their initials.
    avatar = page.locator(".sidebar .avatar img").first
    assert avatar.get_attribute("src").startswith("data:image/svg+xml")

    tab.visit(base + f"/admin/pages/{demo_server['news']['id']}/edit/")
    # The rich text editor (Draftail) takes what is typed.
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Sortie confirmée.")
    assert "Sortie confirmée." in editor.inner_text()
    # The StreamField adds a block, and the image chooser opens in it.
    page.locator("button[title='Insérer un bloc']").last.click()
    page.get_by_role("option", name="Image", exact=True).click()
    page.get_by_role("button", name="Choisir une image").last.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("heading", name="Choisir une image").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert modal.locator("a.image-choice").count() > 0

    assert tab.violations == []
    assert tab.hosts() == {"127.0.0.1"}
    tab.close()
