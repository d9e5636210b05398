"""The reader of ONDE's « Élèves de l'école et leurs responsables »
extraction (``CSVExtraction.csv``): one row per pupil and guardian.

ONDE writes ISO-8859-15 (or Windows-1252) separated by ``;``, with a closing
line that is not data. The reader also accepts UTF-8 (with or without BOM),
``,`` as separator and headers in another order or case. A file it cannot
read raises ``OndeFileError`` with a French message; a line it cannot read
becomes a problem with its number, and the import refuses to apply until
none is left. Spreadsheet formulas are refused with the rule of the
library's CSV check (``mediafiles.validation.is_formula``).
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mediafiles.validation import TEXT_ACTIVE_CONTENT, is_formula

# A school's extraction is about 300 bytes a row: 1,500 rows (a large
# school) is under 0.5 MB. 5 MB leaves ten times that and keeps a file read
# whole in memory, then in the database until it is applied, small.
MAX_FILE_SIZE = 5 * 1024 * 1024

# Column headers as ONDE writes them (the names public scripts reading
# CSVExtraction.csv use), by the field they fill.
REQUIRED_COLUMNS = {
    "pupil_last_name": "Nom de famille élève",
    "pupil_first_name": "Prénom élève",
    "birth_date": "Date naissance",
    "class_label": "Libellé classe",
    "guardian_last_name": "Nom responsable",
    "guardian_first_name": "Prénom responsable",
    "email": "Courriel",
}
OPTIONAL_COLUMNS = {
    "level": "Niveau",
    "civility": "Civilité Responsable",
}
# Read for their formulas only: the ENT keeps no telephone number.
PHONE_COLUMNS = ("Téléphone domicile", "Téléphone travail", "Téléphone portable")
ONDE_HEADER = [
    "Nom de famille élève",
    "Nom d'usage élève",
    "Prénom élève",
    "Date naissance",
    "Sexe",
    "Niveau",
    "Libellé classe",
    "Civilité Responsable",
    "Nom responsable",
    "Prénom responsable",
    "Lien de parenté",
    "Courriel",
    *PHONE_COLUMNS,
]

# "Ã©" and its kin: UTF-8 read as Latin-1 and saved again.
MOJIBAKE = re.compile("[ÂÃ][\u0080-\u00bf]")


class OndeFileError(Exception):
    """A file the reader cannot read at all (French message)."""


@dataclass
class OndeRow:
    line: int
    pupil_last_name: str
    pupil_first_name: str
    birth_date: datetime.date
    class_label: str
    guardian_last_name: str
    guardian_first_name: str
    email: str
    level: str = ""
    civility: str = ""


@dataclass
class OndeFile:
    rows: list = field(default_factory=list)
    # (line number, French message), in line order.
    problems: list = field(default_factory=list)


def normalise(text):
    """Case-, accent- and space-insensitive form of a header or a name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().replace("’", "'").split())


