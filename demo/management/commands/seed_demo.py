"""Build the demo district: schools, classes, news, accounts for every role.

Idempotent: running it again finds what it built instead of duplicating it.
Every person and place is fictional.
"""

import datetime
import json
from argparse import ArgumentTypeError
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from accounts.models import Membership, ScopeGroup
from accounts.provisioning import district_team_group
from demo.demo_content import (
    ACKNOWLEDGED_NEWS,
    DEMO_PASSWORD,
    DISTRICT_NEWS,
    EVENTS,
    EXTERNAL_HOURS,
    LOCAL_NEWS,
    PHOTOS,
    PRIVACY_PAGE,
    PROPOSED_RESOURCE,
    PUPILS,
    RESOURCES,
    SCHOOLS,
    STAFF_DOCUMENTS,
    STANDARD_PAGES,
    SWIMMING,
    TRAINING_ABSENCES,
    TRAINING_SESSIONS,
    TRAINING_SHARED_RESOURCE,
    USERS,
)
from demo.holidays import zone_b_holidays
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage
from privacy.models import PrivacyPage
from resources.models import ResourceIndexPage, ResourcePage, Subject
from schools.models import ClassroomPage, Level, SchoolPage, current_school_year
from tests import factories
from visibility.audience import RANK, Audience, is_district_team
from visibility.cache_keys import renew as renew_cache_identity


