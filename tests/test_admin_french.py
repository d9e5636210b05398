"""Every admin screen a director and a teacher reach is in French (issue 14,
points 8 and 11).

The crawl starts at /admin/ and at the entries of the sidebar menu, and
follows every same-site /admin/ link of every page it reads (GET only; never
signing out, nor the views that change something on a GET). It reads each
page's visible text, ``<title>`` and ``title``/``aria-label``/``placeholder``
attributes, and fails naming every page and every English word found
(``tests.english``), and every mistake of Wagtail's French we corrected.
Links are followed rather than listed, so that new screens are crawled too.

The sidebar and other parts drawn by scripts are read in Chromium
(``test_screens_drawn_by_scripts_are_in_french``).
"""

import json
import re
from collections import Counter
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

import pytest

from tests.conftest import login, skip_without_chromium
from tests.english import ScreenText, broken_french, english_on
from tests.journeys import Journey

ADMIN = "/admin/"
DIRECTORS = {"dir.lefevre"}
# Views a GET would change something with, or that show no admin screen.
NOT_FOLLOWED = {
    "wagtailadmin_logout",
    "wagtailadmin_pages:lock",
    "wagtailadmin_pages:unlock",
    "wagtailadmin_editing_sessions:ping",
    "wagtailadmin_editing_sessions:release",
    "wagtailadmin_dismissibles",
    "acknowledgement_remind",
    "acknowledgement_export",
    "wagtailadmin_javascript_catalog",
    "wagtail_localize:javascript_catalog",
    "wagtailadmin_sprite",
}
# How many pages of one view, with the same query parameters, are read: the
# same screen for another page or object tells little more.
PER_VIEW = 8
SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
    re.DOTALL,
)


def menu_addresses(html):
    """The /admin/ addresses of the sidebar, drawn by a script from JSON."""
    match = SIDEBAR.search(html)
    if not match:
        return []
    found = []

    def walk(value):
        if isinstance(value, str) and value.startswith(ADMIN):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(match.group(1)))
    return found


class Crawl:
    """Every admin page ``username`` reaches by links, with the English and
    the mistakes read on each."""

    def __init__(self, username):
        self.username = username
        self.client = login(Client(HTTP_ACCEPT_LANGUAGE="fr"), username)
        self.seen = set()
        self.per_view = Counter()
        self.read = []
        self.findings = {}
        self.titles = {}

    def key(self, address):
        """Pages with the same path and query parameters are one screen."""
        parts = urlsplit(address)
        keys = sorted({key for key, _ in parse_qsl(parts.query)})
        return parts.path, tuple(keys)

    def normal(self, href, base):
        address, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(address)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return None
        if not parts.path.startswith(ADMIN):
            return None
        query = urlencode(parse_qsl(parts.query))
        return parts.path + (f"?{query}" if query else "")

    def follows(self, address):
        try:
            match = resolve(urlsplit(address).path)
        except Resolver404:
            return False
        if match.view_name in NOT_FOLLOWED:
            return False
        key = self.key(address)
        if key in self.seen:
            return False
        view = (match.view_name, key[1])
        if self.per_view[view] >= PER_VIEW:
            return False
        self.seen.add(key)
        self.per_view[view] += 1
        return True

    def run(self):
        queue = [ADMIN]
        self.follows(ADMIN)
        while queue:
            address = queue.pop(0)
            for found in self.visit(address):
                if self.follows(found):
                    queue.append(found)
        return self

    def visit(self, address):
        response = self.client.get(address)
        if response.status_code in (301, 302):
            target = self.normal(response["Location"], address)
            return [target] if target else []
        kind = response.get("Content-Type", "")
        if response.status_code != 200:
            return []
        if kind.startswith("application/json"):
            html = response.json().get("html") if response.content else None
            if not isinstance(html, str):
                return []
        elif kind.startswith("text/html"):
            html = response.content.decode()
        else:
            return []
        self.read.append(address)
        screen = ScreenText(html)
        found = {**english_on(screen.texts), **broken_french(screen.texts)}
        if found:
            self.findings[address] = found
        if screen.title:
            self.titles[address] = " ".join(screen.title.split())
        links = [*screen.links, *menu_addresses(html)]
        return [a for a in (self.normal(link, address) for link in links) if a]

    def report(self):
        return "\n".join(
            f"{address}\n"
            + "\n".join(f"    {word}: …{where}…" for word, where in found.items())
            for address, found in self.findings.items()
        )


@pytest.fixture(scope="module", params=["dir.lefevre", "ens.moreau"])
def crawl(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            result = Crawl(request.param).run()
            transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_the_crawl_reads_the_screens_staff_work_on(crawl):
    """The crawl reaches the dashboard, the explorer, a news item's add and
    edit forms, the images, the documents, and (for a director) the members
    and pupils: if it stops following links, this fails."""
    views = {resolve(urlsplit(address).path).view_name for address in crawl.read}
    expected = {
        "wagtailadmin_home",
        "wagtailadmin_explore",
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:edit",
        "wagtailimages:index",
        "wagtaildocs:index",
    }
    if crawl.username in DIRECTORS:
        expected |= {"memberships:index", "pupils:index"}
    assert expected <= views, sorted(expected - views)
    assert any("/add/news/newspage/" in address for address in crawl.read)


@pytest.mark.django_db
def test_admin_screens_show_no_english(crawl):
    assert not crawl.findings, (
        f"English or broken French on {len(crawl.findings)} of "
        f"{len(crawl.read)} admin pages:\n{crawl.report()}"
    )


@pytest.mark.django_db
def test_tab_titles_name_the_site(crawl):
    wrong = {
        address: title
        for address, title in crawl.titles.items()
        if not title.endswith(settings.WAGTAIL_SITE_NAME)
    }
    assert not wrong, "\n".join(f"{a}: {t}" for a, t in wrong.items())


# In Chromium: what scripts draw (the sidebar, the side panels, the editors).

READ_SCREEN = """() => {
    const texts = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll(
        "[title], [aria-label], [placeholder]"
    )) {
        for (const name of ["title", "aria-label", "placeholder"]) {
            const value = element.getAttribute(name);
            if (value) texts.push(value);
        }
    }
    return texts;
}"""
# A news item of a class of each person, by its title in the demo.
THEIR_NEWS = {
    "dir.lefevre": "Notre journal de classe est en ligne",
    "ens.moreau": "Sortie au musée des Beaux-Arts",
}


def news_ids(demo_server, title):
    """(the news item's id, its class's id) in the demo server's database."""
    code = (
        "from news.models import NewsPage; "
        f"page = NewsPage.objects.get(title={title!r}); "
        "print(page.pk, page.get_parent().pk)"
    )
    return demo_server.manage("shell", "-c", code).splitlines()[-1].split()


def english_in_chromium(page):
    page.wait_for_load_state("networkidle")
    texts = page.evaluate(READ_SCREEN)
    return {**english_on(texts), **broken_french(texts)}


@pytest.mark.browser
@pytest.mark.parametrize("username", sorted(THEIR_NEWS))
def test_screens_drawn_by_scripts_are_in_french(demo_server, browser, username):
    """The dashboard with its sidebar, every screen of the sidebar's menu,
    and a news item's add and edit forms (with the side panel of its status
    open), as Chromium shows them."""
    skip_without_chromium()
    journey = Journey(browser, demo_server, username)
    page = journey.page
    found = {}

    def read(address):
        page.goto(demo_server + address)
        found_here = english_in_chromium(page)
        if found_here:
            found[address] = found_here

    read(ADMIN)
    menu = page.locator("nav a[href^='/admin/']")
    addresses = {menu.nth(i).get_attribute("href") for i in range(menu.count())}
    assert addresses, "the sidebar drew no menu"
    for address in sorted(addresses - {ADMIN}):
        if resolve(urlsplit(address).path).view_name not in NOT_FOLLOWED:
            read(address)
    news, classroom = news_ids(demo_server, THEIR_NEWS[username])
    read(f"/admin/pages/add/news/newspage/{classroom}/")
    read(f"/admin/pages/{news}/edit/")
    page.get_by_role("button", name="Afficher/masquer le statut").first.click()
    found_here = english_in_chromium(page)
    if found_here:
        found[f"/admin/pages/{news}/edit/ (statut)"] = found_here
    journey.close()
    assert not found, "\n".join(
        f"{address}\n" + "\n".join(f"    {w}: …{where}…" for w, where in words.items())
        for address, words in found.items()
    )
