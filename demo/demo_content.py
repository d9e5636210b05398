"""The demo district's content: fictional schools, classes, people and news."""

from schools.models import SchoolPage
from visibility.audience import Audience

DEMO_PASSWORD = "ent-demo-2026"  # noqa: S105
PUBLIC, COMMUNITY, STAFF, DIRECTORS = (
    Audience.PUBLIC,
    Audience.COMMUNITY,
    Audience.STAFF,
    Audience.DIRECTORS,
)

SCHOOLS = [
    {
        "slug": "jules-ferry",
        "title": "École élémentaire Jules-Ferry",
        "uai": "0451001J",
        "kind": SchoolPage.Kind.ELEMENTARY,
        "street_address": "12 rue des Écoles",
        "postcode": "45100",
        "city": "Saint-Aubin-sur-Loire",
        "director_name": "M. Lefèvre",
        "classes": [
            ("cp-moreau", "CP de Mme Moreau", ["CP"], COMMUNITY),
            ("ce1-garnier", "CE1 de M. Garnier", ["CE1"], COMMUNITY),
            ("ce2-cm1-roux", "CE2-CM1 de Mme Roux", ["CE2", "CM1"], COMMUNITY),
            ("cm2-lefevre", "CM2 de M. Lefèvre", ["CM2"], PUBLIC),
        ],
    },
    {
        "slug": "les-coquelicots",
        "title": "École maternelle Les Coquelicots",
        "uai": "0451002K",
        "kind": SchoolPage.Kind.NURSERY,
        "street_address": "3 allée des Tilleuls",
        "postcode": "45100",
        "city": "Saint-Aubin-sur-Loire",
        "director_name": "Mme Chevalier",
        "classes": [
            ("ps-ms-chevalier", "PS-MS de Mme Chevalier", ["PS", "MS"], COMMUNITY),
            ("ms-gs-benoit", "MS-GS de Mme Benoît", ["MS", "GS"], COMMUNITY),
            ("gs-perrin", "GS de M. Perrin", ["GS"], COMMUNITY),
        ],
    },
    {
        "slug": "marie-curie",
        "title": "École primaire Marie-Curie",
        "uai": "0451003L",
        "kind": SchoolPage.Kind.PRIMARY,
        "street_address": "8 place de la Mairie",
        "postcode": "45150",
        "city": "Vernay-le-Bois",
        "director_name": "Mme Masson",
        "classes": [
            ("ps-gs-masson", "PS-GS de Mme Masson", ["PS", "MS", "GS"], COMMUNITY),
            ("cp-ce1-faure", "CP-CE1 de Mme Faure", ["CP", "CE1"], COMMUNITY),
            ("ce2-cm2-blanc", "CE2-CM2 de M. Blanc", ["CE2", "CM1", "CM2"], COMMUNITY),
        ],
    },
    {
        "slug": "jean-de-la-fontaine",
        "title": "École élémentaire Jean-de-La-Fontaine",
        "uai": "0451004M",
        "kind": SchoolPage.Kind.ELEMENTARY,
        "street_address": "27 avenue des Acacias",
        "postcode": "45160",
        "city": "Mardié-les-Prés",
        "director_name": "M. Gauthier",
        "classes": [
            ("cp-ce1-gauthier", "CP-CE1 de M. Gauthier", ["CP", "CE1"], COMMUNITY),
            ("ce2-cm1-lambert", "CE2-CM1 de Mme Lambert", ["CE2", "CM1"], COMMUNITY),
            ("cm1-cm2-fabre", "CM1-CM2 de Mme Fabre", ["CM1", "CM2"], COMMUNITY),
        ],
    },
]

