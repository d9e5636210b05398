"""The right of access: everything the ENT holds about a person, as a ZIP of
JSON files and the photos where their children are named.

Nothing in it may be about another family: a photo names only the person's
own children (the others on it are counted), a consent recorded by someone
else says « vous », the name of another family account of the same child, or
the school's role, never another person's e-mail. The keys of the JSON files
are plain French words, the same in every export, described in README.txt.
"""

import decimal
import json
import os
import shutil
import tempfile
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from accounts.models import ExternalIdentity, Membership
from agenda.models import CalendarFeed
from inbox.models import NotificationChoice, ReadMark, Recipient
from mediafiles.access import pages_using
from pupils.models import ImageConsent, Medium, Pupil
from training.models import ExternalHours, Registration
from visibility.audience import is_district_team, visible_pages

# Kept in memory up to this size, then in a temporary file.
IN_MEMORY = 8 * 1024 * 1024


def export_archive(user):
    """The ZIP of ``user``'s data, as an open file positioned at its start
    (the caller streams and closes it)."""
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("README.txt", readme())
        write_json(zip_file, "account.json", account_data(user))
        write_json(zip_file, "children.json", children_data(user))
        write_json(zip_file, "acknowledgements.json", acknowledgements_data(user))
        write_json(zip_file, "training.json", training_data(user))
        entries = []
        for entry, image in photos(user):
            entries.append(entry)
            if entry["fichier"] is None:
                continue
            with (
                image.file.open("rb") as original,
                zip_file.open(entry["fichier"], "w") as copy,
            ):
                shutil.copyfileobj(original, copy)
        write_json(zip_file, "photos.json", entries)
    archive.seek(0)
    return archive


def write_json(zip_file, name, data):
    zip_file.writestr(
        name, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    )


def account_data(user):
    memberships = Membership.objects.filter(user=user).select_related(
        "school", "classroom"
    )
    return {
        "identifiant": user.get_username(),
        "prenom": user.first_name,
        "nom": user.last_name,
        "courriel": user.email,
        "inscrit_le": user.date_joined,
        "derniere_connexion": user.last_login,
        "equipe_de_circonscription": is_district_team(user),
        "groupes": sorted(user.groups.values_list("name", flat=True)),
        "rattachements": [
            {
                "role": membership.get_role_display(),
                "ecole": membership.school.title,
                "classe": membership.classroom.title if membership.classroom else "",
                "annee_scolaire": (
                    membership.classroom.school_year if membership.classroom else ""
                ),
            }
            for membership in memberships.order_by("school__title", "role", "pk")
        ],
        "identites_externes": [
            {
                "fournisseur": identity.get_provider_display(),
                "identifiant": identity.subject,
                "creee_le": identity.created_at,
                "derniere_utilisation": identity.last_used_at,
            }
            for identity in ExternalIdentity.objects.filter(user=user)
        ],
        "courriels_de_notification": NotificationChoice.Frequency(
            NotificationChoice.of(user)
        ).label,
        # Whether a secret calendar address exists; never the address.
        "adresse_agenda_personnel": CalendarFeed.objects.filter(user=user).exists(),
    }


