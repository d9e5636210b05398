"""Factories for tests and for the demo district (``seed_demo``).

Page factories get or create by (parent, slug), so that building the same tree
twice gives the same pages.
"""

import datetime
import io
import unicodedata

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

import factory
import wagtail_factories
from faker import Faker
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Membership
from agenda.models import AgendaIndexPage, EventPage
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage
from privacy.models import PrivacyPage
from resources.models import Licence, ResourceIndexPage, ResourcePage, Subject
from schools.models import ClassroomPage, Level, SchoolIndexPage, SchoolPage
from training.models import TrainingIndexPage, TrainingSessionPage
from visibility.audience import Audience, default_audience_under

fake = Faker("fr_FR")
UAI_KEYS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class FrenchPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=4, locale="fr_FR")
    slug = factory.LazyAttribute(lambda page: slugify(page.title)[:80])

    class Meta:
        abstract = True
        django_get_or_create = ["slug", "parent"]


class HomePageFactory(FrenchPageFactory):
    title = "Circonscription de Val-de-Loire Nord"
    intro = (
        "<p>Bienvenue sur l'espace numérique des écoles publiques de la "
        "circonscription.</p>"
    )

    class Meta:
        model = HomePage


class StandardPageFactory(FrenchPageFactory):
    intro = factory.Faker("paragraph", locale="fr_FR")

    class Meta:
        model = StandardPage


class PrivacyPageFactory(FrenchPageFactory):
    title = "Données personnelles"
    slug = "donnees-personnelles"

    class Meta:
        model = PrivacyPage


class NewsIndexPageFactory(FrenchPageFactory):
    title = "Actualités"

    class Meta:
        model = NewsIndexPage


class AgendaIndexPageFactory(FrenchPageFactory):
    title = "Agenda"
    slug = "agenda"

    class Meta:
        model = AgendaIndexPage


class TrainingIndexPageFactory(FrenchPageFactory):
    title = "Formations"
    slug = "formations"

    class Meta:
        model = TrainingIndexPage


class SchoolIndexPageFactory(FrenchPageFactory):
    title = "Écoles"

    class Meta:
        model = SchoolIndexPage


class ResourceIndexPageFactory(FrenchPageFactory):
    title = "Ressources"

    class Meta:
        model = ResourceIndexPage


class ResourcePageFactory(FrenchPageFactory):
    title = factory.Sequence(lambda n: f"Géométrie au cycle 3, fiche {n}")
    summary = factory.Faker("paragraph", locale="fr_FR")
    audience = Audience.STAFF
    licence = Licence.CC_BY_SA
    author = factory.Faker("name", locale="fr_FR")
    link = "https://eduscol.education.gouv.fr/"
    subject = factory.LazyFunction(lambda: Subject.objects.get(slug="mathematiques"))

    class Meta:
        model = ResourcePage
        skip_postgeneration_save = True

    @factory.post_generation
    def levels(self, create, codes):
        if create:
            self.levels.set(Level.objects.filter(code__in=codes or ["CM1"]))

    @factory.post_generation
    def tags(self, create, names):
        if create:
            self.tags.set(names or [])
            self.save()


class SchoolPageFactory(FrenchPageFactory):
    title = factory.Sequence(lambda n: f"École élémentaire {fake.last_name()} {n}")
    uai = factory.Sequence(
        lambda n: f"{450000 + n:07d}{UAI_KEYS[(450000 + n) % len(UAI_KEYS)]}"
    )
    kind = SchoolPage.Kind.ELEMENTARY
    street_address = factory.Faker("street_address", locale="fr_FR")
    postcode = "45000"
    city = "Orléans"
    phone = "02 38 00 00 00"
    email = factory.LazyAttribute(lambda school: f"ce.{school.uai.lower()}@ac.example")
    director_name = factory.LazyFunction(lambda: f"Mme {fake.last_name()}")

    class Meta:
        model = SchoolPage