# (username, first name, last name, team?, [(role, school slug, class slug)])
USERS = [
    ("admin", "Alex", "Administrateur", True, []),
    ("ien.dubois", "Claire", "Dubois", True, []),
    ("cpc.marchand", "Julien", "Marchand", True, []),
    (
        "dir.lefevre",
        "Paul",
        "Lefèvre",
        False,
        [
            ("director", "jules-ferry", None),
            ("teacher", "jules-ferry", "cm2-lefevre"),
        ],
    ),
    (
        "dir.chevalier",
        "Sophie",
        "Chevalier",
        False,
        [
            ("director", "les-coquelicots", None),
            ("teacher", "les-coquelicots", "ps-ms-chevalier"),
        ],
    ),
    (
        "ens.moreau",
        "Isabelle",
        "Moreau",
        False,
        [("teacher", "jules-ferry", "cp-moreau")],
    ),
    (
        "ens.garnier",
        "Thomas",
        "Garnier",
        False,
        [("teacher", "jules-ferry", "ce1-garnier")],
    ),
    (
        "ens.roux",
        "Nathalie",
        "Roux",
        False,
        [
            ("teacher", "jules-ferry", "ce2-cm1-roux"),
            ("teacher", "jules-ferry", "ce1-garnier"),
        ],
    ),
    (
        "ens.benoit",
        "Camille",
        "Benoît",
        False,
        [("teacher", "les-coquelicots", "ms-gs-benoit")],
    ),
    (
        "ens.blanc",
        "Hugo",
        "Blanc",
        False,
        [("teacher", "marie-curie", "ce2-cm2-blanc")],
    ),
    (
        "famille.martin",
        "Élodie",
        "Martin",
        False,
        [
            ("family", "jules-ferry", "cp-moreau"),
            ("family", "les-coquelicots", "ps-ms-chevalier"),
        ],
    ),
    (
        "famille.leroy",
        "Sandrine",
        "Leroy",
        False,
        [("family", "jules-ferry", "cp-moreau")],
    ),
    (
        "famille.bernard",
        "Karim",
        "Bernard",
        False,
        [("family", "jules-ferry", "ce1-garnier")],
    ),
    (
        "famille.petit",
        "Laura",
        "Petit",
        False,
        [("family", "les-coquelicots", "gs-perrin")],
    ),
    (
        "famille.nguyen",
        "Minh",
        "Nguyen",
        False,
        [("family", "marie-curie", "ce2-cm2-blanc")],
    ),
    # One family in each class that had none, so that every class can be
    # tried (famille.leroy stays out of the CM2: the "add a family" journey).
    *(
        (f"famille.{username}", first_name, last_name, False, [("family", *where)])
        for username, first_name, last_name, where in [
            ("dupuis", "Nadia", "Dupuis", ("jules-ferry", "ce2-cm1-roux")),
            ("caron", "Marc", "Caron", ("jules-ferry", "cm2-lefevre")),
            ("lopez", "Carla", "Lopez", ("les-coquelicots", "ms-gs-benoit")),
            ("diallo", "Aïssatou", "Diallo", ("marie-curie", "ps-gs-masson")),
            ("schmitt", "Olivier", "Schmitt", ("marie-curie", "cp-ce1-faure")),
            ("morel", "Julie", "Morel", ("jean-de-la-fontaine", "cp-ce1-gauthier")),
            ("collet", "Damien", "Collet", ("jean-de-la-fontaine", "ce2-cm1-lambert")),
            ("vidal", "Sarah", "Vidal", ("jean-de-la-fontaine", "cm1-cm2-fabre")),
        ]
    ),
    ("sans.role", "Lucie", "Robert", False, []),
]

# (title, audience, intro, tags): news of the district.
DISTRICT_NEWS = [
    (
        "Inscriptions en maternelle pour la rentrée 2027",
        PUBLIC,
        "Les inscriptions des enfants nés en 2024 ouvrent le 5 janvier en mairie, "
        "puis à l'école.",
        ["inscriptions", "maternelle"],
    ),
    (
        "Semaine des mathématiques : des défis à relever en famille",
        COMMUNITY,
        "Du 9 au 15 mars, chaque classe propose un défi mathématique à résoudre à "
        "la maison.",
        ["mathématiques"],
    ),
    (
        "Animation pédagogique : enseigner la géométrie au cycle 3",
        STAFF,
        "Mercredi 14 janvier, de 9 h à 12 h, à l'école Jules-Ferry : manipuler, "
        "tracer, raisonner.",
        ["formation", "géométrie"],
    ),
    (
        "Conseil des directeurs et directrices du 10 décembre",
        DIRECTORS,
        "Ordre du jour : exercices de sécurité, budget des sorties, organisation "
        "des évaluations de mi-CP.",
        ["direction"],
    ),
]

