"""Fill the library with many generated resources, to measure it at scale.

``python manage.py seed_scale --resources 50000 [--seed N]`` adds resources
to the live library of the default site, as if the district's teachers had
shared them for years: French titles and summaries, levels of one cycle,
subjects of that cycle, licences, audiences, authors, dates and tags.

The pages are written in bulk, a batch at a time, rather than one
``add_child`` each: the tree paths are computed here (continuing after the
library's last child), the ``wagtailcore_page`` rows are bulk-created, then
the resources' own rows, their levels, tags and references. Effective
audiences are then computed once for the whole library and the resources are
indexed for search in chunks. Running it again adds more resources.

The output only depends on the seed and on the library's state: the seed is
mixed with the first free position under the library, so that a second run
adds different resources (with new translation keys) instead of repeating
the first one.
"""

import datetime
import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from taggit.models import Tag

from accounts.models import ScopeGroup
from home.audience import Audience, refresh_audiences
from home.models import PageAudience
from resources.models import (
    Kind,
    Licence,
    ResourceIndexPage,
    ResourcePage,
    ResourcePageTag,
    Subject,
)
from schools.models import Level

LevelLink = ResourcePage.levels.through

SHARED_DOCUMENT_TITLE = "Fiche d'exemple de la bibliothèque (jeu de charge)"
YEARS = 3

# Topics by subject slug (the subjects of migration 0003); any other subject
# takes the generic topics.
TOPICS = {
    "mobiliser-le-langage-dans-toutes-ses-dimensions": [
        "phonologie",
        "langage oral",
        "comptines et jeux de doigts",
        "albums de jeunesse",
        "découverte de l'écrit",
        "graphisme",
        "vocabulaire",
    ],
    "agir-sexprimer-comprendre-a-travers-lactivite-physique": [
        "motricité",
        "jeux collectifs",
        "parcours d'équilibre",
        "danses et rondes",
        "jeux d'opposition",
    ],
    "agir-sexprimer-comprendre-a-travers-les-activites-artistiques": [
        "arts visuels",
        "chant et comptines",
        "peinture",
        "modelage",
        "écoute musicale",
    ],
    "acquerir-les-premiers-outils-mathematiques": [
        "numération jusqu'à dix",
        "formes et grandeurs",
        "suites organisées",
        "dénombrement",
        "jeux de nombres",
        "repérage dans l'espace",
    ],
    "explorer-le-monde": [
        "le vivant",
        "les saisons",
        "la matière",
        "le temps qui passe",
        "objets techniques",
        "le corps humain",
    ],
    "francais": [
        "lecture",
        "compréhension de texte",
        "fluence",
        "orthographe",
        "grammaire",
        "conjugaison",
        "production d'écrits",
        "vocabulaire",
        "poésie",
        "dictée",
        "littérature de jeunesse",
    ],
    "mathematiques": [
        "géométrie",
        "géométrie",
        "numération",
        "calcul mental",
        "les fractions",
        "résolution de problèmes",
        "grandeurs et mesures",
        "les nombres décimaux",
        "la proportionnalité",
        "les solides",
        "périmètre et aire",
        "la symétrie",
        "la division",
    ],
    "langues-vivantes": [
        "anglais",
        "allemand",
        "espagnol",
        "comptines en anglais",
        "rituels en anglais",
        "culture anglophone",
    ],
    "questionner-le-monde": [
        "le vivant",
        "la matière",
        "se repérer dans le temps",
        "se repérer dans l'espace",
        "les objets techniques",
        "l'électricité",
        "l'eau dans tous ses états",
    ],
    "sciences-et-technologie": [
        "le cycle de l'eau",
        "l'alimentation",
        "la classification du vivant",
        "les énergies",
        "le système solaire",
        "la programmation",
        "mélanges et solutions",
        "la biodiversité",
    ],
    "histoire-et-geographie": [
        "la Préhistoire",
        "le Moyen Âge",
        "la Révolution française",
        "la Première Guerre mondiale",
        "se déplacer",
        "habiter une ville",
        "la géographie de la France",
        "les Gaulois",
        "les grandes découvertes",
    ],
    "arts-plastiques": [
        "la couleur",
        "le collage",
        "le portrait",
        "l'art contemporain",
        "la sculpture",
        "le land art",
    ],
    "education-musicale": [
        "chant choral",
        "rythmes et percussions",
        "écoute d'œuvres",
        "instruments du monde",
        "la chorale d'école",
    ],
    "histoire-des-arts": [
        "le musée des Beaux-Arts",
        "l'architecture romane",
        "les châteaux de la Loire",
        "l'impressionnisme",
        "la peinture de paysage",
    ],
    "education-physique-et-sportive": [
        "course d'orientation",
        "natation",
        "athlétisme",
        "jeux collectifs",
        "danse",
        "vélo",
        "jeux de raquettes",
    ],
    "enseignement-moral-et-civique": [
        "le conseil d'élèves",
        "les émotions",
        "le harcèlement",
        "la laïcité",
        "les symboles de la République",
        "l'égalité filles-garçons",
        "le débat réglé",
    ],
}
GENERIC_TOPICS = ["projet de classe", "travail en autonomie", "sortie scolaire"]

