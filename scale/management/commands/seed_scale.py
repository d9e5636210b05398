"""Generate a whole district at scale, to measure the site.

``python manage.py seed_scale --size S|M|L [--seed N] [--manifest PATH]``
fills an empty, migrated database: the site and its indexes, schools and
classes (provisioned as in the admin), staff and families with their
memberships, news with a realistic spread of audiences (the busiest classes
hold 500 news and more) and the library's resources. The same size and seed
give the same district. The manifest lists personas, the addresses a
benchmark asks for and the number of news each persona may see, computed
from the generator's own drawing.
"""

import json
import random
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.utils.translation import gettext as _

from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from accounts.models import Membership
from home.models import HomePage
from inbox.models import ReadMark
from news.models import NewsPage, NewsPageTag
from resources.models import ResourcePage, ResourcePageTag
from scale.bulk import analyse, chunks, index_for_search
from scale.district import PASSWORD, SIZES, District, DistrictWriter, sees
from scale.library import LevelLink, ResourceWriter
from scale.photos import PHOTOS, add_photos
from visibility.audience import Audience, refresh_audiences
from visibility.models import PageAudience

# The library search a teacher runs, with three facets.
LIBRARY_SEARCH = "/ressources/?q=geometrie&cycle=3&type=document"
# The district administrator (a superuser): Wagtail's own admin, unscoped.
ADMIN_USERNAME = "admin.circo"


def family_class_news(district):
    """News of the busiest class for its members only, that the family
    persona reads: the first is measured as such, the second holds photos."""
    busiest = district.busiest_classes()[0]
    family = district.personas()["family"]
    return [
        news
        for news in district.news
        if news["classroom"] == busiest
        and news["effective"] == Audience.COMMUNITY
        and news["audience"] != "public"
        and sees(family, news)
    ]


