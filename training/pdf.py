"""The PDFs of a session: its attendance sheet (one page per date, a
signature box for each registered person and for the trainer) and a
participant's attestation of presence with their hours."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pages.templatetags.french_dates import french_time
from training.attendance import registered, schools_of


def district_of(session):
    """The district's home page (its name and inspector), read through the
    page tree: training sits below ``home``."""
    return session.get_ancestors().filter(depth=2).specific().first()


def hours_text(hours):
    return _("%(hours)s h") % {"hours": floatformat(hours, -1)}


def date_line(date):
    start, end = timezone.localtime(date.start), timezone.localtime(date.end)
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": french_time(start),
        "end": french_time(end),
    }


def build(story, title):
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=settings.WAGTAIL_SITE_NAME,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    ).build(story)
    return buffer.getvalue()


def attendance_sheet(session):
    """The attendance sheet of ``session`` (PDF bytes)."""
    styles = getSampleStyleSheet()
    title, heading, text = styles["Title"], styles["Heading2"], styles["BodyText"]
    with translation.override(settings.LANGUAGE_CODE):
        district = district_of(session)
        people = list(registered(session))
        schools = schools_of([registration.user_id for registration in people])
        story = []
        for date in session.dates.order_by("start"):
            rows = [[_("Name"), _("School"), _("Signature")]] + [
                [
                    Paragraph(escape(person_name(registration.user)), text),
                    Paragraph(escape(schools.get(registration.user_id, "")), text),
                    "",
                ]
                for registration in people
            ]
            table = Table(
                rows,
                colWidths=[6 * cm, 6 * cm, 6 * cm],
                rowHeights=[0.8 * cm] + [1.3 * cm] * len(people),
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            trainer_box = Table(
                [[_("Trainer's signature")], [""]],
                colWidths=[8 * cm],
                rowHeights=[0.8 * cm, 2 * cm],
            )
            trainer_box.setStyle(
                TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)])
            )
            story += [
                Paragraph(escape(district.title if district else ""), text),
                Paragraph(escape(_("Attendance sheet")), title),
                Paragraph(escape(session.title), heading),
                Paragraph(escape(date_line(date)), text),
                Paragraph(
                    escape(
                        _("Place: %(place)s") % {"place": date.place or "—"}
                        if date.mode == date.Mode.IN_PERSON
                        else _("At a distance")
                    ),
                    text,
                ),
                Paragraph(
                    escape(_("Trainer: %(name)s") % {"name": session.trainer}), text
                ),
                Paragraph(
                    escape(_("Hours: %(hours)s") % {"hours": hours_text(date.hours)}),
                    text,
                ),
                Spacer(1, 0.4 * cm),
                table,
                Spacer(1, 0.6 * cm),
                trainer_box,
                PageBreak(),
            ]
        return build(
            story[:-1],
            _("Attendance sheet: %(session)s") % {"session": session.title},
        )


def person_name(user):
    return user.get_full_name() or user.get_username()


def certificate(session, user, dates):
    """The attestation of presence of ``user`` at ``dates`` (those attended)
    of ``session`` (PDF bytes)."""
    styles = getSampleStyleSheet()
    title, text = styles["Title"], styles["BodyText"]
    with translation.override(settings.LANGUAGE_CODE):
        district = district_of(session)
        inspector = getattr(district, "inspector_name", "") if district else ""
        hours = sum(date.hours for date in dates)
        story = [
            Paragraph(escape(district.title if district else ""), text),
            Spacer(1, 1 * cm),
            Paragraph(escape(_("Attestation of presence")), title),
            Spacer(1, 0.6 * cm),
            Paragraph(
                escape(
                    _(
                        "The inspector of the district certifies that %(name)s "
                        "attended the training session « %(session)s » "
                        "(trainer: %(trainer)s) on these dates:"
                    )
                    % {
                        "name": person_name(user),
                        "session": session.title,
                        "trainer": session.trainer,
                    }
                ),
                text,
            ),
        ]
        story += [
            Paragraph(escape(f"• {date_line(date)} ({hours_text(date.hours)})"), text)
            for date in dates
        ]
        story += [
            Spacer(1, 0.4 * cm),
            Paragraph(
                escape(_("Hours attended: %(hours)s") % {"hours": hours_text(hours)}),
                text,
            ),
            Spacer(1, 1 * cm),
            Paragraph(
                escape(
                    _("Issued on %(date)s.")
                    % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")}
                ),
                text,
            ),
            Paragraph(escape(_("The inspector, %(name)s") % {"name": inspector}), text),
        ]
        return build(
            story,
            _("Attestation of presence: %(name)s") % {"name": person_name(user)},
        )
