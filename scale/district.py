"""A whole generated district: schools, classes, staff, families and news.

The same size and seed always draw the same district. Schools and classes
are created one by one, as in the admin, so that their groups, collections
and workflows are provisioned; accounts, memberships and news are written in
bulk. Every news item is drawn as a spec first: the specs say which news
each persona may see (``expected_visible``), computed here from the rules
of DESIGN §4 rather than by the site, so that a benchmark can check the site
against them.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from accounts.models import Membership
from accounts.provisioning import district_team_group, sync_user_groups
from news.models import NewsPage, NewsPageTag
from scale.bulk import PageWriter, capitalise, chunks, tag_pool, weighted
from scale.library import FIRST_NAMES, LAST_NAMES
from schools.models import ClassroomPage, Level, SchoolPage
from tests.factories import UAI_KEYS, ClassroomPageFactory, SchoolPageFactory
from visibility.audience import Audience, most_restrictive
from visibility.models import PageTarget

PASSWORD = "ent-charge-2026"  # noqa: S105 (fictional accounts of a test district)
YEARS = 3


@dataclass(frozen=True)
class Size:
    schools: int
    classes: int
    news: int
    families: int
    staff: int
    resources: int
    # News of the busiest classes (the first class of the first schools).
    busiest: tuple


SIZES = {
    "XS": Size(2, 8, 300, 60, 24, 200, busiest=(60,)),
    "S": Size(6, 42, 5_000, 1_000, 80, 5_000, busiest=(520,)),
    "M": Size(20, 140, 17_000, 3_300, 270, 17_000, busiest=(560, 520)),
    "L": Size(60, 420, 50_000, 10_000, 800, 50_000, busiest=(650, 580, 520)),
}

# Shares of the news by scope, and of audiences within each scope.
DISTRICT_SHARE, SCHOOL_SHARE = 0.05, 0.30
DISTRICT_AUDIENCES = {
    Audience.PUBLIC: 70,
    Audience.COMMUNITY: 15,
    Audience.STAFF: 10,
    Audience.DIRECTORS: 5,
}
SCHOOL_AUDIENCES = {
    Audience.PUBLIC: 40,
    Audience.COMMUNITY: 40,
    Audience.STAFF: 15,
    Audience.DIRECTORS: 5,
}
CLASS_AUDIENCES = {Audience.COMMUNITY: 75, Audience.PUBLIC: 10, Audience.STAFF: 15}
TARGETED_SHARE = 0.1
READ_SHARE = 0.5
SCHOOL_PAGE_AUDIENCES = {Audience.PUBLIC: 90, Audience.COMMUNITY: 10}
CLASS_PAGE_AUDIENCES = {Audience.COMMUNITY: 85, Audience.PUBLIC: 10, Audience.STAFF: 5}

SCHOOL_NAMES = [
    "Jules-Ferry",
    "Jean-Jaurès",
    "Victor-Hugo",
    "Jacques-Prévert",
    "Louise-Michel",
    "Paul-Bert",
    "Marie-Curie",
    "Pasteur",
    "Jean-Moulin",
    "Les Tilleuls",
    "Les Coquelicots",
    "Le Petit Prince",
    "Saint-Exupéry",
    "Jean-de-La-Fontaine",
    "Condorcet",
    "Anatole-France",
    "Les Marronniers",
    "Le Bourg",
    "La Source",
    "Simone-Veil",
]
CITIES = [
    "Saint-Aubin-sur-Loire",
    "Meung-sur-Loire",
    "Beaugency",
    "Cléry-Saint-André",
    "Olivet",
    "Saint-Ay",
    "Chaingy",
    "Baule",
    "Mareau-aux-Prés",
    "Huisseau-sur-Mauves",
]
KINDS = [
    (SchoolPage.Kind.NURSERY, "maternelle", ["PS", "MS", "GS"]),
    (SchoolPage.Kind.ELEMENTARY, "élémentaire", ["CP", "CE1", "CE2", "CM1", "CM2"]),
    (
        SchoolPage.Kind.PRIMARY,
        "primaire",
        ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"],
    ),
]

NEWS_TITLES = {
    "district": [
        "Animation pédagogique : {topic}",
        "Inscriptions en maternelle pour la rentrée",
        "Calendrier des évaluations nationales",
        "Formation des enseignants : {topic}",
        "Réunion des directeurs d'école",
        "Semaine de la presse à l'école",
        "Alerte météo : accueil des élèves",
        "Plan mercredi : {topic}",
        "Rencontres sportives de la circonscription",
        "Note de service : {topic}",
    ],
    "school": [
        "Fête de l'école",
        "Conseil d'école",
        "Menus de la cantine",
        "Photo de classe",
        "Exercice de sécurité",
        "Vente de gâteaux pour la coopérative",
        "Carnaval de l'école",
        "Réunion de rentrée",
        "Portes ouvertes : {topic}",
        "Élections des représentants de parents",
    ],
    "class": [
        "Sortie à {place}",
        "Cahier de vie : {topic}",
        "Piscine : le planning",
        "Nos plantations",
        "L'album de la semaine",
        "Spectacle de fin d'année",
        "Visite de {place}",
        "Projet de classe : {topic}",
        "Rendez-vous individuels",
        "Ce que nous avons appris : {topic}",
    ],
}
NEWS_TOPICS = [
    "la lecture à voix haute",
    "le jardin de l'école",
    "les nombres",
    "la sécurité routière",
    "les arts visuels",
    "l'égalité filles-garçons",
    "le numérique responsable",
    "la chorale",
    "les sciences",
    "le harcèlement",
]
PLACES = [
    "la médiathèque",
    "la ferme pédagogique",
    "la caserne des pompiers",
    "le musée des Beaux-Arts",
    "la cathédrale",
    "la forêt domaniale",
    "l'observatoire",
    "la piscine municipale",
]
NEWS_TAGS = [
    "sortie",
    "fête",
    "cantine",
    "réunion",
    "santé",
    "sécurité",
    "inscriptions",
    "sport",
    "culture",
    "coopérative",
]
INTROS = [
    "Voici les informations pratiques pour les familles de {scope}.",
    "Merci de prendre connaissance de ce message et de le conserver.",
    "Un moment important de l'année pour {scope} : tout ce qu'il faut savoir.",
    "Les élèves ont préparé ce rendez-vous avec beaucoup d'enthousiasme.",
    "Quelques rappels avant la date, pour que tout se passe bien.",
]
PARAGRAPHS = [
    "Le rendez-vous est fixé devant le portail à 8 h 30. Prévoir un goûter, "
    "une gourde et des vêtements adaptés à la météo.",
    "Les horaires habituels restent inchangés. L'équipe reste à votre "
    "écoute pour toute question, par le cahier de liaison ou au portail.",
    "Une autorisation signée est demandée pour chaque enfant avant vendredi. "
    "Sans elle, l'enfant sera accueilli dans une autre classe.",
    "Merci aux parents accompagnateurs qui rendent ces projets possibles. "
    "Les photos seront visibles sur l'ENT dans le respect des autorisations.",
]


@dataclass
class Person:
    username: str
    first_name: str
    last_name: str
    team: bool = False
    # (role, school index, class index or None)
    memberships: list = field(default_factory=list)

    @property
    def roles(self):
        return {role for role, _school, _class in self.memberships}

    def schools(self, *roles):
        return {
            school
            for role, school, _class in self.memberships
            if not roles or role in roles
        }

    def classes(self, *roles):
        return {
            classroom
            for role, _school, classroom in self.memberships
            if classroom is not None and role in roles
        }


def sees(person, news):
    """Whether ``person`` (None: an anonymous visitor) may read ``news``,
    as DESIGN §4 states the rule (independently of ``visibility.audience``)."""
    if person and person.team:
        return True
    schools = person.schools() if person else set()
    if news["targets"] and not schools & set(news["targets"]):
        return False
    audience = news["effective"]
    if audience == Audience.PUBLIC:
        return True
    if person is None:
        return False
    school, classroom = news["school"], news["classroom"]
    if school is not None and school in person.schools("director"):
        return True
    if school is None:
        return {
            Audience.COMMUNITY: bool(person.roles),
            Audience.STAFF: bool(person.roles & {"director", "teacher"}),
            Audience.DIRECTORS: "director" in person.roles,
        }[audience]
    if classroom is None:
        if audience == Audience.COMMUNITY:
            return school in schools
        return audience == Audience.STAFF and school in person.schools(
            "director", "teacher"
        )
    if audience == Audience.COMMUNITY:
        return classroom in person.classes("teacher", "family")
    return audience == Audience.STAFF and classroom in person.classes("teacher")


class District:
    """Draws a district of a given size from a random generator."""

    def __init__(self, size, rng):
        self.size = size
        self.rng = rng
        self.today = datetime.date.today()
        self.schools = self.draw_schools()
        self.classes = self.draw_classes()
        self.people = self.draw_people()
        self.news = self.draw_news()

    # Places

    def draw_schools(self):
        schools = []
        for number in range(self.size.schools):
            kind, label, codes = KINDS[number % len(KINDS)]
            name = SCHOOL_NAMES[number % len(SCHOOL_NAMES)]
            city = CITIES[number % len(CITIES)]
            title = f"École {label} {name}"
            if number >= len(SCHOOL_NAMES):
                title += f" de {city}"
            code = 451000 + number
            schools.append(
                {
                    "title": title,
                    "slug": slugify(title),
                    "kind": kind,
                    "codes": codes,
                    "city": city,
                    "uai": f"{code:07d}{UAI_KEYS[code % len(UAI_KEYS)]}",
                    "audience": (
                        Audience.PUBLIC
                        if number == 0
                        else weighted(self.rng, SCHOOL_PAGE_AUDIENCES)
                    ),
                }
            )
        return schools

    def draw_classes(self):
        classes = []
        per_school, extra = divmod(self.size.classes, self.size.schools)
        for school_number, school in enumerate(self.schools):
            codes = school["codes"]
            for number in range(per_school + (school_number < extra)):
                code = codes[number % len(codes)]
                if number >= len(codes):
                    code = f"{code}-{codes[(number + 1) % len(codes)]}"
                teacher = (
                    f"{self.rng.choice(['Mme', 'M.'])} {self.rng.choice(LAST_NAMES)}"
                )
                title = f"{code} de {teacher}"
                classes.append(
                    {
                        "title": title,
                        "slug": f"{slugify(title)}-{number + 1}",
                        "school": school_number,
                        "codes": code.split("-"),
                        "audience": (
                            Audience.COMMUNITY
                            if number == 0
                            else weighted(self.rng, CLASS_PAGE_AUDIENCES)
                        ),
                    }
                )
        return classes

    def busiest_classes(self):
        """The first class of each of the first schools."""
        firsts = {}
        for number, classroom in enumerate(self.classes):
            firsts.setdefault(classroom["school"], number)
        return [firsts[school] for school in sorted(firsts)][: len(self.size.busiest)]

    def classes_of(self, school):
        return [
            number
            for number, classroom in enumerate(self.classes)
            if classroom["school"] == school
        ]

    # People

    def person(self, username):
        return Person(
            username=username,
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
        )

    def draw_people(self):
        size, rng = self.size, self.rng
        people = []
        team = max(2, size.staff // 40)
        for number in range(team):
            person = self.person(f"equipe.{number + 1:02d}")
            person.team = True
            people.append(person)
        for school in range(size.schools):
            person = self.person(f"dir.{school + 1:03d}")
            person.memberships.append(("director", school, None))
            people.append(person)
        for number, classroom in enumerate(self.classes):
            person = self.person(f"ens.{number + 1:04d}")
            person.memberships.append(("teacher", classroom["school"], number))
            people.append(person)
        # Teachers of several classes (part-time, remedial), in one school.
        for number in range(len(self.classes), size.staff - team - size.schools):
            person = self.person(f"ens.{number + 1:04d}")
            school = rng.randrange(size.schools)
            for classroom in rng.sample(self.classes_of(school), 2):
                person.memberships.append(("teacher", school, classroom))
            people.append(person)
        for number in range(size.families):
            person = self.person(f"famille.{number + 1:05d}")
            if number == 0:
                # The persona: a child in the busiest class, one elsewhere.
                children = [0, self.classes_of(min(1, size.schools - 1))[-1]]
            else:
                children = [rng.randrange(len(self.classes))]
                if rng.random() < 0.2:
                    school = self.classes[children[0]]["school"]
                    if rng.random() > 0.7:
                        school = rng.randrange(size.schools)
                    children.append(rng.choice(self.classes_of(school)))
            for classroom in dict.fromkeys(children):
                person.memberships.append(
                    ("family", self.classes[classroom]["school"], classroom)
                )
            people.append(person)
        return people

    # News

    def draw_news(self):
        size, rng = self.size, self.rng
        district = round(size.news * DISTRICT_SHARE)
        school = round(size.news * SCHOOL_SHARE)
        scopes = [("district", None)] * district
        scopes += [("school", rng.randrange(size.schools)) for _n in range(school)]
        busiest = self.busiest_classes()
        for classroom, count in zip(busiest, size.busiest, strict=False):
            scopes += [("class", classroom)] * count
        others = [
            number for number in range(len(self.classes)) if number not in busiest
        ]
        weights = [rng.uniform(0.3, 1.7) for _number in others]
        remaining = size.news - len(scopes)
        scopes += [
            ("class", classroom)
            for classroom in rng.choices(others, weights=weights, k=remaining)
        ]
        return [self.draw_one_news(kind, place) for kind, place in scopes]

    def draw_one_news(self, kind, place):
        rng = self.rng
        chain = []
        school = classroom = None
        if kind == "district":
            audience = weighted(rng, DISTRICT_AUDIENCES)
            scope_name = "la circonscription"
        elif kind == "school":
            school = place
            audience = weighted(rng, SCHOOL_AUDIENCES)
            chain = [self.schools[school]["audience"]]
            scope_name = "l'école"
        else:
            classroom = place
            school = self.classes[classroom]["school"]
            audience = weighted(rng, CLASS_AUDIENCES)
            chain = [
                self.schools[school]["audience"],
                self.classes[classroom]["audience"],
            ]
            scope_name = "la classe"
        targets = []
        if kind == "district" and rng.random() < TARGETED_SHARE:
            targets = rng.sample(
                range(self.size.schools), min(self.size.schools, rng.randint(1, 3))
            )
        title = rng.choice(NEWS_TITLES[kind]).format(
            topic=rng.choice(NEWS_TOPICS), place=rng.choice(PLACES)
        )
        date = self.today - datetime.timedelta(days=rng.randrange(YEARS * 365))
        published = datetime.datetime.combine(
            date,
            datetime.time(rng.randint(7, 19), rng.randrange(60)),
            tzinfo=datetime.UTC,
        )
        return {
            "title": capitalise(title),
            "slug_base": slugify(title)[:60].strip("-"),
            "translation_key": uuid.UUID(int=rng.getrandbits(128), version=4),
            "first_published_at": published,
            "last_published_at": published,
            "audience": audience,
            "date": date,
            "intro": rng.choice(INTROS).format(scope=scope_name),
            "body": rng.randrange(len(PARAGRAPHS)),
            "addressed_to": "",
            "acknowledgement_required": False,
            "tag_names": list(
                dict.fromkeys(
                    rng.sample(NEWS_TAGS, rng.choices([0, 1, 2], [3, 5, 2])[0])
                )
            ),
            "school": school,
            "classroom": classroom,
            "targets": targets,
            "effective": most_restrictive(audience, *chain),
        }

    # What each persona may see

    def personas(self):
        """One person of each kind, around the busiest class."""
        by_name = {person.username: person for person in self.people}
        return {
            "family": by_name["famille.00001"],
            "teacher": by_name["ens.0001"],
            "director": by_name["dir.001"],
            "team": by_name["equipe.01"],
        }

    def expected_visible(self, person):
        return sum(1 for news in self.news if sees(person, news))


class DistrictWriter:
    """Writes a drawn ``District`` under the site's indexes."""

    def __init__(self, district, school_index, news_index, batch_size):
        self.district = district
        self.school_index = school_index
        self.news_index = news_index
        self.batch_size = batch_size

    def write_places(self):
        """Schools and classes, one by one: each is provisioned as in the
        admin (groups, collections, workflow)."""
        self.school_pages = []
        for school in self.district.schools:
            self.school_pages.append(
                SchoolPageFactory(
                    parent=self.school_index,
                    title=school["title"],
                    slug=school["slug"],
                    uai=school["uai"],
                    kind=school["kind"],
                    city=school["city"],
                    postcode="45100",
                    audience=school["audience"],
                    presentation=f"<p>{school['title']} accueille les enfants de "
                    f"{school['city']}.</p>",
                )
            )
        self.class_pages = [
            ClassroomPageFactory(
                parent=self.school_pages[classroom["school"]],
                title=classroom["title"],
                slug=classroom["slug"],
                audience=classroom["audience"],
            )
            for classroom in self.district.classes
        ]
        # Levels written as such: setting them through the page saves it again.
        levels = dict(Level.objects.values_list("code", "pk"))
        Levels = ClassroomPage.levels.through
        Levels.objects.bulk_create(
            [
                Levels(classroompage_id=page.pk, level_id=levels[code])
                for page, classroom in zip(
                    self.class_pages, self.district.classes, strict=True
                )
                for code in classroom["codes"]
            ]
        )

    def write_people(self):
        """Accounts (one password hash for all), memberships, groups."""
        User = get_user_model()
        password = make_password(PASSWORD)
        people = self.district.people
        users = User.objects.bulk_create(
            [
                User(
                    username=person.username,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=f"{person.username}@ent-charge.example",
                    password=password,
                )
                for person in people
            ],
            batch_size=2000,
        )
        if any(user.pk is None for user in users):
            keys = dict(User.objects.values_list("username", "pk"))
            for user in users:
                user.pk = keys[user.username]
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    role=role,
                    school=self.school_pages[school],
                    classroom=self.class_pages[classroom]
                    if classroom is not None
                    else None,
                )
                for user, person in zip(users, people, strict=True)
                for role, school, classroom in person.memberships
            ],
            batch_size=5000,
        )
        team = district_team_group()
        for user, person in zip(users, people, strict=True):
            if person.team:
                user.groups.add(team)
            elif person.roles & {"director", "teacher"}:
                sync_user_groups(user)
        self.users = {user.username: user for user in users}

    def write_news(self, progress):
        """The news, grouped by the page they are published under."""
        district = self.district
        bodies = [
            NewsPage.body.field.to_python(
                [{"type": "paragraph", "value": f"<p>{text}</p>"}]
            )
            for text in PARAGRAPHS
        ]
        by_parent = {}
        for news in district.news:
            if news["classroom"] is not None:
                parent = self.class_pages[news["classroom"]]
            elif news["school"] is not None:
                parent = self.school_pages[news["school"]]
            else:
                parent = self.news_index
            by_parent.setdefault(parent.pk, (parent, []))[1].append(news)
        writer = PageWriter(NewsPage, NewsPageTag, tag_pool(NEWS_TAGS))
        done = 0
        for parent, specs in by_parent.values():
            parent.refresh_from_db()
            for batch in chunks(specs, self.batch_size):
                rows = [{**spec, "body": bodies[spec["body"]]} for spec in batch]
                pages = writer.add(parent, rows)
                for page, spec in zip(pages, batch, strict=True):
                    spec["pk"] = page.pk
                done += len(batch)
                progress(done)
        self.write_targets()

    def write_read_marks(self):
        """Families have read about half of the news of their classes."""
        from inbox.models import ReadMark

        by_class = {}
        for news in self.district.news:
            if news["classroom"] is not None:
                by_class.setdefault(news["classroom"], []).append(news)
        rng = self.district.rng
        marks = [
            ReadMark(user_id=self.users[person.username].pk, page_id=news["pk"])
            for person in self.district.people
            for classroom in sorted(person.classes("family"))
            for news in by_class.get(classroom, ())
            if rng.random() < READ_SHARE and sees(person, news)
        ]
        ReadMark.objects.bulk_create(marks, batch_size=10_000)
        return len(marks)

    def write_targets(self):
        Targets = NewsPage.target_schools.through
        targeted = [news for news in self.district.news if news["targets"]]
        Targets.objects.bulk_create(
            [
                Targets(
                    newspage_id=news["pk"], schoolpage_id=self.school_pages[school].pk
                )
                for news in targeted
                for school in news["targets"]
            ]
        )
        PageTarget.objects.bulk_create(
            [
                PageTarget(
                    page_id=news["pk"],
                    school_key=self.school_pages[school].translation_key,
                )
                for news in targeted
                for school in news["targets"]
            ]
        )