class ClassroomPageFactory(FrenchPageFactory):
    title = factory.Sequence(lambda n: f"CP de Mme {fake.last_name()} {n}")
    audience = Audience.COMMUNITY

    class Meta:
        model = ClassroomPage
        skip_postgeneration_save = True

    @factory.post_generation
    def levels(self, create, codes):
        if create and codes:
            self.levels.set(Level.objects.filter(code__in=codes))
            self.save()


class NewsPageFactory(FrenchPageFactory):
    title = factory.Sequence(lambda n: f"Sortie au musée des Beaux-Arts {n}")
    intro = factory.Faker("sentence", nb_words=14, locale="fr_FR")
    audience = factory.LazyAttribute(
        lambda news: (
            default_audience_under(news.parent) if news.parent else Audience.PUBLIC
        )
    )

    class Meta:
        model = NewsPage


class EventPageFactory(FrenchPageFactory):
    title = factory.Sequence(lambda n: f"Réunion des parents {n}")
    start = factory.LazyFunction(
        lambda: (
            timezone.now().replace(minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=7)
        )
    )
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    place = "Salle polyvalente"
    audience = factory.LazyAttribute(
        lambda event: (
            default_audience_under(event.parent) if event.parent else Audience.PUBLIC
        )
    )

    class Meta:
        model = EventPage


class TrainingSessionPageFactory(FrenchPageFactory):
    """A session with one date a fortnight ahead (3 hours) unless ``dates``
    gives (start, hours) pairs."""

    title = factory.Sequence(lambda n: f"Le numérique en classe, module {n}")
    theme = "numerique"
    trainer = "Julien Marchand, CPC"
    capacity = 12
    registration_deadline = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=10)
    )
    audience = Audience.STAFF

    class Meta:
        model = TrainingSessionPage
        skip_postgeneration_save = True

    @factory.post_generation
    def dates(self, create, dates):
        from training.models import SessionDate

        if not create:
            return
        if dates is None:
            start = timezone.now().replace(
                hour=9, minute=0, second=0, microsecond=0
            ) + datetime.timedelta(days=14)
            dates = [(start, 3)]
        for position, (start, hours) in enumerate(dates):
            SessionDate.objects.create(
                session=self,
                sort_order=position,
                start=start,
                end=start + datetime.timedelta(hours=float(hours)),
                place="Salle de la circonscription",
                hours=hours,
            )


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@ent.example")
    password = factory.django.Password("mot-de-passe-de-test")

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.FAMILY
    classroom = None
    school = factory.LazyAttribute(
        lambda membership: (
            membership.classroom.get_parent().specific if membership.classroom else None
        )
    )

    class Meta:
        model = Membership
        django_get_or_create = ["user", "role", "school", "classroom"]


def font(size):
    """DejaVu Sans where the machine has it (accents included); otherwise
    Pillow's own font, given the text without accents."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size), str
    except OSError:
        return (
            ImageFont.load_default(size),
            lambda text: (
                unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            ),
        )


def poster_file(text, colour, name):
    """A small PNG poster (no people on it) to illustrate demo news."""
    image = Image.new("RGB", (800, 450), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 760, 410), outline="white", width=8)
    face, spell = font(40)
    draw.text((80, 200), spell(text), fill="white", font=face)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def pdf_file(text, name):
    """A one-page PDF document."""
    image = Image.new("RGB", (595, 842), "white")
    face, spell = font(24)
    ImageDraw.Draw(image).text((60, 80), spell(text), fill="black", font=face)
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return ContentFile(buffer.getvalue(), name=name)


class ImageFactory(wagtail_factories.ImageFactory):
    title = "Affiche de la fête de l'école"
    has_identifiable_people = False  # posters and drawings
    file = factory.LazyAttribute(
        lambda image: poster_file(image.title, "#000091", f"{slugify(image.title)}.png")
    )
    collection = factory.LazyFunction(
        lambda: wagtail_factories.CollectionFactory._meta.model.get_first_root_node()
    )


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = "Menus de la cantine"
    file = factory.LazyAttribute(
        lambda document: pdf_file(document.title, f"{slugify(document.title)}.pdf")
    )
    collection = factory.LazyFunction(
        lambda: wagtail_factories.CollectionFactory._meta.model.get_first_root_node()
    )
