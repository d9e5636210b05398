"""Login sheets: for the families of a class who have no e-mail address, a
PDF with one page each, for the teacher to hand out. Printing issues a new
one-time code for every family on it (the previous codes stop working)."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from accounts.models import Membership
from invitations.models import not_activated
from invitations.tokens import code_lifetime, issue_code


def families_for_sheets(classroom):
    """The families of ``classroom`` not yet activated and without an
    e-mail address, by name."""
    members = Membership.objects.filter(
        classroom=classroom, role=Membership.Role.FAMILY
    ).values("user")
    return (
        not_activated()
        .filter(pk__in=members, email="")
        .order_by("last_name", "first_name", "username")
    )


def activation_address():
    return settings.WAGTAILADMIN_BASE_URL + reverse("activate_with_code")


def login_sheets(classroom):
    """The PDF (bytes) of ``classroom``'s login sheets and how many pages it
    has; the codes on it are issued in the same transaction."""
    styles = getSampleStyleSheet()
    title, heading, text = styles["Title"], styles["Heading2"], styles["BodyText"]
    site_name = settings.WAGTAIL_SITE_NAME
    address = activation_address()
    site = settings.WAGTAILADMIN_BASE_URL + "/"
    story = []
    now = timezone.now()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        families = list(families_for_sheets(classroom).select_for_update())
        expires = formats.date_format(
            timezone.localtime(now + code_lifetime()), "DATE_FORMAT"
        )
        school = classroom.get_parent().title
        for family in families:
            code = issue_code(family, now)
            name = family.get_full_name() or family.get_username()
            story += [
                Paragraph(escape(site_name), title),
                Paragraph(escape(_("Your account on the ENT")), heading),
                Paragraph(
                    escape(
                        _("For %(name)s, family in %(class)s (%(school)s).")
                        % {"name": name, "class": classroom.title, "school": school}
                    ),
                    text,
                ),
                Spacer(1, 0.4 * cm),
                Paragraph(
                    escape(_("Site address: %(address)s") % {"address": site}),
                    text,
                ),
                Paragraph(
                    escape(_("Activation page: %(address)s") % {"address": address}),
                    text,
                ),
                Paragraph(
                    escape(_("Username: %(username)s") % {"username": family.username}),
                    text,
                ),
                Paragraph(escape(_("One-time code: %(code)s") % {"code": code}), text),
                Spacer(1, 0.4 * cm),
                Paragraph(escape(_("How to activate your account")), heading),
                Paragraph(
                    escape(
                        _("1. Open the activation page above, “Activate my account”.")
                    ),
                    text,
                ),
                Paragraph(
                    escape(_("2. Type your username and the one-time code.")),
                    text,
                ),
                Paragraph(
                    escape(
                        _(
                            "3. Choose your password: you will then sign in with "
                            "your username and this password."
                        )
                    ),
                    text,
                ),
                Paragraph(
                    escape(
                        _(
                            "The code works once, until %(date)s. If it does not "
                            "work, ask the school for a new sheet."
                        )
                        % {"date": expires}
                    ),
                    text,
                ),
                Spacer(1, 0.4 * cm),
                Paragraph(escape(_("Your personal data")), heading),
                Paragraph(escape(personal_data_text()), text),
                PageBreak(),
            ]
        if not story:
            return b"", 0
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=_("Login sheets: %(class)s") % {"class": classroom.title},
            author=site_name,
        )
        document.build(story[:-1])
    return buffer.getvalue(), len(families)


def personal_data_text():
    return _(
        "The ENT keeps your name, your username, your e-mail address if you "
        "give one, the classes of your children, their first names and "
        "initials, and the image consents you give. Only the teachers and the "
        "director of your children's school and the district team see them. "
        "They are kept while your children are at school in the district. You "
        "may see them, have them corrected or erased, and object to their use: "
        "ask the director of the school or the district's data protection "
        "officer."
    )
