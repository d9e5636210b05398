"""The families' side (issue 14, item 7): Mon fil cards that name their
school and class, the « Plan du site », feeds that are valid Atom and RSS
2.0, robots.txt, the web manifest, print, French dates, and the French 404
with DEBUG on."""

import datetime
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

import pytest
from defusedxml import ElementTree

from news.models import NewsIndexPage, NewsPage
from pages.templatetags.french_dates import french_date, french_datetime, french_time
from tests.conftest import login

ATOM = "{http://www.w3.org/2005/Atom}"
MUSEUM = "Sortie au musée des Beaux-Arts"
PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db


# French dates.


def test_dates_are_written_as_in_french():
    assert french_date(datetime.date(2026, 12, 1)) == "1er décembre 2026"
    assert french_date(datetime.date(2026, 12, 19)) == "19 décembre 2026"
    assert french_date(datetime.date(2026, 12, 1), True) == "mardi 1er décembre 2026"
    evening = datetime.datetime(2026, 12, 1, 19, 44, tzinfo=PARIS)
    assert french_time(evening) == "19 h 44"
    assert french_time(datetime.time(9, 5)) == "9 h 05"
    assert french_datetime(evening) == "1er décembre 2026 à 19 h 44"
    # Aware datetimes are read in the site's time zone.
    utc = datetime.datetime(2026, 12, 1, 18, 44, tzinfo=datetime.UTC)
    assert french_time(utc) == "19 h 44"
    assert french_date(None) == ""


def test_news_pages_and_cards_show_french_dates(client):
    news = NewsPage.objects.get(title="Inscriptions en maternelle pour la rentrée 2027")
    NewsPage.objects.filter(pk=news.pk).update(date=datetime.date(2026, 12, 1))
    page = client.get(news.url).content.decode()
    assert "Publié le mardi 1er décembre 2026" in page
    listing = client.get("/actualites/").content.decode()
    assert "1er décembre 2026" in listing


# Mon fil.


def test_feed_cards_name_their_school_and_class(client):
    login(client, "famille.leroy")
    response = client.get("/mon-fil/")
    cards = {news.title: news for news in response.context["news_page"]}
    museum = cards[MUSEUM]
    assert museum.school_title == "École élémentaire Jules-Ferry"
    assert museum.classroom_title == "CP de Mme Moreau"
    html = response.content.decode()
    assert "École élémentaire Jules-Ferry · CP de Mme Moreau" in html
    district = next(n for n in cards.values() if not n.school_title)
    assert district.classroom_title is None


# Plan du site.


def test_site_plan_lists_what_the_reader_may_see(client):
    html = client.get("/plan-du-site/").content.decode()
    assert "/ecoles/jules-ferry/cm2-lefevre/" in html
    assert "/ecoles/jules-ferry/cp-moreau/" not in html  # a community class
    assert "/actualites/" in html
    # Items are listed by their sections, not in the plan.
    assert "/actualites/inscriptions-en-maternelle" not in html
    assert "Flux Atom des actualités" in html

    login(client, "famille.leroy")
    html = client.get("/plan-du-site/").content.decode()
    assert "/ecoles/jules-ferry/cp-moreau/" in html


def test_every_page_links_the_site_plan_feeds_and_manifest(client):
    for url in ("/", "/actualites/", "/ecoles/jules-ferry/", "/plan-du-site/"):
        html = client.get(url).content.decode()
        assert 'href="/plan-du-site/"' in html, url
        assert "/sitemap.xml" not in html, url
        assert (
            '<link rel="alternate" type="application/atom+xml" '
            'title="Flux Atom des actualités" href="/actualites/atom/">'
        ) in html, url
        assert 'type="application/rss+xml"' in html, url
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html, url
        assert 'href="/static/css/print.css" media="print"' in html, url
        # Only ours: the DSFR's own manifest is not linked.
        assert html.count('rel="manifest"') == 1, url
    html = client.get("/actualites/").content.decode()
    assert "Flux Atom des actualités" in html
    assert "Flux RSS des actualités" in html


# Feeds.


def text(element, path):
    found = element.find(path)
    assert found is not None and (found.text or "").strip(), path
    return found.text


@pytest.mark.parametrize("url", ["/actualites/atom/", "/ressources/atom/"])
def test_atom_feeds_are_valid(client, url):
    """RFC 4287: a feed has an id, a title, updated and an author (or every
    entry has one); each entry an id, a title, updated, a link; dates are
    RFC 3339."""
    response = client.get(url)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    text(feed, f"{ATOM}id")
    text(feed, f"{ATOM}title")
    datetime.datetime.fromisoformat(text(feed, f"{ATOM}updated"))
    text(feed, f"{ATOM}author/{ATOM}name")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href").endswith(url)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        text(entry, f"{ATOM}id")
        text(entry, f"{ATOM}title")
        datetime.datetime.fromisoformat(text(entry, f"{ATOM}updated"))
        text(entry, f"{ATOM}author/{ATOM}name")
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href")


@pytest.mark.parametrize("url", ["/actualites/rss/", "/ressources/rss/"])
def test_rss_feeds_are_rss_2(client, url):
    """RSS 2.0: a channel with a title, a link and a description; items with
    a title or description, a link, a guid and an RFC 822 date."""
    from email.utils import parsedate_to_datetime

    response = client.get(url)
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    rss = ElementTree.fromstring(response.content)
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    channel = rss.find("channel")
    for required in ("title", "link", "description"):
        text(channel, required)
    items = channel.findall("item")
    assert items
    for item in items:
        text(item, "title")
        assert text(item, "link").startswith("http")
        text(item, "guid")
        assert parsedate_to_datetime(text(item, "pubDate")).tzinfo is not None


# Robots and phones.


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for private in ("/admin/", "/mon-fil/", "/mon-compte/"):
        assert f"Disallow: {private}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_web_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "ENT Val-de-Loire Nord"
    assert manifest["lang"] == "fr"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        # Self-hosted: a static file of ours, on our own host.
        assert icon["src"].startswith(settings.STATIC_URL)
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))


def test_a_news_item_prints_without_header_and_menus(client):
    news = NewsPage.objects.get(title="Inscriptions en maternelle pour la rentrée 2027")
    html = client.get(news.url).content.decode()
    assert "<style" not in html
    assert " style=" not in html
    css = open(finders.find("css/print.css"), encoding="utf-8").read()  # noqa: SIM115
    hidden = css.split("{")[0]
    for part in (".fr-header", ".fr-footer", ".fr-nav", ".fr-breadcrumb"):
        assert part in hidden


# The French 404 with DEBUG on (make run).

DEV_MIDDLEWARE = [*settings.MIDDLEWARE, "home.middleware.FrenchNotFoundMiddleware"]


def test_development_settings_show_the_french_404():
    from ent_site.settings import dev

    assert "home.middleware.FrenchNotFoundMiddleware" in dev.MIDDLEWARE


@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
@pytest.mark.parametrize(
    "url", ["/nulle-part/", "/actualites/nulle-part/", "/inconnu.txt", "/a/b/c"]
)
def test_unknown_addresses_get_the_french_404_with_debug_on(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert "URLconf" not in html
    assert "DEBUG = True" not in html


@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_known_addresses_still_answer_with_debug_on(client):
    assert client.get("/actualites/").status_code == 200
    assert NewsIndexPage.objects.exists()
