"""From the rows of an ONDE extraction to pupils, family accounts and
memberships of one school: the plan the preview shows, then its application.

Stable keys make a second import change nothing: a pupil is found again by a
keyed hash of their family name, first name and date of birth (twins apart),
a guardian by their e-mail address (across schools), else by their name among
the families of their children. Only a first name, an initial and a class
are kept of a pupil.
"""

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Membership
from onboarding.onde import normalise
from pupils.models import Pupil
from schools.models import ClassroomPage

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


def pupil_key(row):
    """The keyed hash finding a pupil again: never the date in clear."""
    message = "|".join(
        (
            "onde-pupil",
            normalise(row.pupil_last_name),
            normalise(row.pupil_first_name),
            row.birth_date.isoformat(),
        )
    )
    return hmac.new(
        settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256
    ).hexdigest()


def guardian_key(row):
    if row.email:
        return ("email", row.email)
    if row.guardian_last_name or row.guardian_first_name:
        return (
            "name",
            normalise(row.guardian_last_name),
            normalise(row.guardian_first_name),
        )
    return None


@dataclass
class PupilPlan:
    key: str
    first_name: str
    last_initial: str
    classroom: ClassroomPage
    lines: list
    guardians: list = field(default_factory=list)
    pupil: Pupil | None = None
    action: str = CREATE

    @property
    def label(self):
        return f"{self.first_name} {self.last_initial}."


@dataclass
class GuardianPlan:
    key: tuple
    first_name: str
    last_name: str
    email: str
    civility: str = ""
    pupils: list = field(default_factory=list)
    user: object = None
    action: str = CREATE

    @property
    def label(self):
        name = " ".join(
            part for part in (self.civility, self.first_name, self.last_name) if part
        )
        return f"{name} ({self.email})" if self.email else name