class Command(BaseCommand):
    help = "Build the demo district (idempotent) and print its accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest", type=Path, help="Write a JSON manifest of the demo here."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only build when the site has no district yet.",
        )
        parser.add_argument(
            "--site-address",
            metavar="HOST:PORT",
            type=parse_site_address,
            help="Give the site this address. An existing site keeps its own "
            "otherwise; a new one takes WAGTAILADMIN_BASE_URL's.",
        )

    def handle(
        self,
        *args,
        manifest=None,
        force=False,
        if_empty=False,
        site_address=None,
        **options,
    ):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like production. The demo adds "
                    "fictional accounts with a known password; use --force to do "
                    "it anyway."
                )
            )
        if isinstance(site_address, str):  # given to call_command
            try:
                site_address = parse_site_address(site_address)
            except ArgumentTypeError as error:
                raise CommandError(str(error)) from error
        if not (if_empty and HomePage.objects.exists()):
            with transaction.atomic():
                self.build(site_address)
            # What every process cached of the content before is never
            # read again (visibility.cache_keys).
            renew_cache_identity()
        if manifest:
            manifest.write_text(
                json.dumps(self.manifest(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            self.stdout.write(_("Manifest written to %(path)s") % {"path": manifest})
        self.print_accounts()

    # Building

    def build(self, site_address=None):
        home, news_index, school_index, library = build_skeleton(site_address)
        schools, classrooms = {}, {}
        for data in SCHOOLS:
            data = dict(data)
            classes = data.pop("classes")
            school = factories.SchoolPageFactory(
                parent=school_index,
                phone="02 38 55 10 0" + data["uai"][6],
                email=f"ce.{data['uai'].lower()}@ac-demo.fr",
                presentation=f"<p>{data['title']} accueille les enfants de "
                f"{data['city']} dans un cadre calme et verdoyant.</p>",
                **data,
            )
            schools[school.slug] = school
            for slug, title, levels, audience in classes:
                classrooms[slug] = factories.ClassroomPageFactory(
                    parent=school,
                    slug=slug,
                    title=title,
                    audience=audience,
                    levels=levels,
                )

        poster = self.image("Affiche de la fête de l'école", schools["jules-ferry"])
        menus = self.document(
            "Menus de la cantine de décembre", schools["les-coquelicots"]
        )
        for age, (title, audience, intro, tags) in enumerate(DISTRICT_NEWS):
            self.news(news_index, title, audience, intro, tags, age=3 * age)
        for age, news in enumerate(LOCAL_NEWS):
            school_slug, class_slug, title, audience, intro, tags = news
            parent = classrooms[class_slug] if class_slug else schools[school_slug]
            body = []
            if "fête" in tags:
                body.append(
                    {
                        "type": "image",
                        "value": {
                            "image": poster.pk,
                            "alt_text": "Affiche bleue annonçant la fête",
                            "caption": "L'affiche dessinée par les élèves",
                        },
                    }
                )
            if "cantine" in tags:
                body.append(
                    {"type": "document", "value": {"document": menus.pk, "title": ""}}
                )
            self.news(parent, title, audience, intro, tags, body, age=age + 1)

        self.build_accounts(schools, classrooms, home)
        self.build_pupils_and_photos(schools, classrooms)
        self.build_library(library)
        self.address_news()
        self.build_agenda(schools, classrooms)
        self.build_training()

    def build_agenda(self, schools, classrooms):
        """The holidays of the school year in progress and the next, and
        events of the district, a school and classes around today."""
        from agenda.models import AgendaIndexPage, Repeat, SchoolHoliday

        today = datetime.date.today()
        first_year = int(current_school_year(today)[:4])
        for year in (first_year, first_year + 1):
            for name, first_day, last_day in zone_b_holidays(year):
                SchoolHoliday.objects.get_or_create(
                    name=name, first_day=first_day, defaults={"last_day": last_day}
                )

        agenda = AgendaIndexPage.objects.get()
        for school, classroom, title, audience, days, hour, hours, *rest in EVENTS:
            place, description = rest
            parent = (
                classrooms[classroom]
                if classroom
                else schools[school]
                if school
                else agenda
            )
            start = at(today + datetime.timedelta(days=days), hour)
            factories.EventPageFactory(
                parent=parent,
                title=title,
                audience=audience,
                start=start,
                end=start + datetime.timedelta(hours=hours),
                place=place,
                description=f"<p>{description}</p>",
            )

        school, classroom, title, audience, place, description = SWIMMING
        first_tuesday = datetime.date(first_year, 9, 8)
        first_tuesday += datetime.timedelta(days=(1 - first_tuesday.weekday()) % 7)
        start = at(first_tuesday, 10)
        factories.EventPageFactory(
            parent=classrooms[classroom],
            title=title,
            audience=audience,
            start=start,
            end=start + datetime.timedelta(hours=1),
            place=place,
            description=f"<p>{description}</p>",
            repeat=Repeat.WEEKLY,
            repeat_until=datetime.date(first_year + 1, 3, 31),
            term_time_only=True,
        )

    def build_training(self):
        """The CPC's sessions: one to come and full, with a waiting list;
        one past, with its attendance marked and a resource shared; and
        hours of outside trainings, one validated, one waiting."""
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from training.models import (
            Attendance,
            ExternalHours,
            Registration,
            SessionDate,
            TrainingIndexPage,
        )

        users = get_user_model().objects
        cpc = users.get(username="cpc.marchand")
        index = TrainingIndexPage.objects.get()
        today = datetime.date.today()
        for slug, title, theme, capacity, dates, *rest in TRAINING_SESSIONS:
            registered, waiting, description = rest
            first = today + datetime.timedelta(days=dates[0][0])
            session = factories.TrainingSessionPageFactory(
                parent=index,
                slug=slug,
                title=title,
                theme=theme,
                capacity=capacity,
                description=description,
                trainer="Julien Marchand, conseiller pédagogique",
                registration_deadline=at(first - datetime.timedelta(days=7), 18),
                owner=cpc,
                dates=[],
            )
            if not session.dates.exists():
                for position, (days, hours) in enumerate(dates):
                    start = at(today + datetime.timedelta(days=days), 14)
                    SessionDate.objects.create(
                        session=session,
                        sort_order=position,
                        start=start,
                        end=start + datetime.timedelta(hours=hours),
                        place="Salle de la circonscription, Saint-Aubin-sur-Loire",
                        hours=hours,
                    )
            people = [(name, Registration.Status.REGISTERED) for name in registered]
            people += [(name, Registration.Status.WAITING) for name in waiting]
            for username, status in people:
                registration, _created = Registration.objects.get_or_create(
                    session=session,
                    user=users.get(username=username),
                    defaults={"status": status},
                )
                if dates[-1][0] >= 0:
                    continue
                for position, date in enumerate(session.dates.order_by("start")):
                    Attendance.objects.get_or_create(
                        registration=registration,
                        date=date,
                        defaults={
                            "present": (username, position) not in TRAINING_ABSENCES,
                            "marked_by": cpc,
                        },
                    )
            if dates[-1][0] < 0 and not session.shared_resources.exists():
                session.shared_resources.set(
                    ResourcePage.objects.filter(title=TRAINING_SHARED_RESOURCE)
                )
                session.save()

        for username, title, days, hours, validated in EXTERNAL_HOURS:
            decided = {
                "status": ExternalHours.Status.VALIDATED,
                "decided_by": cpc,
                "decided_at": timezone.now(),
            }
            ExternalHours.objects.get_or_create(
                user=users.get(username=username),
                title=title,
                defaults={
                    "done_on": today - datetime.timedelta(days=days),
                    "hours": hours,
                    **(decided if validated else {}),
                },
            )

    def news(self, parent, title, audience, intro, tags, body=(), age=0):
        news = factories.NewsPageFactory(
            parent=parent,
            title=title,
            date=datetime.date.today() - datetime.timedelta(days=age),
            audience=audience,
            intro=intro,
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Toutes les informations pratiques sont "
                    "rappelées ci-dessous. L'équipe reste à votre écoute pour "
                    "toute question.</p>",
                },
                *body,
            ],
        )
        if tags and not news.tags.exists():
            news.tags.set(tags)
            news.save()
        return news

    def address_news(self):
        """Ask for acknowledgements on some news and record who each news
        item is addressed to. The demo's news are past news: nobody is
        e-mailed about them."""
        from inbox.models import Recipient
        from inbox.recipients import address

        NewsPage.objects.filter(title__in=ACKNOWLEDGED_NEWS).update(
            acknowledgement_required=True
        )
        for news in NewsPage.objects.live():
            address(news)
        Recipient.objects.filter(notification=Recipient.Notification.PENDING).update(
            notification=Recipient.Notification.NONE
        )

    def build_library(self, library):
        from django.contrib.auth import get_user_model

        from wagtail.documents import get_document_model

        collection = ScopeGroup.objects.get(
            page=library, role=ScopeGroup.Role.LIBRARY
        ).collection
        for age, resource in enumerate(RESOURCES):
            title, summary, subject, levels, (kind, value), *rest = resource
            licence, author, source, audience, tags = rest
            given = {}
            if kind == "document":
                given["document"] = get_document_model().objects.filter(
                    title=value
                ).first() or factories.DocumentFactory(
                    title=value, collection=collection
                )
            else:
                given["link" if kind == "link" else "video_url"] = value
            factories.ResourcePageFactory(
                parent=library,
                title=title,
                summary=summary,
                subject=Subject.objects.get(slug=subject),
                levels=levels,
                licence=licence,
                author=author,
                source=source,
                audience=audience,
                tags=tags,
                date=datetime.date.today() - datetime.timedelta(days=5 * age),
                link=given.get("link", ""),
                video_url=given.get("video_url", ""),
                document=given.get("document"),
            )

        # A teacher's proposal, waiting for the district team.
        username, title, summary, subject, levels, link, licence, author = (
            PROPOSED_RESOURCE
        )
        if not ResourcePage.objects.filter(title=title).exists():
            teacher = get_user_model().objects.get(username=username)
            proposal = ResourcePage(
                title=title,
                summary=summary,
                subject=Subject.objects.get(slug=subject),
                link=link,
                licence=licence,
                author=author,
                owner=teacher,
                live=False,
            )
            library.add_child(instance=proposal)
            proposal.levels.set(Level.objects.filter(code__in=levels))
            proposal.save_revision(user=teacher)
            library.get_workflow().start(proposal, teacher)

    def image(self, title, school):
        from wagtail.images import get_image_model

        return get_image_model().objects.filter(
            title=title
        ).first() or factories.ImageFactory(
            title=title, collection=school_collection(school)
        )

    def document(self, title, school):
        from wagtail.documents import get_document_model

        return get_document_model().objects.filter(
            title=title
        ).first() or factories.DocumentFactory(
            title=title, collection=school_collection(school)
        )

    def build_pupils_and_photos(self, schools, classrooms):
        from django.contrib.auth import get_user_model

        from wagtail.images import get_image_model

        from pupils.models import ImageConsent, Medium, Pupil

        users = get_user_model().objects
        recorder = users.get(username="admin")
        pupils = {}
        for class_slug, first_name, initial, families, ent, web in PUPILS:
            pupil, created = Pupil.objects.get_or_create(
                classroom=classrooms[class_slug],
                first_name=first_name,
                last_initial=initial,
            )
            pupil.families.set(users.filter(username__in=families))
            pupils[first_name] = pupil
            if created:
                for medium, given in ((Medium.ENT, ent), (Medium.WEB, web)):
                    if given is not None:
                        ImageConsent.objects.create(
                            pupil=pupil,
                            medium=medium,
                            given=given,
                            recorded_by=recorder,
                        )

        for title, colour, school, class_slug, names, people, news_slug in PHOTOS:
            image = get_image_model().objects.filter(title=title).first()
            if image is None:
                collection = (
                    ScopeGroup.objects.get(page=classrooms[class_slug]).collection
                    if class_slug
                    else school_collection(schools[school])
                )
                image = factories.ImageFactory(
                    title=title,
                    collection=collection,
                    has_identifiable_people=people,
                    credit="Équipe de l'école",
                    file=factories.poster_file(title, colour, f"{slugify(title)}.png"),
                )
                image.pupils.set([pupils[name] for name in names])
            if news_slug:
                self.attach(NewsPage.objects.get(slug=news_slug), "image", image)

        for title, school, news_slug in STAFF_DOCUMENTS:
            document = self.document(title, schools[school])
            self.attach(NewsPage.objects.get(slug=news_slug), "document", document)

    def attach(self, news, block_type, item):
        """Add an image or document block to a news page, once."""
        if any(block.block_type == block_type for block in news.body):
            return
        value = (
            {"image": item, "alt_text": item.title, "caption": item.title}
            if block_type == "image"
            else {"document": item, "title": ""}
        )
        news.body.append((block_type, value))
        news.save_revision().publish()

    def build_accounts(self, schools, classrooms, home):
        team = district_team_group()

        for username, first_name, last_name, is_team, memberships in USERS:
            user = factories.UserFactory(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@ent-demo.fr",
            )
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = username == "admin"
            user.save()
            if is_team and username != "admin":
                user.groups.add(team)
            for role, school_slug, class_slug in memberships:
                Membership.objects.get_or_create(
                    user=user,
                    role=role,
                    school=schools[school_slug],
                    classroom=classrooms[class_slug] if class_slug else None,
                )

    # Reporting

    def manifest(self):
        from django.contrib.auth import get_user_model

        users = []
        for user in get_user_model().objects.order_by("username"):
            memberships = [
                {
                    "school": membership.school.slug,
                    "class": membership.classroom.slug
                    if membership.classroom
                    else None,
                    "role": membership.role,
                }
                for membership in user.memberships.select_related(
                    "school", "classroom"
                ).order_by("school__path", "classroom__path", "role")
            ]
            users.append(
                {
                    "username": user.username,
                    "password": DEMO_PASSWORD,
                    "role": user_role(user, memberships),
                    "memberships": memberships,
                }
            )

        home = HomePage.objects.first()
        slugs = {
            page.translation_key: page.slug
            for page in Page.objects.type(SchoolPage, ClassroomPage)
        }
        pages = []
        descendants = home.get_descendants(inclusive=True).live()
        for page in descendants.select_related("audience_info").specific():
            row = getattr(page, "audience_info", None)
            school = slugs.get(row.school_key) if row else None
            classroom = slugs.get(row.classroom_key) if row else None
            pages.append(
                {
                    "url": page.get_url(),
                    "title": page.title,
                    "kind": page_kind(page),
                    "scope": "class"
                    if classroom
                    else "school"
                    if school
                    else "district",
                    "school": school,
                    "class": classroom,
                    "audience": row.audience if row else Audience.PUBLIC.value,
                }
            )
        news_index = NewsIndexPage.objects.live().first()
        library = ResourceIndexPage.objects.live().first()
        return {
            "users": users,
            "pages": pages,
            "documents": self.documents_manifest(pages),
            "channels": {
                "search": "/recherche/?q={q}",
                "rss": [news_index.get_url() + "rss/"] if news_index else [],
                "sitemap": "/sitemap.xml",
                "library": library.get_url() + "?q={q}" if library else None,
                "my_feed": reverse("my_feed"),
            },
        }

    def documents_manifest(self, pages):
        """Each document with the pages that use it: it may be downloaded by
        whoever may see one of them."""
        from wagtail.documents import get_document_model

        from mediafiles.access import pages_using

        audience_by_url = {page["url"]: page for page in pages}
        documents = []
        for document in get_document_model().objects.order_by("pk"):
            used_by = sorted(page.get_url() for page in pages_using(document))
            documents.append(
                {
                    "url": document.url,
                    "title": document.title,
                    "pages": used_by,
                    "audience": min(
                        (audience_by_url[url]["audience"] for url in used_by),
                        key=lambda audience: RANK[audience],
                        default=Audience.DIRECTORS.value,
                    ),
                }
            )
        return documents

    def print_accounts(self):
        manifest_users = self.manifest()["users"]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo accounts (the same password for all: %(password)s)")
                % {"password": DEMO_PASSWORD}
            )
        )
        roles = {
            **dict(Membership.Role.choices),
            "team": _("District team"),
            "none": _("No membership"),
        }
        for user in manifest_users:
            where = ", ".join(
                f"{roles[m['role']].lower()} {m['class'] or m['school']}"
                for m in user["memberships"]
            )
            role = str(roles[user["role"]])
            self.stdout.write(f"  {user['username']:<17} {role:<26} {where}")