# (school slug, class slug or None, title, audience, intro, tags)
LOCAL_NEWS = [
    (
        "jules-ferry",
        None,
        "Fête de l'école le samedi 27 juin",
        PUBLIC,
        "Spectacle des élèves à 10 h dans la cour, puis kermesse organisée par "
        "les parents d'élèves.",
        ["fête"],
    ),
    (
        "jules-ferry",
        None,
        "Réunion de rentrée avec les familles",
        COMMUNITY,
        "Rendez-vous le mardi 15 septembre à 18 h dans la salle polyvalente.",
        ["réunion"],
    ),
    (
        "jules-ferry",
        None,
        "Conseil des maîtres du lundi 7 décembre",
        STAFF,
        "Préparation des livrets du premier trimestre et du projet d'école.",
        [],
    ),
    (
        "jules-ferry",
        None,
        "Dossier de sortie scolaire à valider",
        DIRECTORS,
        "Le dossier de la classe de découverte doit être transmis à l'inspection "
        "avant le 15 janvier.",
        [],
    ),
    (
        "jules-ferry",
        "cp-moreau",
        "Sortie au musée des Beaux-Arts",
        COMMUNITY,
        "Jeudi 3 décembre, la classe de CP visitera le musée : prévoir un "
        "pique-nique et des chaussures confortables.",
        ["sortie"],
    ),
    (
        "jules-ferry",
        "cp-moreau",
        "Décloisonnement en lecture avec le CE1",
        STAFF,
        "À partir de janvier, groupes de besoin en lecture le mardi matin avec la "
        "classe de CE1.",
        [],
    ),
    (
        "jules-ferry",
        "ce1-garnier",
        "Les poésies de l'hiver",
        COMMUNITY,
        "Retrouvez les poésies apprises ce mois-ci et récitez-les avec vos enfants.",
        ["poésie"],
    ),
    (
        "jules-ferry",
        "ce1-garnier",
        "Équipe éducative pour un élève",
        DIRECTORS,
        "Une équipe éducative est à programmer avant les vacances d'hiver.",
        [],
    ),
    (
        "jules-ferry",
        "cm2-lefevre",
        "Notre journal de classe est en ligne",
        PUBLIC,
        "Les élèves de CM2 publient chaque mois un journal sur la vie de l'école.",
        ["journal"],
    ),
    (
        "les-coquelicots",
        None,
        "Portes ouvertes de l'école maternelle",
        PUBLIC,
        "Les futurs élèves et leurs familles sont accueillis le samedi 6 juin de "
        "9 h à 12 h.",
        ["maternelle", "inscriptions"],
    ),
    (
        "les-coquelicots",
        None,
        "Menus de la cantine de décembre",
        COMMUNITY,
        "Les menus du mois sont disponibles au téléchargement.",
        ["cantine"],
    ),
    (
        "les-coquelicots",
        "ps-ms-chevalier",
        "Atelier peinture avec les parents",
        COMMUNITY,
        "Vendredi après-midi, venez peindre avec les enfants de petite et moyenne "
        "sections.",
        ["arts plastiques"],
    ),
    (
        "les-coquelicots",
        "gs-perrin",
        "Spectacle de Noël des grandes sections",
        COMMUNITY,
        "Les grandes sections chanteront pour les familles le jeudi 17 décembre.",
        ["fête"],
    ),
    (
        "marie-curie",
        None,
        "Le potager de l'école a donné ses premières courges",
        PUBLIC,
        "Les élèves de toutes les classes ont participé à la récolte d'automne.",
        ["potager"],
    ),
    (
        "marie-curie",
        "ce2-cm2-blanc",
        "Classe découverte à la montagne",
        COMMUNITY,
        "Réunion d'information pour les familles le lundi 11 janvier à 18 h.",
        ["sortie"],
    ),
    (
        "jean-de-la-fontaine",
        None,
        "Course solidaire au profit d'une association",
        PUBLIC,
        "Tous les élèves courront le vendredi 2 avril ; les familles sont "
        "invitées à les encourager.",
        ["sport"],
    ),
]

STANDARD_PAGES = [
    (
        "a-propos",
        "À propos",
        "L'ENT réunit les actualités de la circonscription, de ses écoles et de "
        "ses classes, et la bibliothèque de ressources pédagogiques.",
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "Éditeur : circonscription de Val-de-Loire Nord, direction des services "
        "départementaux de l'Éducation nationale (site de démonstration).",
    ),
    (
        "accessibilite",
        "Accessibilité",
        "Déclaration d'accessibilité : ce site n'a pas encore fait l'objet d'un "
        "audit de conformité au RGAA.",
    ),
    (
        "contact",
        "Contact",
        "Pour toute question, écrivez au secrétariat de la circonscription.",
    ),
]

# « Données personnelles » (privacy.PrivacyPage): the district writes the
# introduction, the rest of the page is the processing register.
PRIVACY_PAGE = (
    "donnees-personnelles",
    "Données personnelles",
    "<p>L'ENT de la circonscription ne garde de chacun que ce qui lui sert à "
    "faire son travail. Voici ce qu'il conserve, combien de temps, qui y a "
    "accès, et comment exercer vos droits.</p>",
)

