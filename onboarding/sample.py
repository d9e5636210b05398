"""Realistic ONDE extractions, made up: for the tests and the bench.

``onde_rows`` draws a school's pupils and guardians (twins, pupils with one
guardian, guardians without e-mail), ``onde_file`` writes them as ONDE does
(ISO-8859-15, ``;``, a closing line), and the ``broken_*`` functions spoil a
good file the ways real files get spoiled.
"""

import datetime
import random

from django.utils.text import slugify

from onboarding.onde import ONDE_HEADER

FAMILY_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Marie",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
    "Leclercq",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Œuvrard",
]
CHILD_NAMES = [
    "Léa",
    "Emma",
    "Jade",
    "Louise",
    "Alice",
    "Chloé",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Inès",
    "Ambre",
    "Julia",
    "Mia",
    "Léna",
    "Manon",
    "Juliette",
    "Zoé",
    "Lou",
    "Agathe",
    "Gabriel",
    "Léo",
    "Raphaël",
    "Arthur",
    "Louis",
    "Jules",
    "Adam",
    "Maël",
    "Lucas",
    "Hugo",
    "Noah",
    "Liam",
    "Gabin",
    "Sacha",
    "Paul",
    "Nathan",
    "Aaron",
    "Mohamed",
    "Éthan",
    "Tom",
    "Noé",
    "Timéo",
    "Théo",
    "Victor",
    "Martin",
    "Nino",
    "Axel",
    "Marius",
    "Côme",
    "Joséphine",
]
ADULT_FIRST = {
    "Mme": [
        "Marie",
        "Nathalie",
        "Isabelle",
        "Sylvie",
        "Céline",
        "Aurélie",
        "Émilie",
        "Sophie",
        "Julie",
        "Sandrine",
        "Hélène",
        "Claire",
        "Laure",
    ],
    "M.": [
        "Philippe",
        "Nicolas",
        "Christophe",
        "Stéphane",
        "Sébastien",
        "Julien",
        "Laurent",
        "Frédéric",
        "Olivier",
        "Jérôme",
        "Thierry",
        "François",
        "Benoît",
    ],
}
LEVELS = ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"]


def onde_rows(classes, pupils=600, seed=15, email_share=0.85, domain="example.fr"):
    """Rows (dicts keyed by ONDE's headers) for ``pupils`` pupils spread over
    ``classes`` (titles), about 1.83 rows a pupil. Every tenth pupil from the
    seventh on has a twin; a guardian in ``1 - email_share`` has no e-mail."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, repeatable)
    rows, keys, count = [], set(), 0
    number = 0
    while count < pupils:
        family = rng.choice(FAMILY_NAMES)
        born = datetime.date(2014, 9, 1) + datetime.timedelta(days=rng.randrange(3000))
        classroom = classes[count * len(classes) // pupils]
        twins = 2 if count % 10 == 7 and count + 1 < pupils else 1
        names = rng.sample(CHILD_NAMES, twins)
        if any((family, name, born) in keys for name in names):
            continue
        number += 1
        guardians = []
        for civility in ("Mme", "M.")[: 1 if rng.random() < 0.17 else 2]:
            first = rng.choice(ADULT_FIRST[civility])
            last = (
                family
                if civility == "M." or rng.random() < 0.6
                else rng.choice(FAMILY_NAMES)
            )
            email = ""
            if rng.random() < email_share:
                email = f"{slugify(first)}.{slugify(last)}.{number}@{domain}"
            guardians.append((civility, first, last, email))
        for name in names:
            keys.add((family, name, born))
            count += 1
            for civility, first, last, email in guardians:
                rows.append(
                    onde_row(
                        family, name, born, classroom, civility, first, last, email
                    )
                )
    return rows


def onde_row(family, first_name, born, classroom, civility, first, last, email):
    return {
        "Nom de famille élève": family.upper(),
        "Nom d'usage élève": "",
        "Prénom élève": first_name,
        "Date naissance": born.strftime("%d/%m/%Y"),
        "Sexe": "",
        "Niveau": classroom.split()[0] if classroom.split()[0] in LEVELS else "",
        "Libellé classe": classroom,
        "Civilité Responsable": civility,
        "Nom responsable": last.upper(),
        "Prénom responsable": first,
        "Lien de parenté": "MERE" if civility == "Mme" else "PERE",
        "Courriel": email,
        "Téléphone domicile": "",
        "Téléphone travail": "",
        "Téléphone portable": f"06 {len(first):02d} {len(last):02d} 45 67",
    }


def onde_file(rows, encoding="iso-8859-15", separator=";", closing=True, header=None):
    """``rows`` written as ONDE writes ``CSVExtraction.csv``."""
    header = header or ONDE_HEADER
    lines = [separator.join(header)]
    for row in rows:
        lines.append(
            separator.join(quoted(row.get(name, ""), separator) for name in header)
        )
    if closing:
        lines.append(f"Extraction du 01/09/2026 : {len(rows)} lignes")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def quoted(value, separator):
    if separator in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


# Broken files


def broken_truncated(data):
    """Cut in the middle of a line, as an interrupted download."""
    cut = data.rindex(b";", 0, int(len(data) * 0.6))
    return data[: cut + 3]


def broken_utf16(rows):
    return onde_file(rows, encoding="utf-16")


def broken_double_encoded(rows):
    """UTF-8 read as Latin-1 and saved again as UTF-8: « Ã© » for « é »."""
    return onde_file(rows, encoding="utf-8").decode("latin-1").encode("utf-8")


def broken_extra_column(rows, index=3):
    rows = [dict(row) for row in rows]
    data = onde_file(rows).decode("iso-8859-15").split("\r\n")
    data[index + 1] += ";en trop"
    return "\r\n".join(data).encode("iso-8859-15")


def broken_duplicated_row(rows, index=3):
    return onde_file([*rows[: index + 1], rows[index], *rows[index + 1 :]])


def broken_formula(rows, index=3):
    rows = [dict(row) for row in rows]
    rows[index]["Prénom responsable"] = '=HYPERLINK("http://example.com/x";"Voir")'
    return onde_file(rows)


def broken_huge(rows, size=20 * 1024 * 1024):
    """A 20 MB file: the same rows again and again."""
    data = onde_file(rows, closing=False)
    header, _newline, body = data.partition(b"\r\n")
    return header + b"\r\n" + body * (size // max(len(body), 1) + 1)