class Command(BaseCommand):
    help = "Generate a whole district (schools, people, news, resources) at scale."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the random generator."
        )
        parser.add_argument(
            "--manifest", type=Path, help="Where to write the JSON manifest."
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Pages written at a time."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Check the page tree afterwards (slow: one query per page).",
        )

    def handle(self, *args, size, seed, manifest, batch_size, check, **options):
        from demo.management.commands.seed_demo import build_skeleton
        from visibility.cache_keys import renew as renew_cache_identity

        if batch_size < 1:
            raise CommandError(_("Give a batch size above 0."))
        if HomePage.objects.exists():
            raise CommandError(
                _(
                    "This database already holds a site: generate the district "
                    "in a new, migrated database."
                )
            )
        self.started = self.last = time.monotonic()
        rng = random.Random(f"{seed}:{size}")  # noqa: S311 (not security)
        district = District(SIZES[size], rng)
        self.step(_("District drawn"))

        with transaction.atomic():
            home, news_index, school_index, library = build_skeleton()
            writer = DistrictWriter(district, school_index, news_index, batch_size)
            writer.write_places()
            self.step(_("Schools and classes created"))
            writer.write_people()
        self.step(_("Accounts and memberships created"))

        writer.write_news(self.progress(len(district.news)))
        self.step(_("News written"), len(district.news))
        writer.write_read_marks()
        self.step(_("Read marks written"))
        self.write_photos(district, writer, seed)
        self.step(_("Class photos written"))
        get_user_model().objects.create_superuser(
            ADMIN_USERNAME, f"{ADMIN_USERNAME}@ent-charge.example", PASSWORD
        )

        resources = ResourceWriter(library, rng)
        resource_specs = []
        progress = self.progress(SIZES[size].resources)
        for batch in chunks(range(SIZES[size].resources), batch_size):
            resource_specs += resources.add(len(batch))
            progress(len(resource_specs))
        self.step(_("Resources written"), len(resource_specs))

        refresh_audiences(home)
        self.step(_("Audiences computed"))
        index_for_search(
            NewsPage,
            [news["pk"] for news in district.news],
            batch_size,
            self.progress(len(district.news)),
        )
        index_for_search(
            ResourcePage,
            [spec["pk"] for spec in resource_specs],
            batch_size,
            self.progress(len(resource_specs)),
        )
        self.step(_("Search index updated"), len(district.news) + len(resource_specs))
        analyse(
            [
                Page,
                NewsPage,
                NewsPageTag,
                ResourcePage,
                LevelLink,
                ResourcePageTag,
                ReferenceIndex,
                PageAudience,
                IndexEntry,
                Membership,
                ReadMark,
                get_user_model(),
            ]
        )
        # Written in bulk, without signals: nothing cached before is read
        # again (visibility.cache_keys).
        renew_cache_identity()
        pages = Page.objects.count()
        seconds = time.monotonic() - self.started
        self.stdout.write(
            self.style.SUCCESS(
                _("%(pages)s pages in %(seconds).1f s (%(rate)d pages per second).")
                % {"pages": pages, "seconds": seconds, "rate": pages / seconds}
            )
        )
        if check:
            problems = Page.find_problems()
            if any(problems):
                raise CommandError(
                    _("The page tree has problems: %(problems)s")
                    % {"problems": problems}
                )
            self.stdout.write(self.style.SUCCESS(_("The page tree has no problems.")))
        if manifest:
            data = self.manifest(size, seed, district, writer, home, resource_specs)
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest.write_text(
                json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(_("Manifest written to %(path)s") % {"path": manifest})

    def write_photos(self, district, writer, seed):
        """The family's class news item with photos of their child."""
        busiest = district.busiest_classes()[0]
        family = district.personas()["family"]
        add_photos(
            family_class_news(district)[1]["pk"],
            writer.users[family.username],
            writer.class_pages[busiest],
            seed,
        )

    def step(self, label, count=None):
        """Print how long the step took (and its rate, for pages)."""
        now = time.monotonic()
        seconds, self.last = now - self.last, now
        line = f"{label}: {seconds:.1f} s"
        if count:
            line += " " + _("(%(count)s pages, %(rate)d per second)") % {
                "count": count,
                "rate": count / seconds,
            }
        self.stdout.write(line)

    def progress(self, total):
        """A callback printing how many pages are written, every 10 000."""
        printed = [0]

        def report(done):
            # With DEBUG on, Django keeps every statement: bulk ones are big.
            reset_queries()
            if done - printed[0] >= 10_000 or done == total:
                printed[0] = done
                self.stdout.write(f"  {done} / {total}")

        return report

    def manifest(self, size, seed, district, writer, home, resource_specs):
        """What a benchmark needs: personas, addresses, expected counts."""
        personas = district.personas()
        family = personas["family"]

        def url(page_or_path):
            path = getattr(page_or_path, "url_path", page_or_path)
            return "/" + path[len(home.url_path) :]

        def news_url(news):
            return url(
                Page.objects.values_list("url_path", flat=True).get(pk=news["pk"])
            )

        busiest = district.busiest_classes()[0]
        in_busiest = [news for news in district.news if news["classroom"] == busiest]
        class_news, photo_news = family_class_news(district)[:2]
        public_news = next(
            news
            for news in district.news
            if news["school"] is None
            and news["effective"] == Audience.PUBLIC
            and not news["targets"]
        )
        family_classes = family.classes("family")
        hidden = next(
            news
            for news in district.news
            if news["classroom"] is not None
            and news["classroom"] not in family_classes
            and news["effective"] == Audience.COMMUNITY
            and news["school"] == district.classes[busiest]["school"]
        )
        class_page = writer.class_pages[busiest]
        return {
            "version": 1,
            "size": size,
            "seed": seed,
            "password": PASSWORD,
            "counts": {
                "schools": len(district.schools),
                "classrooms": len(district.classes),
                "news": len(district.news),
                "families": sum(1 for p in district.people if p.roles == {"family"}),
                "staff": sum(1 for p in district.people if p.roles != {"family"}),
                "resources": len(resource_specs),
                "pages": Page.objects.count(),
            },
            "personas": {
                **{role: person.username for role, person in personas.items()},
                "admin": ADMIN_USERNAME,
            },
            "scenarios": {
                "home": {"url": "/", "user": None},
                "school": {"url": url(writer.school_pages[0]), "user": None},
                "news_listing": {"url": url(writer.news_index), "user": None},
                "public_news": {"url": news_url(public_news), "user": None},
                "class_news": {"url": news_url(class_news), "user": "family"},
                "class_page": {"url": url(class_page), "user": "family"},
                "feed": {"url": "/mon-fil/", "user": "family"},
                "library": {"url": LIBRARY_SEARCH, "user": "teacher"},
                "photos": {
                    "url": news_url(photo_news),
                    "user": "family",
                    "photos": PHOTOS,
                },
                "explorer": {
                    "url": f"/admin/pages/{class_page.pk}/",
                    "user": "teacher",
                },
                "explorer_admin": {
                    "url": f"/admin/pages/{class_page.pk}/",
                    "user": "admin",
                },
                "publish": {"parent_id": class_page.pk, "user": "director"},
            },
            "expected": {
                "visible_news": {
                    "anonymous": district.expected_visible(None),
                    **{
                        role: district.expected_visible(person)
                        for role, person in personas.items()
                    },
                },
                "class_page_news": sum(1 for news in in_busiest if sees(family, news)),
                "library_public": sum(
                    1 for spec in resource_specs if spec["audience"] == Audience.PUBLIC
                ),
                "forbidden": [
                    {"url": news_url(hidden), "user": "family"},
                    {"url": news_url(class_news), "user": None},
                    {"url": news_url(photo_news), "user": None},
                ],
            },
        }