FORMATS = {
    Kind.DOCUMENT: [
        "Séquence",
        "Fiche d'exercices",
        "Fiches élèves",
        "Évaluation",
        "Progression",
        "Affichages",
        "Guide de l'enseignant",
        "Jeu de cartes",
        "Rallye",
    ],
    Kind.LINK: [
        "Outil en ligne",
        "Site ressource",
        "Jeu en ligne",
        "Banque d'exercices",
        "Application",
    ],
    Kind.VIDEO: [
        "Capsule vidéo",
        "Tutoriel vidéo",
        "Reportage",
        "Leçon filmée",
        "Chanson animée",
    ],
}

ACTIVITIES = [
    "découverte",
    "entraînement",
    "jeux et défis",
    "séquence complète",
    "évaluation de fin de période",
    "ateliers autonomes",
    "rituels quotidiens",
    "trace écrite",
    "travail en binômes",
    "différenciation",
    "progression sur l'année",
    "mise en situation",
    "exercices corrigés",
    "reproduire des figures",
    "approfondissement",
    "pour commencer",
]

SENTENCES = [
    "Elle s'organise en {sessions} séances de {minutes} minutes.",
    "Les consignes sont rédigées pour être lues seul ou en petit groupe.",
    "Une version différenciée est proposée pour les élèves à besoins particuliers.",
    "Prévoir {material}.",
    "Testée dans {classes} classes de la circonscription.",
    "Les corrigés et une grille d'évaluation sont fournis.",
    "À projeter au tableau numérique ou à imprimer.",
    "Idéale en début d'année pour installer des habitudes de travail.",
    "Les élèves gardent une trace dans leur cahier de réussites.",
    "Un temps de mise en commun clôt chaque séance.",
]
MATERIALS = [
    "des ardoises et des feutres",
    "une équerre et un compas par élève",
    "des étiquettes plastifiées",
    "un vidéoprojecteur",
    "des tablettes pour les ateliers",
    "des dés et des jetons",
    "le cahier de sciences",
    "des albums de la bibliothèque de classe",
]

FIRST_NAMES = [
    "Claire",
    "Julien",
    "Isabelle",
    "Paul",
    "Sophie",
    "Nathalie",
    "Thomas",
    "Camille",
    "Hélène",
    "Nicolas",
    "Aurélie",
    "Mathieu",
    "Céline",
    "Stéphane",
    "Émilie",
    "François",
    "Léa",
    "Jérôme",
    "Valérie",
    "Benoît",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Lefèvre",
    "Girard",
    "Roux",
    "Fournier",
    "Chevalier",
    "Mercier",
    "Blanc",
    "Guérin",
    "Perrin",
    "Robin",
    "Gauthier",
    "Lemaître",
    "Faure",
    "Rousseau",
    "Nguyen",
    "Petit",
    "Bonnet",
    "Boyer",
    "Garnier",
    "Fabre",
]
BODIES = [
    "Équipe de circonscription Val-de-Loire Nord",
    "Réseau Canopé",
    "Eduscol",
    "Groupe départemental mathématiques",
    "Conseillère pédagogique EPS",
    "Mission maîtrise de la langue",
]
SOURCES = [
    "Eduscol",
    "Réseau Canopé",
    "Site de la circonscription",
    "Blog de classe",
    "Lumni",
    "Prim à bord",
    "Animation pédagogique du mercredi",
]
LINK_SITES = [
    "https://eduscol.education.gouv.fr/{number}/{slug}",
    "https://www.reseau-canope.fr/notice/{slug}.html",
    "https://primabord.eduscol.education.gouv.fr/{slug}",
    "https://www.lumni.fr/primaire/{slug}",
    "https://digipad.app/p/{number}/{slug}",
    "https://lessonapps.fr/{slug}-{number}",
]

