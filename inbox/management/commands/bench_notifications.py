"""Measure the fan-out of one news item to many recipients, and what it
costs the editor who publishes it. Everything is rolled back afterwards."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import DISTRICT_TEAM_GROUP, Membership
from inbox.models import Recipient
from inbox.notifications import notify
from news.models import NewsPage
from schools.models import ClassroomPage


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the e-mails of a news item sent to many families (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=10_000)

    def handle(self, *args, recipients, **options):
        try:
            with (
                transaction.atomic(),
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    ALLOWED_HOSTS=["*"],
                ),
            ):
                self.measure(recipients)
                raise Rollback
        except Rollback:
            pass

    def measure(self, count):
        classroom = ClassroomPage.objects.live().first()
        editor = get_user_model().objects.filter(groups__name=DISTRICT_TEAM_GROUP)[0]
        self.client = Client()
        self.client.force_login(editor)
        # The same class, before and after 10 000 families join it.
        self.publish(_("to warm up"), classroom)
        self.publish(_("to the class as it is"), classroom)
        self.add_families(classroom, count)
        page_id = self.publish(_("to the class with the families"), classroom)

        started = time.perf_counter()
        sent = notify(page_id)
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Fan-out in the background: %(recipients)s recipients, %(sent)s "
                "e-mails in %(seconds).1f s (%(rate)d per second)"
            )
            % {
                "recipients": Recipient.objects.filter(page_id=page_id).count(),
                "sent": sent,
                "seconds": seconds,
                "rate": sent / seconds if seconds else 0,
            }
        )

    def add_families(self, classroom, count):
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"bench.famille.{number}",
                email=f"bench.famille.{number}@ent.example",
            )
            for number in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                role=Membership.Role.FAMILY,
                school=classroom.get_parent().specific,
                classroom=classroom,
            )
            for user in users
        )

    def publish(self, label, parent):
        """Publish a news item as the team does, in the admin; returns its id."""
        slug = f"mesure-{slugify(label)}"
        started = time.perf_counter()
        response = self.client.post(
            f"/admin/pages/add/news/newspage/{parent.pk}/",
            {
                "title": f"Mesure {label}",
                "slug": slug,
                "audience": "community",
                "date": "2026-12-01",
                "intro": "Mesure du temps de publication.",
                "body-count": "0",
                "comments-TOTAL_FORMS": "0",
                "comments-INITIAL_FORMS": "0",
                "tags": "",
                "action-publish": "1",
            },
            HTTP_HOST="127.0.0.1",
        )
        seconds = time.perf_counter() - started
        if response.status_code != 302:
            raise CommandError(
                _("Publishing failed: %(errors)s")
                % {"errors": response.context["form"].errors.as_text()}
            )
        self.stdout.write(
            _("Publishing %(label)s: %(ms).0f ms")
            % {"label": label, "ms": seconds * 1000}
        )
        return NewsPage.objects.get(slug=slug).pk
