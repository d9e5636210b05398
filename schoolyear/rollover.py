"""Opening a new school year in one school: the plan the preview shows,
then its application.

The new year's classes are made from the school's new ONDE file (its class
labels name each pupil's class for the new year) or by copying last year's
classes (same titles and levels; the pupils are then placed by the ONDE file
later). Pupils are found again as the ONDE import finds them (the keyed hash
of their names and date of birth, else their first name and initial); their
families follow them; the teachers of last year's class of the same title
teach the new one; pupils of last year missing from the new file leave
(``departures.access.pupil_left``); last year's classes are archived.

Everything is matched, never assumed: a class by its title and school year,
a membership by its row. Applying the same plan twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from accounts.models import Membership
from audit.log import because, record
from departures.access import pupil_left
from onboarding.matching import pupil_key
from onboarding.onde import normalise
from pupils.models import Pupil
from schools.models import ClassroomPage, Level, current_school_year
from schoolyear.archive import archive_class, news_count
from schoolyear.models import Rollover


def next_school_year(year=None):
    first = int((year or current_school_year())[:4]) + 1
    return f"{first}-{first + 1}"


def opens_from(year):
    """The first day ``year`` may be opened: 1 July of its first calendar
    year, when the year in progress is over (before, its classes would be
    archived and its leavers' families cut off in the middle of the year)."""
    return datetime.date(int(year[:4]), 7, 1)


def previous_school_year(year):
    first = int(year[:4]) - 1
    return f"{first}-{first + 1}"


@dataclass
class NewClass:
    """A class of the new year: to create, or created by a first run."""

    title: str
    levels: list
    source: ClassroomPage | None = None
    page: ClassroomPage | None = None
    teachers: list = field(default_factory=list)
    arrivals: int = 0

    @property
    def key(self):
        return normalise(self.title)


@dataclass
class Move:
    pupil: Pupil
    to: NewClass
    families: list


@dataclass
class Departure:
    pupil: Pupil
    families: list
    # The families with no other child staying in the school: their access
    # to it ends with this departure.
    leaving: list


class SchoolPlan:
    """What opening ``year`` in ``school`` would do, classes made from
    ``source`` (``Rollover.Source``) and, for ONDE, the file ``onde_file``
    (``onboarding.onde.OndeFile``). Reads only."""

    def __init__(self, school, year, source, onde_file=None):
        self.school, self.year, self.source = school, year, source
        self.problems = list(onde_file.problems) if onde_file else []
        rooms = list(ClassroomPage.objects.child_of(school).order_by("path"))
        self.current = {normalise(r.title): r for r in rooms if r.school_year == year}
        older = sorted(
            (r for r in rooms if r.school_year < year),
            key=lambda room: (room.school_year, room.path),
        )
        # Last year's class of each title (the latest year wins).
        self.sources = {normalise(room.title): room for room in older}
        self.to_archive = [room for room in older if room.archived_on is None]
        self.classes = {}
        self.moves, self.departures = [], []
        self.staying = 0
        if source == Rollover.Source.COPY:
            self.copy_structure()
        elif onde_file is not None:
            self.read_rows(onde_file.rows, older)
        self.find_teachers()

    # Classes

    def new_class(self, title, levels=()):
        title = " ".join(title.split())[:255]
        key = normalise(title)
        if key not in self.classes:
            source = self.sources.get(key)
            self.classes[key] = NewClass(
                title=title,
                levels=list(levels) or (list(source.levels.all()) if source else []),
                source=source,
                page=self.current.get(key),
            )
        return self.classes[key]

    def copy_structure(self):
        for room in self.to_archive:
            self.new_class(room.title, room.levels.all())

    def find_teachers(self):
        sources = [c.source for c in self.classes.values() if c.source]
        taught = Membership.objects.filter(
            role=Membership.Role.TEACHER, classroom__in=sources
        ).select_related("user")
        already = set(
            Membership.objects.filter(
                role=Membership.Role.TEACHER,
                classroom__in=[c.page for c in self.classes.values() if c.page],
            ).values_list("user_id", "classroom_id")
        )
        for new in self.classes.values():
            for membership in taught:
                if membership.classroom_id != getattr(new.source, "pk", None):
                    continue
                if new.page and (membership.user_id, new.page.pk) in already:
                    continue
                new.teachers.append(membership.user)

    # Pupils, from the ONDE file

    def read_rows(self, rows, older):
        levels = {level.code.upper(): level for level in Level.objects.all()}
        rooms = [*older, *self.current.values()]
        pool = list(
            Pupil.objects.filter(classroom__in=rooms, left_on__isnull=True)
            .select_related("classroom")
            .prefetch_related("families")
        )
        by_key, unkeyed = {}, {}
        for pupil in pool:
            if pupil.match_key:
                by_key[pupil.match_key] = pupil
            else:
                name = (normalise(pupil.first_name), pupil.last_initial.upper())
                unkeyed.setdefault(name, []).append(pupil)
        seen, matched = set(), set()
        for row in rows:
            level = levels.get(row.level.strip().upper())
            new = self.new_class(row.class_label, [level] if level else [])
            if level and level not in new.levels:
                new.levels.append(level)
            key = pupil_key(row)
            if key in seen:
                continue
            seen.add(key)
            pupil = by_key.get(key)
            if pupil is None:
                name = (
                    normalise(" ".join(row.pupil_first_name.split())),
                    row.pupil_last_name.strip()[:1].upper(),
                )
                fits = unkeyed.get(name, [])
                pupil = fits.pop() if len(fits) == 1 else None
            if pupil is None or pupil.pk in matched:
                # A new pupil: created by the ONDE import with their family.
                new.arrivals += 1
                continue
            matched.add(pupil.pk)
            if new.page and pupil.classroom_id == new.page.pk:
                self.staying += 1
                continue
            self.moves.append(Move(pupil, new, list(pupil.families.all())))
        current_ids = {room.pk for room in self.current.values()}
        gone = [
            pupil
            for pupil in pool
            if pupil.pk not in matched and pupil.classroom_id not in current_ids
        ]
        gone_ids = {pupil.pk for pupil in gone}
        for pupil in gone:
            families = list(pupil.families.all())
            leaving = [
                family
                for family in families
                if not Pupil.objects.filter(
                    families=family,
                    left_on__isnull=True,
                    classroom__in=rooms,
                )
                .exclude(pk__in=gone_ids)
                .exists()
            ]
            self.departures.append(Departure(pupil, families, leaving))

    # What the preview shows

    @property
    def is_empty(self):
        return not (
            self.to_create
            or self.moves
            or self.departures
            or self.to_archive
            or any(new.teachers for new in self.classes.values())
        )

    @property
    def to_create(self):
        return [new for new in self.classes.values() if new.page is None]

    def archives(self):
        return [(room, news_count(room)) for room in self.to_archive]

    def counts(self):
        return {
            "classes_created": len(self.to_create),
            "teachers_assigned": sum(len(c.teachers) for c in self.classes.values()),
            "pupils_moved": len(self.moves),
            "pupils_staying": self.staying,
            "pupils_arriving": sum(c.arrivals for c in self.classes.values()),
            "pupils_leaving": len(self.departures),
            "classes_archived": len(self.to_archive),
        }

    # Applying

    def apply(self, by, today=None):
        """Write the plan in one transaction, in ``by``'s name. Refused while
        the file has problems."""
        if self.problems:
            raise ValueError("A plan with problems cannot be applied.")
        today = today or datetime.date.today()
        # Counted before: the classes it creates are no longer "to create".
        counts = self.counts()
        reason = _("Opening of the school year %(year)s") % {"year": self.year}
        with transaction.atomic(), because(reason, by):
            # Departures first: a family keeps last year's class of a child
            # who stays (their membership to it is not the one that ends).
            for departure in self.departures:
                pupil_left(
                    departure.pupil,
                    by=by,
                    on=today,
                    reason=_("Not in the ONDE file of %(year)s") % {"year": self.year},
                )
            for new in self.classes.values():
                if new.page is None:
                    new.page = self.create_class(new, by)
                for teacher in new.teachers:
                    self.join(teacher, Membership.Role.TEACHER, new.page)
            for move in self.moves:
                move.pupil.classroom = move.to.page
                move.pupil.save(update_fields=["classroom"])
                for family in move.families:
                    self.join(family, Membership.Role.FAMILY, move.to.page)
            for room in self.to_archive:
                archive_class(room, by=by, on=today)
            record(
                self.school, "ent.rollover.applied", user=by, year=self.year, **counts
            )
        return counts

    def create_class(self, new, by):
        source = new.source
        page = ClassroomPage(
            title=new.title,
            slug=self.free_slug(new.title),
            school_year=self.year,
            audience=(
                source.audience
                if source
                else ClassroomPage._meta.get_field("audience").default
            ),
            presentation=source.presentation if source else "",
            owner=by,
        )
        page.levels = new.levels
        self.school.add_child(instance=page)
        log(page, "wagtail.create", user=by)
        return page

    def free_slug(self, title):
        base = slugify(f"{title} {self.year}")[:200] or f"classe-{self.year}"
        taken = set(
            ClassroomPage.objects.child_of(self.school).values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def join(self, user, role, classroom):
        Membership.objects.get_or_create(
            user=user, role=role, school=self.school, classroom=classroom
        )
