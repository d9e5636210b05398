"""The ENT's entry in the processing register (RGPD art. 30), as data: one
source for the « Données personnelles » page and for the register exported to
the district's data protection officer.

It says what the models hold, nothing more (no birth date, no family name of
a pupil), and reads every retention period from the settings when it is
built, so that what the page says stays true when a setting changes. The
facts only the district knows (who is responsible, the DPO, the host) come
from settings too; left empty, they are ``Fact.missing`` and the page says
« à compléter » to the district team and a neutral sentence to everyone else.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from privacy.durations import days, in_words


@dataclass(frozen=True)
class Fact:
    """Something the district fills in through a setting."""

    setting: str
    value: str
    # What the public reads while the setting is empty.
    fallback: str

    @property
    def missing(self):
        return not self.value

    def __str__(self):
        return self.value or self.fallback


@dataclass(frozen=True)
class Holding:
    """One kind of data kept about a category of people."""

    data: str
    retention: str
    access: str


@dataclass(frozen=True)
class People:
    """A category of people and what is kept about them."""

    key: str
    name: str
    description: str
    holdings: list


@dataclass(frozen=True)
class Register:
    name: str
    controller: Fact
    controller_address: Fact
    dpo: Fact
    hosting: Fact
    legal_basis: list
    purposes: list
    people: list
    recipients: list
    security: list
    rights: list
    complaint: str
    # The periods as the page words them, by what they limit (for tests and
    # for the export's header).
    periods: dict

    @property
    def missing(self):
        """The facts the district still has to fill in."""
        return [
            fact
            for fact in (
                self.controller,
                self.controller_address,
                self.dpo,
                self.hosting,
            )
            if fact.missing
        ]


def periods():
    """Every retention period of the register, in words, read from the
    settings now."""
    return {
        "archive": days(settings.ENT_ARCHIVE_DAYS),
        "departure": days(settings.ENT_DEPARTURE_DAYS),
        "notice": days(settings.ENT_DEPARTURE_NOTICE_DAYS),
        "audit": days(settings.ENT_AUDIT_LOG_DAYS),
        "import": days(settings.ENT_IMPORT_DAYS),
        "session": in_words(settings.SESSION_COOKIE_AGE),
        "lockout": in_words(settings.AXES_COOLOFF_TIME),
        "invitation": days(settings.INVITATION_DAYS),
        "invitation_code": days(settings.INVITATION_CODE_DAYS),
        "password_reset": in_words(settings.PASSWORD_RESET_TIMEOUT),
        "pending_upload": days(1),
    }


def build_register():
    """The register entry as it stands with the current settings, in the
    active language."""
    p = periods()
    with_account = _("With the account.")
    training_kept = _(
        "With the account: a teacher's hours are read over their career "
        "(attestations, a past school year's count). Deleted with the account, "
        "or with the session."
    )
    archived_news = (
        _(
            "The news of last year's classes is deleted %(archive)s after the new "
            "school year opens."
        )
        % p
    )
    return Register(
        name=_("Digital workspace (ENT) of the district's public schools"),
        controller=Fact(
            "ENT_CONTROLLER_NAME",
            settings.ENT_CONTROLLER_NAME,
            _(
                "The academic director of the national education services "
                "(DASEN) of the department, for the district."
            ),
        ),
        controller_address=Fact(
            "ENT_CONTROLLER_ADDRESS",
            settings.ENT_CONTROLLER_ADDRESS,
            _("Write to the district office (see the « Contact » page)."),
        ),
        dpo=Fact(
            "ENT_DPO_CONTACT",
            settings.ENT_DPO_CONTACT,
            _(
                "The academy's data protection officer can be reached through "
                "the district office (see the « Contact » page)."
            ),
        ),
        hosting=Fact(
            "ENT_HOSTING",
            settings.ENT_HOSTING,
            _("The host chosen by the district's education services."),
        ),
        legal_basis=[
            _(
                "A task carried out in the public interest (RGPD, article 6.1.e): "
                "the arrêté of 30 November 2006 as amended, creating the digital "
                "workspaces (ENT) of the national education."
            ),
            _(
                "For photos of pupils: their family's consent (RGPD, article "
                "6.1.a), given or withdrawn at any time for each school year."
            ),
        ],
        purposes=[
            _(
                "Publishing the news of the district, its schools and classes to "
                "the people they are addressed to (the class's home-school "
                "notebook)."
            ),
            _(
                "Telling each person what is addressed to them (« Mon fil », "
                "e-mails) and collecting read acknowledgements."
            ),
            _("Sharing teaching resources between the district's teachers."),
            _(
                "Publishing the agenda of the district, its schools and classes, "
                "on the site and as calendar feeds."
            ),
            _(
                "Organising the pedagogical advisers' training sessions: "
                "registrations, waiting list, attendance, the hours each teacher "
                "owes in a school year (18), and an anonymous feedback form."
            ),
            _(
                "Showing photos of pupils only where their families consent, and "
                "keeping the record of those consents."
            ),
            _(
                "Managing accounts and access each school year: arrivals, class "
                "changes, departures."
            ),
            _(
                "Keeping the service secure: logins, protection against password "
                "guessing, a log of changes to personal data."
            ),
        ],
        people=[
            People(
                "families",
                _("Families"),
                _("Parents and legal guardians of pupils who have an account."),
                [
                    Holding(
                        _(
                            "Account: username, first and last name, e-mail "
                            "address, password (hashed: nobody can read it), "
                            "dates of creation and of last login."
                        ),
                        _(
                            "Until the account is deleted: %(departure)s after "
                            "their last child leaves the district (an e-mail "
                            "warns them %(notice)s before), or when they ask for "
                            "erasure."
                        )
                        % p,
                        _(
                            "The family; the director of each of their children's "
                            "schools; the district team."
                        ),
                    ),
                    Holding(
                        _("Their children and the classes and schools they follow."),
                        _(
                            "With the account; access to a class and its school "
                            "ends as soon as the child leaves it."
                        ),
                        _("The family; the director of the school; the district team."),
                    ),
                    Holding(
                        _(
                            "News items addressed to them, which they have opened "
                            "and acknowledged, and when; whether the e-mail about "
                            "them was sent."
                        ),
                        f"{with_account} {archived_news}",
                        _(
                            "The family; for acknowledgements, the author of the "
                            "news item, the director of the school and the "
                            "district team."
                        ),
                    ),
                    Holding(
                        _("Their choice of e-mails (at once, daily digest, never)."),
                        with_account,
                        _("The family."),
                    ),
                    Holding(
                        _(
                            "Invitation: when the activation e-mail was sent and "
                            "the login sheet printed, and its one-time code "
                            "(hashed)."
                        ),
                        _(
                            "The activation link works for %(invitation)s, the "
                            "code of a login sheet for %(invitation_code)s; the "
                            "record goes with the account."
                        )
                        % p,
                        _("The director of the school; the district team."),
                    ),
                    Holding(
                        _("ÉduConnect identifier, when it is linked to the account."),
                        with_account,
                        _("The district team."),
                    ),
                ],
            ),
            People(
                "pupils",
                _("Pupils"),
                _("Children in a class of the district. They have no account."),
                [
                    Holding(
                        _(
                            "First name, initial of the family name, class, and "
                            "the family accounts that follow them."
                        ),
                        _(
                            "While the pupil is in the district; deleted "
                            "%(departure)s after they leave, with their family's "
                            "account."
                        )
                        % p,
                        _(
                            "Their family; the teachers of their class; the "
                            "director of their school; the district team."
                        ),
                    ),
                    Holding(
                        _(
                            "A keyed fingerprint of the identity ONDE gives, from "
                            "which nothing can be read back: it lets the next ONDE "
                            "import find the pupil again. Nothing else of ONDE is "
                            "kept."
                        ),
                        _("With the pupil."),
                        _("Nobody: it is only compared during an import."),
                    ),
                    Holding(
                        _(
                            "Image consents, for the ENT and for the public web, "
                            "for each school year, with who recorded each "
                            "decision and when."
                        ),
                        _(
                            "A consent holds for the school year it was given "
                            "for and is asked again each year; the history of "
                            "decisions is kept with the pupil."
                        ),
                        _(
                            "Their family; the director of their school; the "
                            "district team; the teachers of their class learn "
                            "whether a photo they publish is covered."
                        ),
                    ),
                    Holding(
                        _(
                            "Photos on which they are named, so that a photo is "
                            "shown only where every family named consents. "
                            "Location and camera data are removed from every "
                            "photo."
                        ),
                        _(
                            "Photos come off the pages as soon as a consent no "
                            "longer covers them; the pupil's name comes off the "
                            "photos when the pupil is deleted. %(archived)s"
                        )
                        % {"archived": archived_news},
                        _(
                            "The photo: the readers of the page it is on. The "
                            "names: the teachers of the class, the director and "
                            "the district team."
                        ),
                    ),
                    Holding(
                        _(
                            "The ONDE file of the school (pupils and their "
                            "guardians), and the preview of its import: first "
                            "names, initials, classes, guardians' names."
                        ),
                        _(
                            "The file is deleted as soon as the import has run; "
                            "the preview, and the file of an import never run, "
                            "%(import)s after the upload."
                        )
                        % {"import": p["import"]},
                        _("The director of the school; the district team."),
                    ),
                ],
            ),
            People(
                "staff",
                _("School staff"),
                _("Directors and teachers of the district's schools."),
                [
                    Holding(
                        _(
                            "Account: username, first and last name, e-mail "
                            "address, password (hashed), dates of creation and "
                            "of last login; the académie directory's identifier "
                            "when it is linked."
                        ),
                        _(
                            "Until the account is deleted: %(departure)s after "
                            "leaving the district, once their pages have been "
                            "handed over."
                        )
                        % p,
                        _(
                            "The person; the director of their school; the "
                            "district team."
                        ),
                    ),
                    Holding(
                        _("Their school and classes, and their role in them."),
                        with_account,
                        _(
                            "The director of their school; the district team; a "
                            "class's teachers are named on the class's page to "
                            "its readers."
                        ),
                    ),
                    Holding(
                        _(
                            "The pages, news items, photos and resources they "
                            "write, with the history of their changes (who, "
                            "when)."
                        ),
                        _(
                            "As long as the content is kept. %(archived)s Files "
                            "uploaded whose form was never completed are deleted "
                            "after %(pending)s."
                        )
                        % {"archived": archived_news, "pending": p["pending_upload"]},
                        _(
                            "The readers of each page, as its audience allows; "
                            "the history: its editors and the district team."
                        ),
                    ),
                    Holding(
                        _(
                            "As for families: news items addressed to them, "
                            "read marks, acknowledgements, choice of e-mails."
                        ),
                        f"{with_account} {archived_news}",
                        _(
                            "The person; for acknowledgements, the author of the "
                            "news item, the director and the district team."
                        ),
                    ),
                    Holding(
                        _(
                            "Training sessions: those they registered for or wait "
                            "a place in, and when they registered."
                        ),
                        training_kept,
                        _("The person; the district team, who runs the sessions."),
                    ),
                    Holding(
                        _(
                            "Attendance at each date of a session (who marked it, "
                            "when), the hours it counts, and the hours of outside "
                            "trainings they declare with the decision of a "
                            "pedagogical adviser (who, when, why): their hours of "
                            "the school year against the 18 due."
                        ),
                        training_kept,
                        _(
                            "The person (their own hours); the director of their "
                            "school (the hours of its teachers); the district team "
                            "(everyone's)."
                        ),
                    ),
                    Holding(
                        _(
                            "Reminders of the hours still due, e-mailed by their "
                            "director or the district team: when the last one was "
                            "sent."
                        ),
                        _("A week: it keeps the next reminder from coming sooner."),
                        _(
                            "The person; the director of their school; the "
                            "district team."
                        ),
                    ),
                    Holding(
                        _(
                            "The feedback form of a session, anonymous: the ENT "
                            "keeps that they answered (so that they answer once), "
                            "and keeps the answer (a rating, two optional texts) "
                            "without their name. The answers are shown to the "
                            "team all at once, when the form closes two weeks "
                            "after it is sent, and only if three participants "
                            "or more answered."
                        ),
                        _(
                            "With the session. Deleting the account deletes that "
                            "they answered, not the anonymous answer."
                        ),
                        _(
                            "The district team reads the answers without knowing "
                            "who gave them; nobody can tell."
                        ),
                    ),
                ],
            ),
            People(
                "team",
                _("District team"),
                _(
                    "The inspector (IEN), the pedagogical advisers (CPC, ERUN) "
                    "and the site's administrators."
                ),
                [
                    Holding(
                        _(
                            "Account: username, first and last name, e-mail "
                            "address, password (hashed), dates of creation and "
                            "of last login."
                        ),
                        _("While in office; deleted by an administrator after."),
                        _("The district team."),
                    ),
                    Holding(
                        _("What they write and change, as for school staff."),
                        _("As long as the content is kept."),
                        _("The readers of each page, as its audience allows."),
                    ),
                ],
            ),
            People(
                "everyone",
                _("Everyone who logs in"),
                _("Each person with an account, whatever their role."),
                [
                    Holding(
                        _(
                            "The session: a cookie keeping you logged in, and a "
                            "security cookie for forms. No audience measurement, "
                            "no advertising cookie."
                        ),
                        _("%(session)s at most, or until you log out.") % p,
                        _("Nobody: only the server reads it."),
                    ),
                    Holding(
                        _(
                            "Failed logins: the username typed, the network (IP) "
                            "address, the browser and the time. Successful logins "
                            "are not recorded."
                        ),
                        _("%(lockout)s after the last failure.") % p,
                        _("The district team (locked logins)."),
                    ),
                    Holding(
                        _(
                            "The secret address of your personal calendar (an "
                            "iCal feed of the events you may see), if you asked "
                            "for one. Resetting it stops the old address at once."
                        ),
                        with_account,
                        _(
                            "Whoever you give the address to; nobody can guess "
                            "it, and the download of your data says only whether "
                            "it exists."
                        ),
                    ),
                    Holding(
                        _(
                            "A « Mot de passe oublié » link, sent by e-mail and "
                            "never stored."
                        ),
                        _("It works once, for %(password_reset)s.") % p,
                        _("The person it is sent to."),
                    ),
                    Holding(
                        _(
                            "The audit log: who gave or withdrew a consent, "
                            "changed a membership or an audience, ran an import "
                            "or the new school year, asked for or confirmed an "
                            "erasure, when and why."
                        ),
                        _(
                            "%(audit)s after the change; the history of each "
                            "page (who edited or published it) stays as long as "
                            "the page."
                        )
                        % p,
                        _("The district team."),
                    ),
                ],
            ),
        ],
        recipients=[
            _(
                "Each news item reaches only the people its author addressed it "
                "to: everyone (public), the community of a class or school "
                "(its families and staff), its staff, or its directors; never "
                "more people than the page above it."
            ),
            _(
                "A family sees its own children; the teachers of a class see its "
                "pupils; the director of a school sees its members, pupils and "
                "consents; the district team sees everything, to run the ENT."
            ),
            _(
                "Training hours: each teacher sees their own; the director of a "
                "school those of its teachers; the district team everyone's."
            ),
            _(
                "No data is sold, lent or passed on to anyone else: no "
                "advertising, no audience measurement, nothing loaded from "
                "another site."
            ),
            _("E-mails are sent through the mail server of the site's host."),
        ],
        security=[
            _("Every page is served over an encrypted connection (HTTPS)."),
            _(
                "Passwords are hashed and follow the CNIL's rules; after "
                "%(limit)s failed logins, logging in is refused for %(lockout)s."
            )
            % {"limit": settings.AXES_FAILURE_LIMIT, "lockout": p["lockout"]},
            _(
                "Photos and documents are stored where no web server serves "
                "them: each download checks who is asking."
            ),
            _("Location and camera data are removed from every photo."),
            _("School staff reach only the administration screens their work needs."),
            _("Changes to personal data are logged and read by the district team."),
        ],
        rights=[
            _(
                "Right of access: download everything the ENT holds about you "
                "and your children from « Mon compte » › « Télécharger mes "
                "données »."
            ),
            _(
                "Right to erasure: « Mon compte » › « Demander l'effacement »; "
                "once the district team confirms it, your account is deleted and "
                "your children's names are taken off the photos."
            ),
            _(
                "Photos: give or withdraw your consent at any time in « Mon "
                "compte »; the photos concerned come off the pages at once."
            ),
            _(
                "Right to rectification: ask the director of your child's school "
                "or the district team."
            ),
            _(
                "Rights to restriction and to object: write to the data "
                "protection officer."
            ),
        ],
        complaint=_(
            "If you think your rights are not respected, you may lodge a complaint "
            "with the CNIL (Commission nationale de l'informatique et des "
            "libertés, www.cnil.fr)."
        ),
        periods=p,
    )