def decode(data):
    """The text of ``data``: UTF-8 with or without BOM, else Windows-1252
    when it uses the bytes only Windows-1252 gives letters to, else
    ISO-8859-15 (ONDE's own)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise OndeFileError(
            _(
                "The file is not in a text encoding the import reads (it looks "
                "like UTF-16). Export it again from ONDE, or save it as CSV "
                "(UTF-8 or ISO-8859-15)."
            )
        )
    lowered = data[:4096].lower()
    if any(marker in lowered for marker in TEXT_ACTIVE_CONTENT):
        raise OndeFileError(_("The file is not a CSV extraction from ONDE."))
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        if any(0x80 <= byte <= 0x9F for byte in data):
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise OndeFileError(
                    _(
                        "The file mixes several text encodings (byte %(position)s "
                        "cannot be read). Export it again from ONDE."
                    )
                    % {"position": error.start + 1}
                ) from error
        else:
            text = data.decode("iso-8859-15")
    if MOJIBAKE.search(text):
        raise OndeFileError(
            _(
                "The accents of the file are damaged (« Ã© » instead of « é »): "
                "it was converted to another encoding twice. Export it again "
                "from ONDE and send it without opening it."
            )
        )
    return text


def sniff_separator(first_line):
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def expected_columns_message():
    names = ", ".join(f"« {name} »" for name in REQUIRED_COLUMNS.values())
    return _(
        "This is not the ONDE extraction « Élèves de l'école et leurs "
        "responsables ». The import expects the columns %(columns)s (in any "
        "order), separated by « ; » or « , »."
    ) % {"columns": names}


def parse_date(value):
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def size_problem(size):
    """The refusal of a file of ``size`` bytes, or None."""
    if size <= MAX_FILE_SIZE:
        return None
    return _(
        "The file weighs %(size)s MB: an ONDE extraction of a school is under "
        "1 MB, and the import accepts up to %(limit)s MB. Check that this is "
        "the extraction « Élèves de l'école et leurs responsables » of one "
        "school."
    ) % {
        "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
        "limit": MAX_FILE_SIZE // (1024 * 1024),
    }


def read_onde(data):
    """The rows and line problems of the ONDE extraction ``data`` (bytes).
    Raises ``OndeFileError`` for a file that cannot be read at all."""
    result = OndeFile()
    lines, result.problems = read_table(
        data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, expected_columns_message
    )
    for number, values in lines:
        row, problem = make_row(number, values)
        if problem:
            result.problems.append((number, problem))
        else:
            result.rows.append(row)
    result.problems.sort()
    if not result.rows and not result.problems:
        raise OndeFileError(_("The file holds no pupil."))
    return result


def read_table(data, required, optional, expected_message):
    """``[(line number, {key: value})]`` and ``[(line number, problem)]`` of
    the CSV file ``data``, whose columns ``required`` and ``optional`` ({key:
    header}) are found by their header. Raises ``OndeFileError`` for a file
    that cannot be read at all (``expected_message()`` for another layout)."""
    problem = size_problem(len(data))
    if problem:
        raise OndeFileError(problem)
    if not data.strip():
        raise OndeFileError(_("The file is empty."))
    text = decode(data)
    separator = sniff_separator(text.splitlines()[0])
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise OndeFileError(
            _("The file cannot be read as CSV (%(error)s): is it cut short?")
            % {"error": error}
        ) from error
    header = [normalise(name) for name in records[0]]
    positions = {}
    for key, name in {**required, **optional}.items():
        if normalise(name) in header:
            positions[key] = header.index(normalise(name))
    if any(key not in positions for key in required):
        raise OndeFileError(expected_message())
    width = len(header)
    body = records[1:]
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()
    # ONDE closes the file with a line that is not data: one field alone. A
    # first field cut short by the end of the file is no closing line.
    if body and len(body[-1]) == 1 and width > 1:
        cut_short = not text.endswith(("\n", "\r")) and not any(
            char.isspace() for char in body[-1][0].strip()
        )
        if not cut_short:
            body.pop()
    lines, problems, seen = [], [], {}
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        problem = line_problem(cells, width, records[0])
        if problem:
            problems.append((number, problem))
            continue
        signature = tuple(normalise(cell) for cell in cells)
        if signature in seen:
            problems.append(
                (
                    number,
                    _("This line repeats line %(line)s: remove one of them.")
                    % {"line": seen[signature]},
                )
            )
            continue
        seen[signature] = number
        lines.append(
            (number, {key: cells[index].strip() for key, index in positions.items()})
        )
    return lines, problems


def line_problem(cells, width, header):
    if len(cells) > width:
        return _(
            "This line has %(count)s columns, %(width)s expected: a value "
            "holds the separator, or a column was added."
        ) % {"count": len(cells), "width": width}
    if len(cells) < width:
        return _(
            "This line has %(count)s columns, %(width)s expected: the file "
            "may be cut short."
        ) % {"count": len(cells), "width": width}
    for name, cell in zip(header, cells, strict=True):
        if is_formula(cell):
            return _(
                "The column « %(column)s » holds a formula, which a spreadsheet "
                "could run: keep the values only and export the file again."
            ) % {"column": name.strip()}
    return None


def make_row(number, values):
    missing = [
        REQUIRED_COLUMNS[key]
        for key in ("pupil_last_name", "pupil_first_name", "birth_date", "class_label")
        if not values[key]
    ]
    if missing:
        return None, _("Missing value: %(columns)s.") % {
            "columns": ", ".join(f"« {name} »" for name in missing)
        }
    birth_date = parse_date(values["birth_date"])
    if birth_date is None:
        return None, _(
            "The date of birth « %(value)s » is not a date (dd/mm/yyyy expected)."
        ) % {"value": values["birth_date"]}
    email = values["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return None, _("The e-mail address « %(value)s » is not valid.") % {
                "value": values["email"]
            }
    if email and not (values["guardian_last_name"] or values["guardian_first_name"]):
        return None, _("An e-mail address is given without the guardian's name.")
    return (
        OndeRow(
            line=number,
            pupil_last_name=values["pupil_last_name"],
            pupil_first_name=values["pupil_first_name"],
            birth_date=birth_date,
            class_label=values["class_label"],
            guardian_last_name=values["guardian_last_name"],
            guardian_first_name=values["guardian_first_name"],
            email=email,
            level=values.get("level", ""),
            civility=values.get("civility", ""),
        ),
        None,
    )