# The pool of tags, by theme; a resource takes most of its tags from the
# themes of its subject.
TAG_GROUPS = {
    "mathematics": [
        "géométrie", "numération", "calcul mental", "fractions", "décimaux",
        "problèmes", "mesures", "proportionnalité", "solides", "symétrie",
        "division", "multiplication", "tables", "monnaie", "heure",
        "périmètre", "aire", "angles", "droites parallèles",
        "programmes de construction", "jeux mathématiques", "manipulation",
        "dénombrement", "quantités", "algorithmes",
    ],
    "french": [
        "lecture", "compréhension", "fluence", "phonologie", "orthographe",
        "grammaire", "conjugaison", "vocabulaire", "écriture",
        "production d'écrits", "dictée", "poésie", "théâtre", "littérature",
        "albums", "contes", "fables", "rallye lecture", "langage oral",
        "lecture à voix haute", "graphisme", "étude de la langue", "syllabes",
        "alphabet",
    ],
    "languages": [
        "anglais", "allemand", "espagnol", "comptines", "chansons", "rituels",
        "culture anglophone",
    ],
    "sciences": [
        "sciences", "vivant", "animaux", "végétaux", "papillon", "jardinage",
        "cycle de l'eau", "matière", "électricité", "énergie", "astronomie",
        "système solaire", "corps humain", "alimentation", "santé", "hygiène",
        "biodiversité", "développement durable", "tri des déchets", "climat",
        "technologie", "robotique", "programmation", "Scratch", "numérique",
        "internet responsable",
    ],
    "history": [
        "histoire", "géographie", "Préhistoire", "Antiquité", "Gaulois",
        "Moyen Âge", "châteaux", "Renaissance", "Révolution française",
        "Grande Guerre", "frise chronologique", "cartes", "paysages", "ville",
        "patrimoine", "Loire", "Europe",
    ],
    "arts": [
        "arts plastiques", "peinture", "collage", "portrait", "land art",
        "sculpture", "musique", "chant", "chorale", "rythmes", "percussions",
        "écoute musicale", "danse", "histoire des arts", "musée", "cinéma",
        "photographie", "impressionnisme",
    ],
    "sport": [
        "EPS", "motricité", "jeux collectifs", "course d'orientation",
        "natation", "athlétisme", "vélo", "jeux d'opposition", "parcours",
        "relaxation",
    ],
    "citizenship": [
        "EMC", "conseil d'élèves", "émotions", "harcèlement", "laïcité",
        "citoyenneté", "égalité filles-garçons", "débat", "coopération",
        "règles de vie", "tutorat",
    ],
    "practice": [
        "différenciation", "évaluation", "autonomie", "ateliers",
        "plan de travail", "jeux", "défis", "projet", "sortie",
        "classe dehors", "liaison école-collège", "liaison GS-CP",
        "maternelle", "élémentaire", "cycle 1", "cycle 2", "cycle 3",
        "inclusion", "TBI", "tablettes", "carte mentale", "trace écrite",
        "affichage", "rentrée", "fin d'année",
    ],
}  # fmt: skip
TAGS = [name for names in TAG_GROUPS.values() for name in names]
SUBJECT_TAG_GROUPS = {
    "mobiliser-le-langage-dans-toutes-ses-dimensions": ["french"],
    "agir-sexprimer-comprendre-a-travers-lactivite-physique": ["sport"],
    "agir-sexprimer-comprendre-a-travers-les-activites-artistiques": ["arts"],
    "acquerir-les-premiers-outils-mathematiques": ["mathematics"],
    "explorer-le-monde": ["sciences"],
    "francais": ["french"],
    "mathematiques": ["mathematics"],
    "langues-vivantes": ["languages"],
    "questionner-le-monde": ["sciences", "history"],
    "sciences-et-technologie": ["sciences"],
    "histoire-et-geographie": ["history"],
    "arts-plastiques": ["arts"],
    "education-musicale": ["arts"],
    "histoire-des-arts": ["arts", "history"],
    "education-physique-et-sportive": ["sport"],
    "enseignement-moral-et-civique": ["citizenship"],
}

