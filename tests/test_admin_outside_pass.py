"""An outside pass over the admin, as each demo role, against a live server.

The demo runs as a newcomer runs it (``demo_server``), and is probed over
real HTTP as its people would probe it: signed in with their password, the
pass follows every admin link it finds from /admin/ (same host, GET only, a
bounded number), then asks every admin URL pattern with the ids of objects
out of the person's reach. Nothing it may not see appears anywhere, and no
view off the staff allowlist answers anything but a 404.
"""

import html
import json
import re
from http.cookiejar import CookieJar
from types import SimpleNamespace
from urllib.error import HTTPError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, build_opener

import pytest

from demo.demo_content import DEMO_PASSWORD
from home.admin_access import STAFF_ADMIN_VIEWS
from tests.admin_urls import admin_patterns, url_for

STAFF = ["dir.lefevre", "dir.chevalier", "ens.moreau", "ens.roux"]
OTHERS = ["famille.martin", "sans.role"]
CRAWL_LIMIT = 120
LINK = re.compile(
    r"""(?:href|action|src)=["'](/admin/[^"'#\s]*)|"url": "(/admin/[^"]*)\""""
)
SKIPPED = ("/admin/logout/",)
# What Wagtail shows without signing in: its login page, icons and strings.
OPEN_TO_ANYONE = {
    "wagtailadmin_login",
    "wagtailadmin_javascript_catalog",
    "wagtail_localize:javascript_catalog",
    "wagtailadmin_sprite",
}

FACTS = """
import json
from django.contrib.auth import get_user_model
from tests.admin_urls import facts_for
people = get_user_model().objects.filter(username__in={usernames!r})
print(json.dumps({{person.username: facts_for(person) for person in people}}))
"""


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One person's browser: cookies, no redirects followed."""

    def __init__(self, base):
        self.base = base
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, path, data=None):
        body = urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(self.base + path, body, timeout=30)
        except HTTPError as error:
            response = error
        with response:
            return SimpleNamespace(
                status=response.status,
                location=response.headers.get("Location", ""),
                text=response.read().decode(errors="replace"),
            )

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def log_in(self, username, path):
        self.request(path)
        response = self.request(
            path,
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self.csrf(),
            },
        )
        assert response.status == 302, (username, response.status)
        assert any(c.name == "sessionid" for c in self.cookies)


def forms_of(secret):
    """The ways a title can be written in a response: as is, escaped in
    HTML, in JSON, in HTML within JSON."""
    escaped = html.escape(secret)
    return {
        secret,
        escaped,
        json.dumps(secret)[1:-1],
        json.dumps(escaped)[1:-1],
    }


def leaks(text, secrets):
    return sorted(secret for secret, forms in secrets if any(f in text for f in forms))


def links_in(text, path):
    for match in LINK.finditer(text):
        link = html.unescape(match[1] or match[2]).replace("\\u0026", "&")
        link = urlsplit(urljoin(path, link))
        yield link.path + (f"?{link.query}" if link.query else "")


@pytest.fixture(scope="module")
def facts(demo_server):
    output = demo_server.manage("shell", "-c", FACTS.format(usernames=STAFF + OTHERS))
    found = json.loads(output.strip().splitlines()[-1])
    return {
        username: {
            "secrets": [(secret, forms_of(secret)) for secret in found["secrets"]],
            "ids": SimpleNamespace(**found["ids"]),
        }
        for username, found in found.items()
    }


def visitor_for(demo_server, username):
    visitor = Visitor(demo_server)
    if username in STAFF:
        visitor.log_in(username, "/admin/login/")
    else:
        visitor.log_in(username, "/connexion/")
    return visitor


def crawl(visitor, secrets):
    """Every admin page reachable from /admin/ by its links, GET only."""
    queue, seen, problems = ["/admin/"], set(), []
    while queue and len(seen) < CRAWL_LIMIT:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIPPED):
            continue
        seen.add(path)
        response = visitor.request(path)
        if response.status >= 500:
            problems.append((path, response.status))
        if found := leaks(response.text, secrets):
            problems.append((path, found))
        if response.status in {301, 302} and response.location.startswith("/admin/"):
            queue.append(response.location)
        if response.status == 200:
            queue.extend(
                link for link in links_in(response.text, path) if link not in seen
            )
    return seen, problems


def probe(visitor, ids, secrets, staff):
    """Every admin URL pattern, filled with the ids of objects out of reach."""
    problems = []
    query = "?" + urlencode({"id": ids.page, "q": "a", "term": "a"})
    for route, name in admin_patterns():
        path, names_foreign = url_for(route, name, ids)
        if path.startswith(SKIPPED):
            continue
        response = visitor.request(path + query)
        if found := leaks(response.text, secrets):
            problems.append((path, found))
        if name not in STAFF_ADMIN_VIEWS:
            if response.status != 404:
                problems.append((path, response.status))
        elif names_foreign and staff:
            refused = response.status in {403, 404, 405} or (
                response.status == 302 and response.location == "/admin/"
            )
            if not refused:
                problems.append((path, response.status))
        elif not staff and name not in OPEN_TO_ANYONE:
            sent_to_login = response.status == 302 and response.location.startswith(
                "/admin/login/"
            )
            if not sent_to_login and response.status not in {404, 405}:
                problems.append((path, response.status))
        elif response.status >= 500:
            problems.append((path, response.status))
    return problems


@pytest.mark.parametrize("username", STAFF + OTHERS)
def test_an_outside_pass_over_the_admin_finds_nothing(demo_server, facts, username):
    visitor = visitor_for(demo_server, username)
    secrets = facts[username]["secrets"]
    assert secrets, "the pass must know what this person may not see"
    seen, problems = crawl(visitor, secrets)
    if username in STAFF:
        # The pass really went through the admin.
        assert len(seen) > 10, seen
        assert any(path.startswith("/admin/pages/") for path in seen)
    problems += probe(visitor, facts[username]["ids"], secrets, username in STAFF)
    assert problems == []