# (class slug, first name, initial, family usernames, ENT consent, web consent);
# None: no decision recorded yet.
PUPILS = [
    ("cp-moreau", "Jules", "L", ["famille.leroy"], True, False),
    ("cp-moreau", "Léa", "M", ["famille.martin"], True, True),
    ("cp-moreau", "Inès", "B", [], None, None),
    ("ps-ms-chevalier", "Tom", "M", ["famille.martin"], True, False),
    ("ce1-garnier", "Nora", "B", ["famille.bernard"], True, True),
    ("gs-perrin", "Hugo", "P", ["famille.petit"], True, True),
    ("ce2-cm2-blanc", "Linh", "N", ["famille.nguyen"], False, False),
    ("ce2-cm1-roux", "Chloé", "D", ["famille.dupuis"], True, True),
    ("cm2-lefevre", "Adam", "C", ["famille.caron"], True, False),
    ("ms-gs-benoit", "Jade", "L", ["famille.lopez"], True, True),
    ("ps-gs-masson", "Moussa", "D", ["famille.diallo"], None, None),
    ("cp-ce1-faure", "Lina", "S", ["famille.schmitt"], True, False),
    ("cp-ce1-gauthier", "Arthur", "M", ["famille.morel"], True, True),
    ("ce2-cm1-lambert", "Zoé", "C", ["famille.collet"], True, False),
    ("cm1-cm2-fabre", "Gabriel", "V", ["famille.vidal"], True, True),
]

# (title, colour, school slug, class slug, pupils, identifiable people?, news slug)
PHOTOS = [
    (
        "Photo de groupe au musée",
        "#465f9d",
        "jules-ferry",
        "cp-moreau",
        ["Jules", "Léa"],
        True,
        "sortie-au-musee-des-beaux-arts",
    ),
    (
        "Les peintures des petits",
        "#e18b76",
        "les-coquelicots",
        "ps-ms-chevalier",
        ["Tom"],
        True,
        "atelier-peinture-avec-les-parents",
    ),
    (
        "Les courges du potager",
        "#68a532",
        "marie-curie",
        None,
        [],
        False,
        "le-potager-de-lecole-a-donne-ses-premieres-courges",
    ),
    # Inès has no consent recorded: this photo cannot be published anywhere.
    (
        "Photo de la classe de CP",
        "#a558a0",
        "jules-ferry",
        "cp-moreau",
        ["Jules", "Léa", "Inès"],
        True,
        None,
    ),
]

# (title, school slug, news slug): documents for the staff.
STAFF_DOCUMENTS = [
    (
        "Ordre du jour du conseil des maîtres",
        "jules-ferry",
        "conseil-des-maitres-du-lundi-7-decembre",
    ),
]

