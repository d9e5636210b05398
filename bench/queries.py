"""The bench's in-process half: what each persona sees, and how many SQL
queries each scenario makes, cold and warm.

Run by bench/run.py with the bench's settings and DATABASE_URL:

    python -m bench.queries all --manifest PATH   # cleanup, expected, count
    python -m bench.queries expected --manifest PATH
    python -m bench.queries count --manifest PATH
    python -m bench.queries cleanup

Each command prints one JSON document on stdout.
"""

import argparse
import json
import os
import sys
import time
import uuid


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def user_for(manifest, persona):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from bench.scenarios import username

    if persona in (None, "anonymous"):
        return AnonymousUser()
    return get_user_model().objects.get(username=username(manifest, persona))


def page_at(url):
    """The live page of the default site at ``url``."""
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    return Page.objects.live().get(url_path=root.url_path + url.lstrip("/"))


def expected(manifest):
    """What the generator expects, beside what the site gives: news each
    persona may list (``NewsPage.objects.listing(user)``, in French), news
    the family sees under its class, live public resources."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from news.models import NewsPage
    from resources.models import ResourcePage
    from visibility.audience import visible_pages

    wanted = manifest["expected"]
    counts = {}
    with translation.override("fr"):
        for persona, number in wanted["visible_news"].items():
            actual = NewsPage.objects.listing(user_for(manifest, persona)).count()
            counts[f"visible_news.{persona}"] = {"expected": number, "actual": actual}
        family = user_for(manifest, manifest["scenarios"]["class_page"]["user"])
        classroom = page_at(manifest["scenarios"]["class_page"]["url"])
        actual = NewsPage.objects.listing(family).child_of(classroom).count()
        counts["class_page_news"] = {
            "expected": wanted["class_page_news"],
            "actual": actual,
        }
    resources = visible_pages(ResourcePage.objects.live(), AnonymousUser())
    counts["library_public"] = {
        "expected": wanted["library_public"],
        "actual": resources.count(),
    }
    return counts


def clear_caches():
    """As after a deployment: the shared cache and the process's own."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    ContentType.objects.clear_cache()


def client_for(manifest, persona):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if persona:
        client.force_login(user_for(manifest, persona))
    return client


def send(client, method, url, data=None):
    """Status, number of SQL queries and duration of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        if method == "POST":
            response = client.post(url, data)
        else:
            response = client.get(url)
    return {
        "status": response.status_code,
        "queries": len(captured),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def publisher_client(manifest, scenario):
    """A client logged in as the first persona who may publish there, and
    the add form it got."""
    from bench.scenarios import PUBLISHERS

    for persona in dict.fromkeys((scenario.user, *PUBLISHERS)):
        client = client_for(manifest, persona)
        response = client.get(scenario.url)
        page = response.content.decode()
        if response.status_code == 200 and 'name="action-publish"' in page:
            return client, page, persona
    raise PermissionError(f"nobody in the manifest may publish at {scenario.url}")


def count_publish(manifest, scenario):
    from bench.forms import publish_data

    client, form_page, persona = publisher_client(manifest, scenario)
    nonce = uuid.uuid4().hex[:8]
    clear_caches()
    cold = send(client, "POST", scenario.url, publish_data(form_page, 1, nonce))
    warm = send(client, "POST", scenario.url, publish_data(form_page, 2, nonce))
    return {"cold": cold, "warm": warm, "user": persona}


def count_page(manifest, scenario):
    from bench.scenarios import busted

    client = client_for(manifest, scenario.user)
    nonce = uuid.uuid4().hex[:8]

    def url(attempt):
        return (
            busted(scenario.url, f"{nonce}-{attempt}")
            if scenario.busting
            else scenario.url
        )

    clear_caches()
    cold = send(client, "GET", url(1))
    warm = send(client, "GET", url(2))
    return {"cold": cold, "warm": warm, "user": scenario.user}


def count_photo(manifest, scenario):
    """One photo of the page of ``scenario``, as its reader."""
    from bench.scenarios import Scenario, photo_urls

    client = client_for(manifest, scenario.user)
    urls = photo_urls(client.get(scenario.url).content.decode())
    if not urls:
        raise LookupError(f"no photo on {scenario.url}")
    photo = Scenario("photo", "", urls[0], scenario.user)
    return {**count_page(manifest, photo), "photos": len(urls)}


def count_photo_if_stored(manifest, scenario):
    """``count_photo``, or None (said on stderr) when the photos' files are
    not where PRIVATE_MEDIA_ROOT says: a copy of a bench database, counted
    without its media folder."""
    try:
        return count_photo(manifest, scenario)
    except FileNotFoundError as missing:
        sys.stderr.write(f"photo not counted, its file is missing: {missing}\n")
        return None


def count(manifest):
    """Queries of the first request after the caches were emptied (cold)
    and of the next one (warm), for each scenario; and of one photo of the
    photos' page (``photo``)."""
    from bench.scenarios import SITE, page_scenarios, references

    results = {}
    try:
        for scenario in references("") + page_scenarios(manifest):
            if scenario.name == "static" or scenario.target != SITE:
                continue  # answered before Django, or not by the site
            if scenario.name == "photos":
                # The view: its page and photos are counted apart.
                photo = count_photo_if_stored(manifest, scenario)
                if photo:
                    results["photo"] = photo
                continue
            counter = count_publish if scenario.publishes else count_page
            results[scenario.name] = counter(manifest, scenario)
    finally:
        cleanup()
    return results


def cleanup():
    """Remove the news items the bench published."""
    from django.db.models import Q

    from bench.forms import PUBLISH_SLUG_PREFIX, PUBLISH_TITLE
    from news.models import NewsPage

    published = Q(slug__startswith=PUBLISH_SLUG_PREFIX) | Q(
        title__startswith=PUBLISH_TITLE
    )
    deleted = 0
    for page in NewsPage.objects.filter(published):
        page.delete()
        deleted += 1
    return {"deleted": deleted}


COMMANDS = {
    "cleanup": lambda manifest: cleanup(),
    "expected": expected,
    "count": count,
    "all": lambda manifest: {
        "cleanup": cleanup(),
        "expected": expected(manifest),
        "queries": count(manifest),
    },
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--manifest")
    args = parser.parse_args(argv)
    setup_django()
    from bench.scenarios import load_manifest

    manifest = load_manifest(args.manifest) if args.manifest else None
    result = COMMANDS[args.command](manifest)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
