"""The library's generated resources, as the district's teachers would have
shared them for years: French titles and summaries, levels of one cycle,
subjects of that cycle, licences, audiences, authors, dates and tags."""

import datetime
import uuid

from django.utils.text import slugify

from wagtail.documents import get_document_model

from accounts.models import ScopeGroup
from resources.models import Kind, Licence, ResourcePage, ResourcePageTag, Subject
from scale.bulk import PageWriter, capitalise, tag_pool, weighted
from schools.models import Level
from visibility.audience import Audience

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


def shared_document(index):
    """One small document in the library's collection, shared by every
    generated resource of the document kind."""
    from tests.factories import DocumentFactory

    scope = ScopeGroup.objects.get(page=index, role=ScopeGroup.Role.LIBRARY)
    document = (
        get_document_model()
        .objects.filter(title=SHARED_DOCUMENT_TITLE, collection=scope.collection)
        .first()
    )
    return document or DocumentFactory(
        title=SHARED_DOCUMENT_TITLE, collection=scope.collection
    )


class ResourceWriter:
    """Draws resources and writes them under the library, a batch at a time."""

    def __init__(self, index, rng):
        self.index = index
        self.generator = Generator(
            rng,
            list(Subject.objects.all()),
            list(Level.objects.order_by("position")),
            shared_document(index),
        )
        self.writer = PageWriter(ResourcePage, ResourcePageTag, tag_pool(TAGS))

    def add(self, count):
        """Add ``count`` resources; returns their specs, with their keys."""
        specs = [self.generator.resource() for _number in range(count)]
        pages = self.writer.add(self.index, specs)
        LevelLink.objects.bulk_create(
            [
                LevelLink(resourcepage_id=page.pk, level_id=level_id)
                for page, spec in zip(pages, specs, strict=True)
                for level_id in spec["level_ids"]
            ]
        )
        references = []
        for page, spec in zip(pages, specs, strict=True):
            spec["pk"] = page.pk
            references.append(
                (page.pk, Subject, spec["subject_id"], "subject", "subject")
            )
            if spec["document_id"]:
                references.append(
                    (
                        page.pk,
                        get_document_model(),
                        spec["document_id"],
                        "document",
                        "document",
                    )
                )
        self.writer.write_references(references)
        return specs