def parse_site_address(value):
    """``HOST:PORT`` (the port 80 if left out), for ``--site-address``."""
    host, _colon, port = value.strip().rpartition(":")
    if not host:
        host, port = port, "80"
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or "/" in host:
        raise ArgumentTypeError(
            _("“%(value)s” is not an address such as ent.example.fr:443.")
            % {"value": value}
        )
    return host.lower(), int(port)


def build_site(address=None):
    """The home page, root of the default site. A new site takes its address
    from ``WAGTAILADMIN_BASE_URL``; an existing one keeps its address and
    name unless ``address`` (host, port) is given."""
    root = Page.get_first_root_node()
    home = factories.HomePageFactory(
        parent=root,
        slug="circonscription",
        inspector_name="Mme Claire Dubois",
        address="Circonscription de Val-de-Loire Nord\n"
        "4 rue de la Préfecture\n45100 Saint-Aubin-sur-Loire",
        phone="02 38 55 10 00",
        email="ce.ien-vln@ac-demo.fr",
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.root_page.specific_class is not HomePage:
        # No site yet, or only the one Wagtail makes for its "Welcome" page.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = site or Site(is_default_site=True)
        site.hostname, site.port = base.hostname or "localhost", base.port or 80
        site.site_name = "ENT Val-de-Loire Nord"
    if address:
        site.hostname, site.port = address
    site.root_page = home
    site.save()
    # Wagtail's "Welcome" page has no place in the district's tree.
    Page.objects.filter(depth=2).exclude(pk=home.pk).type(Page).exact_type(
        Page
    ).delete()
    return home


def build_skeleton(site_address=None):
    """The district's home page, its three indexes and its standard pages;
    returns the home page and the indexes."""
    home = build_site(site_address)
    news_index = factories.NewsIndexPageFactory(
        parent=home,
        slug="actualites",
        show_in_menus=True,
        intro="Les actualités de la circonscription pour toutes les écoles.",
    )
    school_index = factories.SchoolIndexPageFactory(
        parent=home,
        slug="ecoles",
        show_in_menus=True,
        intro="<p>Les écoles publiques maternelles et élémentaires de la "
        "circonscription.</p>",
    )
    library = factories.ResourceIndexPageFactory(
        parent=home,
        slug="ressources",
        show_in_menus=True,
        intro="<p>Séquences, fiches et outils partagés par les enseignants "
        "de la circonscription, avec leur licence.</p>",
    )
    factories.AgendaIndexPageFactory(
        parent=home,
        show_in_menus=True,
        intro="Les rendez-vous de la circonscription, des écoles et des classes.",
    )
    factories.TrainingIndexPageFactory(
        parent=home,
        show_in_menus=True,
        intro="Les animations pédagogiques proposées par les conseillers "
        "pédagogiques de la circonscription.",
    )
    for slug, title, intro in STANDARD_PAGES:
        factories.StandardPageFactory(parent=home, slug=slug, title=title, intro=intro)
    build_privacy_page(home)
    return home, news_index, school_index, library


def build_privacy_page(home):
    """« Données personnelles », where a demo seeded before it existed kept
    a standard page of that address."""
    slug, title, intro = PRIVACY_PAGE
    StandardPage.objects.child_of(home).filter(slug=slug).delete()
    return factories.PrivacyPageFactory(
        parent=home, slug=slug, title=title, intro=intro
    )


def at(day, hour):
    """``day`` at ``hour`` o'clock, local time."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def school_collection(school):
    return ScopeGroup.objects.get(
        page=school, role=ScopeGroup.Role.DIRECTORS
    ).collection


def user_role(user, memberships):
    roles = {membership["role"] for membership in memberships}
    if is_district_team(user):
        return "team"
    for role in ("director", "teacher", "family"):
        if role in roles:
            return role
    return "none"


def page_kind(page):
    return {
        NewsPage: "news",
        SchoolPage: "school",
        ClassroomPage: "class",
        StandardPage: "standard",
        PrivacyPage: "standard",
        ResourcePage: "resource",
    }.get(type(page), "index")
