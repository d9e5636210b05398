"""The actions the ENT writes to Wagtail's log, beside Wagtail's own: every
change to personal data (consents, memberships, audiences, imports, the
school year, departures, a family's rights), with who did it and why.

Registered once here (``audit.wagtail_hooks``) so that the team reads them,
in French, wherever Wagtail shows its log."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "ent.consent.given": _("Consent given"),
    "ent.consent.withdrawn": _("Consent withdrawn"),
    "ent.membership.added": _("Membership added"),
    "ent.membership.removed": _("Membership removed"),
    "ent.audience.changed": _("Audience changed"),
    "ent.import.applied": _("Import applied"),
    "ent.rollover.applied": _("School year opened"),
    "ent.class.archived": _("Class archived"),
    "ent.class.deleted": _("Archived class deleted"),
    "ent.pupil.left": _("Pupil left"),
    "ent.pupil.deleted": _("Departed pupil deleted"),
    "ent.account.departure": _("Departure recorded"),
    "ent.account.notice": _("Deletion notice sent"),
    "ent.account.deleted": _("Account deleted"),
    "ent.rights.export": _("Personal data downloaded"),
    "ent.rights.erasure_requested": _("Erasure requested"),
    "ent.rights.erasure_confirmed": _("Erasure carried out"),
    "ent.rights.erasure_refused": _("Erasure request refused"),
    "ent.photo.removed": _("Photo taken off automatically"),
}