# The library: (title, summary, subject slug, levels, resource, licence,
# author, source, audience, tags). The resource is ("document", file title),
# ("link", address) or ("video", address).
RESOURCES = [
    (
        "Géométrie au cycle 3 : reproduire des figures",
        "Six fiches progressives pour reproduire des figures sur papier "
        "quadrillé puis uni, avec l'équerre et le compas. Corrigés inclus.",
        "mathematiques",
        ["CM1", "CM2"],
        ("document", "Fiches de géométrie : reproduire des figures"),
        "cc-by-sa",
        "Équipe de circonscription (mission mathématiques)",
        "",
        PUBLIC,
        ["géométrie", "figures"],
    ),
    (
        "Les solides géométriques en manipulation",
        "Une courte vidéo pour lancer une séance sur les cubes, pavés et "
        "pyramides : les élèves décrivent faces, arêtes et sommets.",
        "mathematiques",
        ["CE2", "CM1"],
        ("video", "https://vimeo.com/76979871"),
        "cc-by",
        "Réseau Canopé Centre-Val de Loire",
        "https://www.reseau-canope.fr/",
        PUBLIC,
        ["géométrie", "manipulation"],
    ),
    (
        "Rallye lecture CP-CE1",
        "Vingt albums de la bibliothèque de l'école, chacun avec cinq questions "
        "de compréhension et une grille de suivi de classe.",
        "francais",
        ["CP", "CE1"],
        ("link", "https://lirelire.education.fr/rallye-cp-ce1"),
        "cc-by-nc-sa",
        "Camille Moreau, école Jules-Ferry",
        "",
        PUBLIC,
        ["lecture", "rallye"],
    ),
    (
        "Phonologie en grande section : jeux de syllabes",
        "Jeux de frappés, de syllabes d'attaque et de rimes à mener en petits "
        "groupes, avec les images à imprimer.",
        "mobiliser-le-langage-dans-toutes-ses-dimensions",
        ["GS"],
        ("document", "Jeux de phonologie en grande section"),
        "cc-by",
        "Claire Chevalier, école maternelle Les Coquelicots",
        "",
        PUBLIC,
        ["phonologie", "jeux"],
    ),
    (
        "Motricité en petite section : parcours",
        "Quatre parcours de motricité illustrés, le matériel de la salle de "
        "jeux et les consignes à donner aux enfants.",
        "agir-sexprimer-comprendre-a-travers-lactivite-physique",
        ["PS", "MS"],
        ("document", "Parcours de motricité en petite section"),
        "cc0",
        "Équipe de circonscription (conseillère EPS)",
        "",
        PUBLIC,
        ["motricité"],
    ),
    (
        "Le cycle de vie du papillon",
        "Un élevage en classe, de la chenille au papillon : calendrier, "
        "matériel et carnet d'observation à compléter.",
        "explorer-le-monde",
        ["MS", "GS"],
        ("document", "Carnet d'observation : le cycle du papillon"),
        "cc-by",
        "Anne Perrin, école primaire des Tilleuls",
        "",
        PUBLIC,
        ["sciences", "élevage"],
    ),
    (
        "Chanter en anglais au cycle 2",
        "Dix comptines et chansons en anglais, avec les paroles et des "
        "propositions de gestes.",
        "langues-vivantes",
        ["CE1", "CE2"],
        ("link", "https://www.ecoutes-anglais.fr/comptines"),
        "cc-by-sa",
        "Julien Garnier, école Jules-Ferry",
        "",
        PUBLIC,
        ["anglais", "chant"],
    ),
    (
        "Le conseil d'élèves en classe",
        "Mettre en place un conseil d'élèves : rôles, ordre du jour, cahier "
        "de décisions et exemples de séances.",
        "enseignement-moral-et-civique",
        ["CE2", "CM1", "CM2"],
        ("link", "https://eduscol.education.gouv.fr/conseil-eleves"),
        "cc-by-sa",
        "Équipe de circonscription",
        "Éduscol",
        PUBLIC,
        ["citoyenneté"],
    ),
    (
        "Évaluations repères CP : guide de passation",
        "Le guide de passation commenté par la circonscription, avec le "
        "calendrier et les adaptations pour les élèves à besoins particuliers.",
        "francais",
        ["CP"],
        ("document", "Guide de passation des évaluations repères CP"),
        "all-rights-reserved",
        "Ministère de l'Éducation nationale",
        "Éduscol",
        STAFF,
        ["évaluation"],
    ),
    (
        "Programmation de questionner le monde au cycle 2",
        "Une programmation sur trois ans du CP au CE2, période par période, "
        "pour harmoniser les pratiques entre les écoles.",
        "questionner-le-monde",
        ["CP", "CE1", "CE2"],
        ("document", "Programmation de questionner le monde, cycle 2"),
        "cc-by-nc",
        "Groupe départemental sciences",
        "",
        STAFF,
        ["programmation"],
    ),
    (
        "Calcul mental au CM : défis quotidiens",
        "Un défi de calcul mental par jour, à projeter, avec les stratégies "
        "attendues et les erreurs fréquentes.",
        "mathematiques",
        ["CM1", "CM2"],
        ("link", "https://calculmental.circo-demo.fr/defis"),
        "cc-by-nc-sa",
        "Paul Roux, école Jules-Ferry",
        "",
        STAFF,
        ["calcul mental"],
    ),
    (
        "Histoire des arts : le musée des Beaux-Arts",
        "La visite préparée du musée des Beaux-Arts : parcours, œuvres "
        "choisies et questionnaire, à l'usage des enseignants.",
        "histoire-des-arts",
        ["CM1", "CM2"],
        ("video", "https://www.dailymotion.com/video/x7tgad0"),
        "all-rights-reserved",
        "Service des publics du musée des Beaux-Arts",
        "Musée des Beaux-Arts",
        STAFF,
        ["musée", "sortie"],
    ),
]

# A proposal waiting for the district team's moderation: (author, title,
# summary, subject slug, levels, link, licence, author's name).
PROPOSED_RESOURCE = (
    "ens.garnier",
    "Fluence en CE1 : textes gradués",
    "Douze textes courts de difficulté croissante pour entraîner la fluence, "
    "avec la grille de mots lus par minute.",
    "francais",
    ["CE1"],
    "https://fluence.circo-demo.fr/ce1",
    "cc-by",
    "Julien Garnier, école Jules-Ferry",
)

