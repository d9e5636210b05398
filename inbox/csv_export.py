"""The acknowledgements of a news item as a CSV file that French spreadsheets
open as they are: UTF-8 with a byte order mark, semicolons, and no cell a
spreadsheet would run as a formula."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Membership

BOM = "\ufeff"
# A cell starting with one of these is read as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` as text a spreadsheet shows and never evaluates."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def person_name(user):
    """ "Nom Prénom", as on a class list (and sorted so)."""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def role_label(role):
    return Membership.Role(role).label if role in Membership.Role.values else role


def spreadsheet_download(filename):
    """A CSV download named ``filename`` and the writer of its rows."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=filename
            )
        },
    )
    response.write(BOM)
    return response, csv.writer(response, delimiter=";")


def acknowledgements_csv(page, recipients):
    """A download of ``recipients`` (``Recipient`` rows with their user),
    one row each, in the order given."""
    response, writer = spreadsheet_download(f"accuses-{page.slug}.csv")
    writer.writerow(
        capfirst(label)
        for label in (
            _("class"),
            _("school"),
            _("name"),
            _("e-mail"),
            _("role"),
            _("Confirmed on"),
        )
    )
    for recipient in recipients:
        acknowledged = recipient.acknowledged_at
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                recipient.classroom_title,
                recipient.school_title,
                person_name(recipient.user),
                recipient.user.email,
                role_label(recipient.role),
                timezone.localtime(acknowledged).strftime("%d/%m/%Y %H:%M")
                if acknowledged
                else "",
            )
        )
    return response