class Plan:
    """What importing ``onde_file`` into ``school`` would do."""

    def __init__(self, school, onde_file):
        self.school = school
        self.problems = list(onde_file.problems)
        self.pupils = {}
        self.guardians = {}
        self.classrooms = list(ClassroomPage.objects.child_of(school).order_by("path"))
        self.read(onde_file.rows)
        self.match()

    # Reading the rows

    def read(self, rows):
        by_title = {normalise(room.title): room for room in self.classrooms}
        known = ", ".join(f"« {room.title} »" for room in self.classrooms)
        for row in rows:
            classroom = by_title.get(normalise(row.class_label))
            if classroom is None:
                self.problems.append(
                    (
                        row.line,
                        _(
                            "The class « %(label)s » does not exist in %(school)s "
                            "(its classes: %(known)s). Create it, or rename it "
                            "so that it reads as in ONDE, then import again."
                        )
                        % {
                            "label": row.class_label,
                            "school": self.school.title,
                            "known": known or "-",
                        },
                    )
                )
                continue
            key = pupil_key(row)
            plan = self.pupils.get(key)
            if plan is None:
                plan = self.pupils[key] = PupilPlan(
                    key=key,
                    first_name=" ".join(row.pupil_first_name.split())[:60],
                    last_initial=row.pupil_last_name.strip()[0].upper(),
                    classroom=classroom,
                    lines=[],
                )
            elif plan.classroom != classroom:
                self.problems.append(
                    (
                        row.line,
                        _(
                            "%(pupil)s is in « %(class)s » here but in « %(other)s "
                            "» on line %(line)s."
                        )
                        % {
                            "pupil": plan.label,
                            "class": classroom.title,
                            "other": plan.classroom.title,
                            "line": plan.lines[0],
                        },
                    )
                )
                continue
            plan.lines.append(row.line)
            gkey = guardian_key(row)
            if gkey is None:
                continue
            guardian = self.guardians.get(gkey)
            if guardian is None:
                guardian = self.guardians[gkey] = GuardianPlan(
                    key=gkey,
                    first_name=row.guardian_first_name[:150],
                    last_name=row.guardian_last_name[:150],
                    email=row.email,
                    civility=row.civility,
                )
            if key not in guardian.pupils:
                guardian.pupils.append(key)
                plan.guardians.append(gkey)
        self.problems.sort()

    # Matching what exists

    def match(self):
        User = get_user_model()
        existing = Pupil.objects.filter(classroom__in=self.classrooms).prefetch_related(
            "families"
        )
        by_key, unkeyed = {}, defaultdict(list)
        for pupil in existing:
            if pupil.match_key:
                by_key[pupil.match_key] = pupil
            else:
                unkeyed[
                    (normalise(pupil.first_name), pupil.last_initial.upper())
                ].append(pupil)
        for plan in self.pupils.values():
            plan.pupil = by_key.get(plan.key)
            if plan.pupil is None:
                # A pupil entered by hand before: taken over when alone to fit.
                fits = unkeyed.get((normalise(plan.first_name), plan.last_initial), [])
                if len(fits) == 1 and fits[0].classroom_id == plan.classroom.pk:
                    plan.pupil = fits.pop()
        matched = {plan.pupil.pk for plan in self.pupils.values() if plan.pupil}
        self.departed = [pupil for pupil in existing if pupil.pk not in matched]

        emails = [key[1] for key in self.guardians if key[0] == "email"]
        users_by_email = {}
        for user in (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .order_by("pk")
        ):
            users_by_email.setdefault(user.email_lower, user)
        for guardian in self.guardians.values():
            if guardian.key[0] == "email":
                guardian.user = users_by_email.get(guardian.email)
                continue
            for pkey in guardian.pupils:
                pupil = self.pupils[pkey].pupil
                for user in pupil.families.all() if pupil else []:
                    if (normalise(user.last_name), normalise(user.first_name)) == (
                        guardian.key[1:]
                    ):
                        guardian.user = user
        user_ids = [g.user.pk for g in self.guardians.values() if g.user]
        self.memberships = set(
            Membership.objects.filter(
                user_id__in=user_ids, role=Membership.Role.FAMILY, school=self.school
            ).values_list("user_id", "classroom_id")
        )
        for plan in self.pupils.values():
            plan.action = self.pupil_action(plan)
        for guardian in self.guardians.values():
            guardian.action = self.guardian_action(guardian)

    def pupil_action(self, plan):
        pupil = plan.pupil
        if pupil is None:
            return CREATE
        families = {user.pk for user in pupil.families.all()}
        if (
            pupil.classroom_id != plan.classroom.pk
            or pupil.first_name != plan.first_name
            or pupil.last_initial != plan.last_initial
            or pupil.match_key != plan.key
            or any(
                self.guardians[gkey].user is None
                or self.guardians[gkey].user.pk not in families
                for gkey in plan.guardians
            )
        ):
            return UPDATE
        return UNCHANGED

    def guardian_action(self, guardian):
        if guardian.user is None:
            return CREATE
        for pkey in guardian.pupils:
            plan = self.pupils[pkey]
            if plan.action != UNCHANGED or (
                (guardian.user.pk, plan.classroom.pk) not in self.memberships
            ):
                return UPDATE
        return UNCHANGED

    # What the preview shows

    def counts(self):
        counts = {
            "pupils": {CREATE: 0, UPDATE: 0, UNCHANGED: 0},
            "guardians": {CREATE: 0, UPDATE: 0, UNCHANGED: 0},
        }
        for plan in self.pupils.values():
            counts["pupils"][plan.action] += 1
        for guardian in self.guardians.values():
            counts["guardians"][guardian.action] += 1
        counts["guardians_without_email"] = sum(
            1 for guardian in self.guardians.values() if not guardian.email
        )
        counts["departed"] = len(self.departed)
        counts["problems"] = len(self.problems)
        return counts

    def summary(self):
        """The preview, as JSON: no family name of a pupil, no date."""
        pupils = sorted(
            self.pupils.values(),
            key=lambda plan: (plan.classroom.path, normalise(plan.first_name)),
        )
        return {
            "counts": self.counts(),
            "problems": [
                {"line": line, "message": message} for line, message in self.problems
            ],
            "pupils": [
                {
                    "lines": plan.lines,
                    "pupil": plan.label,
                    "class": plan.classroom.title,
                    "moved_from": (
                        plan.pupil.classroom.title
                        if plan.pupil and plan.pupil.classroom_id != plan.classroom.pk
                        else ""
                    ),
                    "action": plan.action,
                    "guardians": [
                        {
                            "name": self.guardians[gkey].label,
                            "action": self.guardians[gkey].action,
                        }
                        for gkey in plan.guardians
                    ],
                }
                for plan in pupils
            ],
            "departed": [
                {"pupil": str(pupil), "class": pupil.classroom.title}
                for pupil in sorted(
                    self.departed, key=lambda pupil: (pupil.classroom.path, str(pupil))
                )
            ],
        }

    # Applying

    def apply(self, progress=None, batch=50):
        """Write the plan, ``batch`` pupils per transaction, calling
        ``progress(done, total)`` after each. Refused while any line has a
        problem. Running it again (or after a crash) finishes the job and
        changes nothing more."""
        if self.problems:
            raise ValueError("An import with problems cannot be applied.")
        todo = list(self.pupils.values())
        names = UsernameMaker()
        for start in range(0, len(todo), batch):
            with transaction.atomic():
                for plan in todo[start : start + batch]:
                    self.apply_pupil(plan, names)
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        if progress and not todo:
            progress(0, 0)

    def apply_pupil(self, plan, names):
        pupil, old_classroom = plan.pupil, None
        if pupil is None:
            pupil = plan.pupil = Pupil.objects.create(
                classroom=plan.classroom,
                first_name=plan.first_name,
                last_initial=plan.last_initial,
                match_key=plan.key,
            )
        elif plan.action == UPDATE:
            if pupil.classroom_id != plan.classroom.pk:
                old_classroom = pupil.classroom_id
            pupil.classroom = plan.classroom
            pupil.first_name = plan.first_name
            pupil.last_initial = plan.last_initial
            pupil.match_key = plan.key
            pupil.save()
        families = {user.pk for user in pupil.families.all()} if plan.pupil else set()
        users = [
            self.guardian_user(self.guardians[gkey], names) for gkey in plan.guardians
        ]
        missing = [user for user in users if user.pk not in families]
        if missing:
            pupil.families.add(*missing)
        for user in users:
            if (user.pk, plan.classroom.pk) not in self.memberships:
                Membership.objects.get_or_create(
                    user=user,
                    role=Membership.Role.FAMILY,
                    school=self.school,
                    classroom=plan.classroom,
                )
                self.memberships.add((user.pk, plan.classroom.pk))
        if old_classroom:
            # The family's membership follows the pupil who moved class.
            for user in pupil.families.all():
                if not Pupil.objects.filter(
                    families=user, classroom_id=old_classroom
                ).exists():
                    Membership.objects.filter(
                        user=user,
                        role=Membership.Role.FAMILY,
                        classroom_id=old_classroom,
                    ).delete()
                    self.memberships.discard((user.pk, old_classroom))

    def guardian_user(self, guardian, names):
        if guardian.user is None:
            user = get_user_model()(
                username=names.make(guardian.first_name, guardian.last_name),
                first_name=guardian.first_name,
                last_name=guardian.last_name,
                email=guardian.email,
                is_active=True,
            )
            # "Not yet activated": the invitation lets them choose one.
            user.set_unusable_password()
            user.save()
            guardian.user = user
        return guardian.user


class UsernameMaker:
    """``prenom.nom``, then ``prenom.nom2``…: unique, from the name."""

    def __init__(self):
        self.taken = set()

    def make(self, first_name, last_name):
        User = get_user_model()
        base = slugify(f"{first_name} {last_name}").replace("-", ".")[:140] or "famille"
        if base not in self.taken:
            self.taken |= set(
                User.objects.filter(username__startswith=base).values_list(
                    "username", flat=True
                )
            )
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate
