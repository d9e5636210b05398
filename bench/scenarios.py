"""What the bench asks for, and as whom, read from a scale manifest
(the contract of ``manage.py seed_scale --manifest``)."""

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

BARE_URL = "/sante/"
# The servers a scenario is measured on, both behind nginx: the site, and the
# minimal Django app of bench/floor.py.
SITE, FLOOR = "site", "floor"
# Who publishes, in this order: the manifest's choice, then whoever may.
PUBLISHERS = ("director", "team")


class BenchFailure(Exception):
    """The data or the site is not what the manifest says: no numbers."""


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    url: str = ""
    user: str | None = None  # a persona of the manifest; None is anonymous
    # A unique query string per request: the anonymous pages' cache never
    # answers, every request renders the page.
    busting: bool = False
    parent_id: int | None = None  # publishing: the page to add a news item to
    reference: bool = False
    target: str = SITE
    # A view of several requests (a page and its photos), asked in turn; the
    # measurements count views. Found on the page when the server runs.
    paths: tuple = ()

    @property
    def publishes(self):
        return self.parent_id is not None

    @property
    def requests_per_view(self):
        return len(self.paths) or 1


def load_manifest(path):
    manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    if manifest.get("version") != 1:
        raise ValueError(f"{path}: unknown manifest version {manifest.get('version')}")
    return manifest


def username(manifest, persona):
    return manifest["personas"][persona] if persona else None


def references(static_url):
    return [
        Scenario(
            "floor",
            "Floor: minimal Django app (reference)",
            "/",
            reference=True,
            target=FLOOR,
        ),
        Scenario("bare", "Bare view /sante/ (reference)", BARE_URL, reference=True),
        Scenario("static", "Static file (nginx)", static_url, reference=True),
    ]


def page_scenarios(manifest):
    """Every scenario of the manifest, in the order they are measured."""
    given = manifest["scenarios"]

    def scenario(name, label, key=None, **options):
        entry = given[key or name]
        return Scenario(name, label, entry["url"], entry["user"], **options)

    publish = given["publish"]
    return [
        scenario("home", "Home, anonymous, uncached", busting=True),
        scenario("school", "School page, anonymous, uncached", busting=True),
        scenario("news_listing", "News listing, anonymous, uncached", busting=True),
        scenario("public_news", "Public news, anonymous, uncached", busting=True),
        scenario("public_news_cached", "Public news, anonymous, cached", "public_news"),
        scenario("class_news", "Class news, family"),
        scenario("class_page", "Class page (news listing), family"),
        scenario("feed", "Personal feed /mon-fil/, family"),
        scenario(
            "photos_page", "Class news with 12 photos, page alone, family", "photos"
        ),
        scenario(
            "photos",
            "Class news and its 12 photos, per view of 13 requests, family",
        ),
        scenario("library", "Library search with facets, teacher"),
        scenario("explorer", "Admin explorer of a class, teacher"),
        scenario(
            "explorer_admin",
            "Wagtail explorer of the same class, superuser (reference)",
        ),
        Scenario(
            "publish",
            "Publishing a news item (admin POST)",
            f"/admin/pages/add/news/newspage/{publish['parent_id']}/",
            publish["user"],
            parent_id=publish["parent_id"],
        ),
    ]


# A rendition's address, as a page gives it (mediafiles.views).
PHOTO_URL = re.compile(r'/images/\d+/[^"\s?]+')


def photo_urls(html):
    """The image renditions a page shows, in order, each once."""
    return list(dict.fromkeys(PHOTO_URL.findall(html)))


def with_photos(scenario, urls):
    """The view of a page and its photos: the page, then each photo."""
    return replace(scenario, paths=(scenario.url, *urls))


def busted(url, nonce):
    """``url`` with a query string no one asked before."""
    return f"{url}{'&' if '?' in url else '?'}bench={nonce}"
