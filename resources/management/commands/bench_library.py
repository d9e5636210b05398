"""Measure the library page in-process: response times and SQL queries.

``python manage.py bench_library [--requests 200] [--username USER]`` asks
the library's page for a few typical states (the bare listing, a query with
three facets, a query alone, facets alone and page 2 of a facet state) with
Django's test client, after a warm-up, and prints for each the number of
resources found, the SQL queries per request and the p50, p95 and maximum
response times. ``--json PATH`` also writes the results.
"""

import json
import math
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail.models import Site

from resources.models import ResourceIndexPage, ResourcePage
from resources.search import LibrarySearch

WARM_UP = 5
FACETS = {"cycle": "3", "type": "document", "licence": "cc-by"}
QUERY = "geometrie"

# Name, label (translated when printed) and parameters of each state.
SCENARIOS = [
    ("listing", gettext_noop("Listing"), {}),
    ("facets-query", gettext_noop("3 facets + query"), {"q": QUERY, **FACETS}),
    ("query", gettext_noop("Query only"), {"q": QUERY}),
    ("facets", gettext_noop("Facets only"), FACETS),
    ("facets-page-2", gettext_noop("Facets, page 2"), {**FACETS, "page": "2"}),
]


def percentile(values, share):
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def bench_host():
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return "127.0.0.1"


class Command(BaseCommand):
    help = "Measure the library page: SQL queries and response times."

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests",
            type=int,
            default=200,
            help="Timed requests per scenario, after the warm-up.",
        )
        parser.add_argument(
            "--username", help="Ask as this user (anonymous by default)."
        )
        parser.add_argument(
            "--json", type=Path, dest="json_path", help="Write the results here."
        )

    @override_settings(ANONYMOUS_CACHE_SECONDS=0)
    def handle(self, *args, requests, username, json_path, **options):
        """Measured without the visitors' page cache: what the library costs
        to compute, for a state no one asked before."""
        if requests < 1:
            raise CommandError(_("Give a number of requests above 0."))
        index = self.library()
        user = self.user(username)
        # Relative when the library is on the only site; otherwise a full URL
        # on its site's host.
        parts = urlsplit(index.get_url() or "/")
        base_url = parts.path
        host = parts.netloc or bench_host()
        client = Client(HTTP_HOST=host)
        if username:
            client.force_login(user)
        total = ResourcePage.objects.live().child_of(index).count()

        self.stdout.write(
            _(
                "Library %(url)s: %(count)s live resources; as %(user)s; "
                "%(requests)s requests per scenario after %(warm_up)s to warm up; "
                "database %(database)s, DEBUG %(debug)s."
            )
            % {
                "url": base_url,
                "count": total,
                "user": username or _("anonymous"),
                "requests": requests,
                "warm_up": WARM_UP,
                "database": connection.vendor,
                "debug": settings.DEBUG,
            }
        )
        if settings.DEBUG:
            self.stderr.write(
                _(
                    "DEBUG is on: every query is recorded and templates are "
                    "checked more, so the times are longer than in production "
                    "(set DEBUG=0)."
                )
            )
        results = []
        for name, label, params in SCENARIOS:
            url = base_url + ("?" + urlencode(params) if params else "")
            result = self.measure(client, url, requests)
            result.update(
                name=name,
                label=_(label),
                url=url,
                results=self.found(index, user, params, host),
            )
            results.append(result)
            if not result["results"]:
                self.stderr.write(
                    _("No resource matches %(url)s: its timings say little.")
                    % {"url": url}
                )

        self.print_table(results)
        if json_path:
            json_path.write_text(
                json.dumps(
                    {
                        "resources": total,
                        "user": username,
                        "requests": requests,
                        "warm_up": WARM_UP,
                        "database": connection.vendor,
                        "debug": settings.DEBUG,
                        "scenarios": results,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            self.stdout.write(_("Results written to %(path)s") % {"path": json_path})

    def library(self):
        site = Site.objects.filter(is_default_site=True).first()
        libraries = ResourceIndexPage.objects.live()
        if site:
            libraries = libraries.descendant_of(site.root_page)
        index = libraries.first()
        if index is None:
            raise CommandError(
                _("There is no live resource library: run seed_demo first.")
            )
        return index

    def user(self, username):
        if not username:
            return AnonymousUser()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(
                _("There is no user %(username)s.") % {"username": username}
            ) from None

    def measure(self, client, url, requests):
        """Warm up (counting the queries of each warm-up request), then time
        ``requests`` requests without recording the queries."""
        queries = []
        sql_ms = []
        for _number in range(WARM_UP):
            with CaptureQueriesContext(connection) as captured:
                self.get(client, url)
            queries.append(len(captured.captured_queries))
            sql_ms.append(
                1000 * sum(float(query["time"]) for query in captured.captured_queries)
            )
        timings = []
        for _number in range(requests):
            started = time.perf_counter()
            self.get(client, url)
            timings.append(1000 * (time.perf_counter() - started))
        return {
            "queries": queries[-1],
            # The first request fills per-process caches (sites, content types).
            "queries_varied": len(set(queries[1:])) > 1,
            "sql_ms": round(sql_ms[-1], 1),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
            "mean_ms": round(statistics.fmean(timings), 1),
        }

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(
                _("%(url)s answered %(status)s instead of 200.")
                % {"url": url, "status": response.status_code}
            )
        return response

    def found(self, index, user, params, host):
        """How many resources this state finds, read from the database."""
        request = RequestFactory(HTTP_HOST=host).get("/", params)
        request.user = user
        return LibrarySearch(index, request).page.paginator.count

    def print_table(self, results):
        headers = [
            _("Scenario"),
            _("Found"),
            _("SQL queries"),
            _("SQL (ms)"),
            _("p50 (ms)"),
            _("p95 (ms)"),
            _("max (ms)"),
        ]
        rows = [
            [
                result["label"],
                str(result["results"]),
                str(result["queries"]) + ("*" if result["queries_varied"] else ""),
                f"{result['sql_ms']:.1f}",
                f"{result['p50_ms']:.1f}",
                f"{result['p95_ms']:.1f}",
                f"{result['max_ms']:.1f}",
            ]
            for result in results
        ]
        widths = [
            max(len(row[column]) for row in [headers, *rows])
            for column in range(len(headers))
        ]

        def line(cells):
            return "  ".join(
                cell.ljust(width) if column == 0 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
            )

        self.stdout.write("")
        self.stdout.write(line(headers))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        if any(result["queries_varied"] for result in results):
            self.stdout.write(
                _("* the number of queries varied between warm-up requests.")
            )