# News whose readers are asked to confirm they have read them.
ACKNOWLEDGED_NEWS = [
    "Sortie au musée des Beaux-Arts",
    "Conseil des directeurs et directrices du 10 décembre",
]

# Agenda events: (school slug or None, class slug or None, title, audience,
# days from today, start hour, hours, place, description). Every date is
# relative to the day the demo is seeded.
EVENTS = [
    (
        None,
        None,
        "Conseil des maîtres de circonscription",
        DIRECTORS,
        9,
        17,
        2,
        "Salle de la circonscription, Saint-Aubin-sur-Loire",
        "Ordre du jour : évaluations repères, plan de formation, sorties de "
        "fin d'année.",
    ),
    (
        None,
        None,
        "Carnaval des écoles",
        PUBLIC,
        38,
        14,
        2,
        "Départ place de la Mairie, Saint-Aubin-sur-Loire",
        "Le défilé des écoles de la ville, sur le thème des contes. Les "
        "familles sont les bienvenues sur le parcours.",
    ),
    (
        None,
        None,
        "Conférence pédagogique : apprendre à lire au CP",
        STAFF,
        23,
        14,
        3,
        "Amphithéâtre du collège Jean-Zay",
        "Conférence suivie d'échanges, ouverte à tous les enseignants de la "
        "circonscription.",
    ),
    (
        "jules-ferry",
        None,
        "Réunion parents-enseignants",
        COMMUNITY,
        6,
        18,
        1.5,
        "Préau de l'école Jules-Ferry",
        "Présentation des projets de l'année et questions des familles.",
    ),
    (
        "jules-ferry",
        None,
        "Kermesse de l'école",
        PUBLIC,
        52,
        10,
        6,
        "Cour de l'école Jules-Ferry",
        "Stands, jeux et spectacle des élèves. Buvette tenue par "
        "l'association des parents.",
    ),
    (
        "jules-ferry",
        "cp-moreau",
        "Sortie à la médiathèque",
        COMMUNITY,
        12,
        9,
        2,
        "Médiathèque Jules-Verne, Saint-Aubin-sur-Loire",
        "Prévoir un gilet jaune ; deux parents accompagnateurs sont les bienvenus.",
    ),
]

# The weekly swimming lesson of a class, every Tuesday in term time from the
# second week of the school year to the end of March.
SWIMMING = (
    "jules-ferry",
    "ce1-garnier",
    "Piscine",
    COMMUNITY,
    "Centre aquatique des Bords de Loire",
    "Départ en car à 9 h 40. Maillot, bonnet et serviette dans un sac marqué "
    "au nom de l'enfant.",
)

# Training sessions of the CPC: (slug, title, theme, capacity, dates as
# (days from today, hours), registered, waiting list, description).
TRAINING_SESSIONS = [
    (
        "jeux-mathematiques-cycle-2",
        "Jeux mathématiques au cycle 2",
        "mathematiques",
        3,
        [(15, 3)],
        ["ens.moreau", "ens.garnier", "ens.roux"],
        ["ens.benoit", "ens.blanc"],
        "<p>Des jeux de cartes et de plateau pour automatiser le calcul "
        "mental, fabriqués pendant l'animation et à emporter en classe.</p>",
    ),
    (
        "comprendre-les-textes-lus",
        "Comprendre les textes lus, du CP au CM2",
        "francais",
        20,
        [(-16, 3), (-9, 3)],
        ["ens.moreau", "ens.garnier", "dir.lefevre", "ens.blanc"],
        [],
        "<p>Enseigner explicitement la compréhension : inférences, "
        "reformulation, lecture à voix haute par l'enseignant.</p>",
    ),
]

# Who was absent from the past session, and on which of its dates (0, 1).
TRAINING_ABSENCES = {("ens.blanc", 1)}

# The resource of the library shared after the past session.
TRAINING_SHARED_RESOURCE = "Évaluations repères CP : guide de passation"

# Outside trainings: (username, title, days ago, hours, validated).
EXTERNAL_HOURS = [
    (
        "ens.moreau",
        "Parcours M@gistère « Enseigner la compréhension »",
        20,
        3,
        False,
    ),
    ("ens.garnier", "Parcours M@gistère « Le jeu en mathématiques »", 35, 6, True),
]