def training_data(user):
    """Their registrations to training sessions with their attendance and
    hours, and their outside trainings. Feedback answers are not theirs to
    download: nothing links them to anyone."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("session")
        .prefetch_related("attendances__date")
        .order_by("created_at", "pk")
    )
    return {
        "animations": [
            {
                "titre": registration.session.title,
                "adresse": registration.session.full_url,
                "statut": registration.get_status_display(),
                "inscrit_le": registration.created_at,
                "presences": [
                    {
                        "date": attendance.date.start,
                        "heures": attendance.date.hours,
                        "present": attendance.present,
                    }
                    for attendance in sorted(
                        registration.attendances.all(), key=lambda a: a.date.start
                    )
                ],
                "heures_comptees": sum(
                    (a.date.hours for a in registration.attendances.all() if a.present),
                    decimal.Decimal(0),
                ),
            }
            for registration in registrations
        ],
        "formations_exterieures": [
            {
                "formation": hours.title,
                "date": hours.done_on,
                "heures": hours.hours,
                "statut": hours.get_status_display(),
                "decide_le": hours.decided_at,
                "motif": hours.reason,
            }
            for hours in ExternalHours.objects.filter(user=user).order_by(
                "done_on", "pk"
            )
        ],
    }


def children_data(user):
    children = Pupil.objects.filter(families=user).select_related("classroom")
    recorders = RecorderNames(user)
    result = []
    for pupil in children.order_by("first_name", "pk"):
        consents = list(
            ImageConsent.objects.filter(pupil=pupil)
            .select_related("recorded_by")
            .order_by("recorded_at", "pk")
        )
        family_ids = set(pupil.families.values_list("pk", flat=True))
        years = sorted({consent.school_year for consent in consents})
        result.append(
            {
                "prenom": pupil.first_name,
                "initiale_du_nom": pupil.last_initial,
                "classe": pupil.classroom.title,
                "ecole": pupil.classroom.get_parent().title,
                "annee_scolaire": pupil.classroom.school_year,
                "parti_le": pupil.left_on,
                "accords_par_annee": [
                    {
                        "annee_scolaire": year,
                        **{
                            medium_key(medium): decision_label(
                                pupil.decision(medium, year)
                            )
                            for medium in Medium
                        },
                    }
                    for year in years
                ],
                "historique_des_accords": [
                    {
                        "support": Medium(consent.medium).label,
                        "accord": consent.given,
                        "annee_scolaire": consent.school_year,
                        "enregistre_le": consent.recorded_at,
                        "enregistre_par": recorders.label(consent, family_ids),
                    }
                    for consent in consents
                ],
            }
        )
    return result


def medium_key(medium):
    return {Medium.ENT: "photos_sur_l_ent", Medium.WEB: "photos_sur_le_web_public"}[
        medium
    ]


def decision_label(decision):
    if decision is None:
        return _("no decision")
    return _("allowed") if decision else _("refused")


class RecorderNames:
    """Who recorded a consent, as the family may read it: themselves, another
    family account of the same child by name, or the role of a member of
    staff; never an e-mail address."""

    def __init__(self, user):
        self.user = user
        self.roles = {}

    def label(self, consent, family_ids):
        who = consent.recorded_by
        if who is None:
            return _("an account deleted since")
        if who.pk == self.user.pk:
            return _("you")
        if who.pk in family_ids:
            return who.get_full_name() or _("another family account of this child")
        return self.role_of(who)

    def role_of(self, who):
        if who.pk not in self.roles:
            roles = set(
                Membership.objects.filter(user=who).values_list("role", flat=True)
            )
            if is_district_team(who):
                label = _("the district team")
            elif Membership.Role.DIRECTOR in roles:
                label = _("the school's director")
            elif Membership.Role.TEACHER in roles:
                label = _("a teacher")
            elif roles == {Membership.Role.FAMILY}:
                label = _("a family account no longer linked to this child")
            else:
                label = _("the school")
            self.roles[who.pk] = label
        return self.roles[who.pk]


def acknowledgements_data(user):
    asked = (
        Recipient.objects.filter(user=user, asked_to_acknowledge=True)
        .select_related("page")
        .order_by("addressed_at", "pk")
    )
    read = ReadMark.objects.filter(user=user).select_related("page")
    return {
        "accuses_de_lecture_demandes": [
            {
                "titre": recipient.page.title,
                "adresse": recipient.page.full_url,
                "demande_le": recipient.addressed_at,
                "accuse_le": recipient.acknowledged_at,
            }
            for recipient in asked
        ],
        "pages_lues": [
            {
                "titre": mark.page.title,
                "adresse": mark.page.full_url,
                "lue_le": mark.read_at,
            }
            for mark in read.order_by("read_at", "pk")
        ],
    }


def photos(user):
    """(entry of photos.json, image) for every image naming one of
    ``user``'s children. Pages are named where ``user`` may read them, the
    others counted. The picture itself is given when it shows only their
    children, or when they may already see it on a page: a picture of other
    pupils they may not see is theirs to know of, not to have."""
    children = set(Pupil.objects.filter(families=user).values_list("pk", flat=True))
    images = (
        get_image_model()
        .objects.filter(pupils__in=children)
        .distinct()
        .prefetch_related("pupils")
        .order_by("created_at", "pk")
    )
    for image in images:
        named = [pupil for pupil in image.pupils.all() if pupil.pk in children]
        used_on = pages_using(image)
        shown = list(visible_pages(used_on, user).order_by("path"))
        extension = os.path.splitext(image.file.name)[1].lower()
        others = len(image.pupils.all()) - len(named)
        given = bool(shown) or not others
        entry = {
            "fichier": (
                f"photos/{image.pk}-{slugify(image.title)[:60] or 'photo'}{extension}"
                if given
                else None
            ),
            "titre": image.title,
            "date": image.created_at,
            "credit": image.credit,
            "vos_enfants": [str(pupil) for pupil in named],
            "autres_eleves": others,
            "pages": [
                {"titre": page.title, "adresse": page.full_url} for page in shown
            ],
            "autres_pages": used_on.count() - len(shown),
        }
        yield entry, image


def readme():
    return _(
        "Your data in the ENT of the district\n"
        "=====================================\n\n"
        "This archive holds everything the ENT keeps about you, as it was when "
        "you downloaded it.\n\n"
        "account.json: your account (user name, names, e-mail address, date of "
        "registration and of your last login), the groups you belong to, your "
        "places in the schools (role, school, class, school year), the outside "
        "identities linked to your account (ÉduConnect…) and how you want to be "
        "told by e-mail.\n\n"
        "children.json: your children (first name, initial, class, school, "
        "school year, date they left the district if they did), with for each "
        "school year the consents to photos (on the ENT, on the public web) and "
        "the whole history of those consents: what was decided, when, and by "
        "whom (« vous », another family account of the same child, or the role "
        "of the member of staff who recorded it).\n\n"
        "acknowledgements.json: the news you were asked to acknowledge (title, "
        "address, date asked, date you acknowledged it) and the pages you "
        "read.\n\n"
        "photos.json and the photos folder: every picture on which one of your "
        "children is named, with its title, date, credit and the pages showing "
        "it that you can open. Other pupils on the same picture are counted, "
        "not named; a picture that also shows other pupils and that you cannot "
        "open on the ENT is described without its file (« fichier » is empty).\n\n"
        "Dates are in ISO 8601 format (year-month-day, time in UTC).\n\n"
        "To have something corrected or your account erased, go to « Mon "
        "compte » or write to your school's director.\n"
    ) + _(
        "\ntraining.json: the training sessions you registered for or waited "
        "for (title, address, status, date of registration), your attendance "
        "at each of their dates with its hours and the hours counted, and the "
        "outside trainings you declared (date, hours, status, decision). Your "
        "answers to feedback forms are not in it: nothing links them to you. "
        "account.json also says whether you have a personal calendar address, "
        "never the address itself.\n"
    )