KIND_WEIGHTS = {Kind.DOCUMENT: 35, Kind.LINK: 40, Kind.VIDEO: 25}
FREE_LICENCES = {
    Licence.CC_BY: 30,
    Licence.CC_BY_SA: 25,
    Licence.CC_BY_NC: 15,
    Licence.CC_BY_NC_SA: 20,
    Licence.CC0: 10,
}
STAFF_LICENCES = {**FREE_LICENCES, Licence.ALL_RIGHTS_RESERVED: 35}
PUBLIC_SHARE = 0.6
CYCLE_WEIGHTS = {1: 25, 2: 40, 3: 35}


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def capitalise(text):
    return text[:1].upper() + text[1:]


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model, rows):
    """Insert the rows of ``model``'s own table (dicts by attribute name).

    Django's ``bulk_create`` refuses a multi-table child such as a page type;
    its own table is written here with one ``executemany``, the values
    prepared by each field as ``save`` would."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    # Table and column names come from the model, never from input.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    params = [
        [field.get_db_prep_save(row[field.attname], connection) for field in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class Generator:
    """Draws the resources, deterministically from its random generator."""

    def __init__(self, rng, subjects, levels, document):
        self.rng = rng
        self.document = document
        self.levels_by_cycle = {}
        for level in levels:
            self.levels_by_cycle.setdefault(level.cycle, []).append(level)
        self.cycle_weights = {
            cycle: CYCLE_WEIGHTS.get(cycle, 20) for cycle in self.levels_by_cycle
        }
        self.subjects_by_cycle = {
            cycle: [
                subject
                for subject in subjects
                if str(cycle) in subject.cycles.replace(" ", "").split(",")
            ]
            or subjects
            for cycle in self.levels_by_cycle
        }
        self.today = datetime.date.today()

    def author(self):
        rng = self.rng
        if rng.random() < 0.15:
            return rng.choice(BODIES)
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def title(self, kind, topic, cycle, levels):
        rng = self.rng
        level = rng.choice(levels).code
        pattern = rng.randrange(7)
        if pattern == 0:
            return f"{capitalise(topic)} au cycle {cycle}"
        if pattern == 1:
            return f"{capitalise(topic)} au cycle {cycle} : {rng.choice(ACTIVITIES)}"
        if pattern == 2:
            return f"{rng.choice(FORMATS[kind])} : {topic} en {level}"
        if pattern == 3:
            return f"{capitalise(topic)} en {level} : {rng.choice(ACTIVITIES)}"
        if pattern == 4:
            codes = "-".join(level.code for level in levels)
            return f"{rng.choice(FORMATS[kind])} – {topic} ({codes})"
        if pattern == 5:
            return f"{rng.choice(FORMATS[kind])} : {topic}, {rng.choice(ACTIVITIES)}"
        return f"{capitalise(topic)} : {rng.choice(ACTIVITIES)}"

    def summary(self, kind, topic, levels):
        rng = self.rng
        codes = ", ".join(level.code for level in levels)
        sentences = [
            f"{rng.choice(FORMATS[kind])} sur le thème « {topic} », pour des "
            f"élèves de {codes}."
        ]
        for sentence in rng.sample(SENTENCES, rng.randint(1, 3)):
            sentences.append(
                sentence.format(
                    sessions=rng.randint(2, 8),
                    minutes=rng.choice([20, 30, 45, 50]),
                    material=rng.choice(MATERIALS),
                    classes=rng.randint(2, 12),
                )
            )
        return " ".join(sentences)[:600]

    def tag_names(self, subject):
        """0 to 3 tags, most of them from the themes of the subject."""
        rng = self.rng
        themed = [
            name
            for group in SUBJECT_TAG_GROUPS.get(subject.slug, [])
            for name in TAG_GROUPS[group]
        ]
        names = []
        for _number in range(rng.choices([0, 1, 2, 3], [15, 30, 35, 20])[0]):
            pool = themed if themed and rng.random() < 0.75 else TAGS
            names.append(rng.choice(pool))
        return list(dict.fromkeys(names))

    def resource(self):
        rng = self.rng
        cycle = weighted(rng, self.cycle_weights)
        cycle_levels = self.levels_by_cycle[cycle]
        size = min(len(cycle_levels), rng.choices([1, 2, 3], weights=[50, 35, 15])[0])
        start = rng.randrange(len(cycle_levels) - size + 1)
        levels = cycle_levels[start : start + size]
        subject = rng.choice(self.subjects_by_cycle[cycle])
        topic = rng.choice(TOPICS.get(subject.slug, GENERIC_TOPICS))
        kind = weighted(rng, KIND_WEIGHTS)
        audience = Audience.PUBLIC if rng.random() < PUBLIC_SHARE else Audience.STAFF
        licence = weighted(
            rng, FREE_LICENCES if audience == Audience.PUBLIC else STAFF_LICENCES
        )
        title = self.title(kind, topic, cycle, levels)
        date = self.today - datetime.timedelta(days=rng.randrange(YEARS * 365))
        published = datetime.datetime.combine(
            date,
            datetime.time(rng.randint(7, 19), rng.randrange(60), rng.randrange(60)),
            tzinfo=datetime.UTC,
        )
        edited = published
        if rng.random() < 0.2:
            edited += datetime.timedelta(days=rng.randint(1, 60))
        slug = slugify(title)[:70].strip("-")
        return {
            "title": title,
            "slug_base": slug,
            "translation_key": uuid.UUID(int=rng.getrandbits(128), version=4),
            "first_published_at": published,
            "last_published_at": min(edited, datetime.datetime.now(datetime.UTC)),
            "audience": audience,
            "date": date,
            "summary": self.summary(kind, topic, levels),
            "kind": kind,
            "document_id": self.document.pk if kind == Kind.DOCUMENT else None,
            "link": (
                rng.choice(LINK_SITES).format(
                    number=rng.randint(1000, 999999), slug=slug
                )
                if kind == Kind.LINK
                else ""
            ),
            "video_url": (
                f"https://vimeo.com/{rng.randint(10_000_000, 999_999_999)}"
                if kind == Kind.VIDEO
                else ""
            ),
            "subject_id": subject.pk,
            "licence": licence,
            "author": self.author(),
            "source": rng.choice(SOURCES) if rng.random() < 0.45 else "",
            "level_ids": [level.pk for level in levels],
            "tag_names": self.tag_names(subject),
        }


class Command(BaseCommand):
    help = (
        "Add many generated resources to the library, in bulk, to measure it at scale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--resources", type=int, default=1000, help="How many to add."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Seed of the random generator."
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Pages written at a time."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Check the page tree afterwards (slow: one query per page).",
        )

    def handle(self, *args, resources, seed, batch_size, check, **options):
        if resources < 1 or batch_size < 1:
            raise CommandError(
                _("Give a number of resources and a batch size above 0.")
            )
        index = self.library()
        subjects = list(Subject.objects.all())
        levels = list(Level.objects.order_by("position"))
        if not subjects or not levels:
            raise CommandError(
                _("There are no subjects or no levels: run the migrations first.")
            )
        self.content_types = {
            model: ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in (Page, ResourcePage, Subject, Tag, get_document_model())
        }
        started = time.monotonic()
        first_step = self.last_step(index) + 1
        # The seed alone on an empty library; a later run continues elsewhere.
        rng = random.Random(f"{seed}:{first_step}")  # noqa: S311 (not security)
        generator = Generator(rng, subjects, levels, self.shared_document(index))

        self.stdout.write(
            _("Adding %(count)s resources to the library « %(library)s »…")
            % {"count": resources, "library": index.title}
        )
        created = self.write(index, generator, resources, batch_size, started)
        written = time.monotonic()
        self.stdout.write(
            _("Pages written in %(seconds).1f s (%(rate)d pages per second)")
            % {
                "seconds": written - started,
                "rate": len(created) / (written - started),
            }
        )

        refresh_audiences(index)
        audiences = time.monotonic()
        self.stdout.write(
            _("Audiences computed in %(seconds).1f s")
            % {"seconds": audiences - written}
        )

        self.index_for_search(created, batch_size)
        indexed = time.monotonic()
        self.stdout.write(
            _("Search index updated in %(seconds).1f s (%(rate)d pages per second)")
            % {
                "seconds": indexed - audiences,
                "rate": len(created) / (indexed - audiences),
            }
        )

        self.analyse()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(count)s resources in %(seconds).1f s "
                    "(%(rate)d pages per second); the library now has %(total)s."
                )
                % {
                    "count": len(created),
                    "seconds": seconds,
                    "rate": len(created) / seconds,
                    "total": ResourcePage.objects.child_of(index).count(),
                }
            )
        )
        if check:
            self.check_tree(index)

    def write(self, index, generator, resources, batch_size, started):
        """Write the pages a batch at a time; returns their keys."""
        tags = self.tags()
        taken_slugs = set(
            Page.objects.filter(
                path__startswith=index.path, depth=index.depth + 1
            ).values_list("slug", flat=True)
        )
        created = []
        for start in range(0, resources, batch_size):
            specs = [
                generator.resource()
                for _number in range(min(batch_size, resources - start))
            ]
            created += self.write_batch(index, specs, tags, taken_slugs)
            # With DEBUG on, Django keeps every statement: bulk ones are big.
            reset_queries()
            self.stdout.write(
                "  "
                + _("%(done)s / %(total)s pages written (%(rate)d pages per second)")
                % {
                    "done": len(created),
                    "total": resources,
                    "rate": len(created) / (time.monotonic() - started),
                }
            )
        return created

    def index_for_search(self, created, batch_size):
        backend = get_search_backend()
        done = 0
        for chunk in chunks(created, batch_size):
            backend.add_bulk(
                ResourcePage,
                list(
                    ResourcePage.objects.filter(pk__in=chunk)
                    .select_related("subject")
                    .prefetch_related("tags")
                ),
            )
            done += len(chunk)
            reset_queries()
            self.stdout.write(
                "  "
                + _("%(done)s / %(total)s resources indexed for search")
                % {"done": done, "total": len(created)}
            )

    # Setting up

    def library(self):
        site = (
            Site.objects.filter(is_default_site=True)
            .select_related("root_page")
            .first()
        )
        index = (
            ResourceIndexPage.objects.child_of(site.root_page).live().first()
            if site
            else None
        )
        if index is None:
            raise CommandError(
                _(
                    "There is no live resource library under the site's home "
                    "page: create it (or run seed_demo) first."
                )
            )
        return index

    def last_step(self, index):
        last = (
            Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Page._str2int(last[-Page.steplen :]) if last else 0

    def shared_document(self, index):
        """One small document in the library's collection, shared by every
        generated resource of the document kind."""
        scope = ScopeGroup.objects.filter(
            page=index, role=ScopeGroup.Role.LIBRARY
        ).first()
        if scope is None or scope.collection is None:
            raise CommandError(
                _("The library has no collection of its own: save it once first.")
            )
        Document = get_document_model()
        document = Document.objects.filter(
            title=SHARED_DOCUMENT_TITLE, collection=scope.collection
        ).first()
        if document is None:
            from tests.factories import DocumentFactory

            document = DocumentFactory(
                title=SHARED_DOCUMENT_TITLE, collection=scope.collection
            )
        return document

    def tags(self):
        """The pool of tags, by name: existing tags are reused (names are
        case-insensitive), missing ones created with unique slugs."""
        existing = {tag.name.lower(): tag for tag in Tag.objects.all()}
        slugs = {tag.slug for tag in existing.values()}
        missing = []
        for name in dict.fromkeys(TAGS):
            if name.lower() in existing:
                continue
            tag = Tag(name=name)
            slug, number = tag.slugify(name), 1
            while slug in slugs:
                slug, number = tag.slugify(name, number), number + 1
            tag.slug = slug
            slugs.add(slug)
            missing.append(tag)
            existing[name.lower()] = tag
        Tag.objects.bulk_create(missing)
        if any(tag.pk is None for tag in missing):
            # Databases that do not return the new keys.
            keys = dict(
                Tag.objects.filter(slug__in=[tag.slug for tag in missing]).values_list(
                    "slug", "pk"
                )
            )
            for tag in missing:
                tag.pk = keys[tag.slug]
        return {name: existing[name.lower()].pk for name in TAGS}

    # Writing

    def write_batch(self, index, specs, tags, taken_slugs):
        """Write one batch of resources in one transaction; the tree stays
        valid between batches. Returns the new pages' keys."""
        depth = index.depth + 1
        page_type = self.content_types[ResourcePage].pk
        with transaction.atomic():
            # Other pages may have been added to the library meanwhile.
            Page.objects.select_for_update().filter(pk=index.pk).first()
            step = self.last_step(index)
            pages = []
            for spec in specs:
                step += 1
                slug = f"{spec['slug_base']}-{step}"
                while slug in taken_slugs:
                    slug += "-bis"
                taken_slugs.add(slug)
                pages.append(
                    Page(
                        path=Page._get_path(index.path, depth, step),
                        depth=depth,
                        numchild=0,
                        title=spec["title"],
                        draft_title=spec["title"],
                        slug=slug,
                        url_path=f"{index.url_path}{slug}/",
                        content_type_id=page_type,
                        locale_id=index.locale_id,
                        translation_key=spec["translation_key"],
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=spec["first_published_at"],
                        last_published_at=spec["last_published_at"],
                        show_in_menus=False,
                    )
                )
            Page.objects.bulk_create(pages)
            if any(page.pk is None for page in pages):
                keys = dict(
                    Page.objects.filter(
                        path__in=[page.path for page in pages]
                    ).values_list("path", "pk")
                )
                for page in pages:
                    page.pk = keys[page.path]

            own_fields = [
                field.attname
                for field in ResourcePage._meta.local_concrete_fields
                if field.attname != "page_ptr_id"
            ]
            insert_rows(
                ResourcePage,
                [
                    {
                        "page_ptr_id": page.pk,
                        **{name: spec[name] for name in own_fields},
                    }
                    for page, spec in zip(pages, specs, strict=True)
                ],
            )
            LevelLink.objects.bulk_create(
                [
                    LevelLink(resourcepage_id=page.pk, level_id=level_id)
                    for page, spec in zip(pages, specs, strict=True)
                    for level_id in spec["level_ids"]
                ]
            )
            tagged = ResourcePageTag.objects.bulk_create(
                [
                    ResourcePageTag(content_object_id=page.pk, tag_id=tags[name])
                    for page, spec in zip(pages, specs, strict=True)
                    for name in spec["tag_names"]
                ]
            )
            if any(item.pk is None for item in tagged):
                tagged = list(
                    ResourcePageTag.objects.filter(
                        content_object_id__in=[page.pk for page in pages]
                    )
                )
            self.write_references(pages, specs, tagged)
            Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
        return [page.pk for page in pages]

    def write_references(self, pages, specs, tagged):
        """What ``ReferenceIndex`` records when a resource is saved: its
        subject, its document and its tags. Documents are downloadable by
        whoever may see a page that uses them, read from this index."""
        types = self.content_types

        def reference(page_id, target, target_id, model_path, content_path):
            return ReferenceIndex(
                content_type_id=types[ResourcePage].pk,
                base_content_type_id=types[Page].pk,
                object_id=str(page_id),
                to_content_type_id=types[target].pk,
                to_object_id=str(target_id),
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )

        rows = []
        for page, spec in zip(pages, specs, strict=True):
            rows.append(
                reference(page.pk, Subject, spec["subject_id"], "subject", "subject")
            )
            if spec["document_id"]:
                rows.append(
                    reference(
                        page.pk,
                        get_document_model(),
                        spec["document_id"],
                        "document",
                        "document",
                    )
                )
        for item in tagged:
            rows.append(
                reference(
                    item.content_object_id,
                    Tag,
                    item.tag_id,
                    "tagged_items.item.tag",
                    f"tagged_items.{item.pk}.tag",
                )
            )
        ReferenceIndex.objects.bulk_create(rows, batch_size=5000)

    def analyse(self):
        """Refresh the planner's statistics of the tables just filled, as
        autovacuum would a little later: measurements taken right after a
        bulk load otherwise see plans made for a small library."""
        models = [
            Page,
            ResourcePage,
            LevelLink,
            ResourcePageTag,
            Tag,
            ReferenceIndex,
            PageAudience,
            IndexEntry,
        ]
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table) for model in models
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Inside a transaction (tests) VACUUM cannot run.
                cursor.execute(f"ANALYZE {tables}")
            elif connection.vendor == "postgresql":
                # Also marks the pages all-visible, for index-only scans.
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
            elif connection.vendor == "sqlite":
                cursor.execute("ANALYZE")

    def check_tree(self, index):
        problems = Page.find_problems(index)
        if any(problems):
            raise CommandError(
                _("The page tree has problems: %(problems)s") % {"problems": problems}
            )
        self.stdout.write(self.style.SUCCESS(_("The page tree has no problems.")))
