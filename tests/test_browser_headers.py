"""Headers and third parties, in a real browser: Debian's Chromium on a real
server (``demo_server`` in ``tests/conftest.py``).

Every page sends a Content-Security-Policy and a Permissions-Policy; the
public site, the login pages and the admin (dashboard, page editor with its
StreamField and rich text, image chooser) run under it without a single
violation, and the admin asks no other host than the site's own.
"""

import json
from urllib.parse import urlsplit

import pytest

from tests.conftest import skip_without_chromium

PASSWORD = "ent-demo-2026"  # noqa: S105 (the demo accounts' password)

pytestmark = pytest.mark.browser

skip_without_chromium()

# A public news item of the demo and its id, read from the server's database.
FIND_NEWS = """
import json
from django.contrib.auth.models import AnonymousUser
from visibility.audience import visible_pages
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


@pytest.fixture(scope="module")
def site(demo_server):
    """The demo server's address and one of its public news items."""
    found = demo_server.manage("shell", "-c", FIND_NEWS)
    return {"url": str(demo_server), "news": json.loads(found.strip().splitlines()[-1])}


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


def test_the_public_site_runs_under_its_policy(site, browser):
    base = site["url"]
    tab = Watched(browser)
    tab.visit(base + "/")
    assert tab.page.locator(".fr-header .fr-logo").is_visible()
    tab.visit(base + site["news"]["url"])
    assert tab.page.get_by_role("heading", level=1).is_visible()
    tab.visit(base + "/connexion/")
    # DSFR's script ran: it marks the page it has started on.
    assert tab.page.locator("html").get_attribute("data-fr-js") == "true"
    tab.log_in(base, "famille.martin", "/connexion/")
    tab.visit(base + "/mon-fil/")
    assert tab.violations == []
    assert tab.hosts() == {"127.0.0.1"}
    tab.close()


def test_the_admin_runs_under_its_policy_and_asks_no_other_host(site, browser):
    base = site["url"]
    tab = Watched(browser)
    page = tab.page
    tab.log_in(base, "cpc.marchand", "/admin/login/")
    assert urlsplit(page.url).path == "/admin/"
    tab.visit(base + "/admin/")
    # The sidebar (a script) shows the person by their initials.
    avatar = page.locator(".sidebar .avatar img").first
    assert avatar.get_attribute("src").startswith("data:image/svg+xml")

    tab.visit(base + f"/admin/pages/{site['news']['id']}/edit/")
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
