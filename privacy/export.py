"""The processing register for the district's data protection officer: a CSV
for French spreadsheets (UTF-8 with a BOM, ``;`` between columns) and a PDF,
both written from ``privacy.register``."""

import csv
import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)


def fact_value(fact):
    """A fact as the DPO reads it: what the district left empty is named."""
    if fact.missing:
        return _("To fill in (%(setting)s)") % {"setting": fact.setting}
    return fact.value


def general_rows(register):
    """(heading, text) for everything but the data kept, one line each."""
    rows = [
        (_("Processing"), register.name),
        (_("Controller"), fact_value(register.controller)),
        (_("Address"), fact_value(register.controller_address)),
        (_("Data protection officer"), fact_value(register.dpo)),
        (_("Host"), fact_value(register.hosting)),
    ]
    rows += [(_("Legal basis"), text) for text in register.legal_basis]
    rows += [(_("Purpose"), text) for text in register.purposes]
    rows += [(_("Recipients"), text) for text in register.recipients]
    rows += [(_("Security measure"), text) for text in register.security]
    rows += [(_("Right"), text) for text in register.rights]
    rows.append((_("Complaint"), register.complaint))
    return rows


def data_header():
    return [
        _("Category of people"),
        _("Data"),
        _("How long it is kept"),
        _("Who sees it"),
    ]


def data_rows(register):
    """One row per category of people and kind of data."""
    return [
        [people.name, holding.data, holding.retention, holding.access]
        for people in register.people
        for holding in people.holdings
    ]


def as_csv(register):
    """The register as CSV text, starting with a byte order mark so that
    spreadsheets read it as UTF-8: the general headings first, an empty
    line, then the data kept."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Heading"), _("Content")])
    writer.writerows(general_rows(register))
    writer.writerow([])
    writer.writerow(data_header())
    writer.writerows(data_rows(register))
    return out.getvalue()


def as_pdf(register):
    """The register as a PDF document (A4, landscape for its table)."""
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8)
    small.leading = 10

    def para(text, style=body):
        return Paragraph(escape(str(text)), style)

    story = [
        Paragraph(escape(_("Processing register")), styles["Title"]),
        para(register.name, styles["Heading2"]),
    ]
    current = None
    for heading, text in general_rows(register):
        if heading != current:
            story.append(para(heading, styles["Heading3"]))
            current = heading
        story.append(para(text))
    story += [Spacer(1, 6 * mm), para(_("Data kept"), styles["Heading2"])]
    table = Table(
        [
            [para(cell, small) for cell in data_header()],
            *([para(cell, small) for cell in row] for row in data_rows(register)),
        ],
        colWidths=[40 * mm, 90 * mm, 75 * mm, 60 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=_("Processing register"),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    ).build(story)
    return buffer.getvalue()
