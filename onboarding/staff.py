"""Staff from the académie's directory, as a simple CSV: name, e-mail,
school UAI, role and classes. The checks of the ONDE reader (encoding,
separator, formulas, size, line problems), a plan to preview, and an apply
that a second run turns into nothing."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Membership
from onboarding.matching import CREATE, UNCHANGED, UPDATE, UsernameMaker
from onboarding.onde import OndeFileError, normalise, read_table
from schools.models import ClassroomPage, SchoolPage

COLUMNS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "Courriel",
    "uai": "UAI",
    "role": "Rôle",
}
OPTIONAL = {"classes": "Classes"}
ROLES = {
    "directeur": Membership.Role.DIRECTOR,
    "directrice": Membership.Role.DIRECTOR,
    "director": Membership.Role.DIRECTOR,
    "enseignant": Membership.Role.TEACHER,
    "enseignante": Membership.Role.TEACHER,
    "professeur des ecoles": Membership.Role.TEACHER,
    "teacher": Membership.Role.TEACHER,
}


def expected_columns_message():
    names = ", ".join(f"« {name} »" for name in [*COLUMNS.values(), "Classes"])
    return _(
        "This is not a staff file. The import expects the columns %(columns)s "
        "(in any order), separated by « ; » or « , »; classes separated by « | »."
    ) % {"columns": names}


def place_label(role, school, room):
    if role == Membership.Role.DIRECTOR:
        return _("Director of %(school)s") % {"school": school.title}
    return _("Teacher of %(class)s (%(school)s)") % {
        "class": room.title,
        "school": school.title,
    }


@dataclass
class Person:
    email: str
    first_name: str
    last_name: str
    lines: list = field(default_factory=list)
    # (role, school, classroom or None)
    places: set = field(default_factory=set)
    user: object = None
    action: str = CREATE


class StaffPlan:
    """What importing the staff file ``data`` would do."""

    def __init__(self, data):
        lines, self.problems = read_table(
            data, COLUMNS, OPTIONAL, expected_columns_message
        )
        self.people = {}
        schools = {school.uai: school for school in SchoolPage.objects.all()}
        classes = {}
        for number, values in lines:
            problem = self.read_line(number, values, schools, classes)
            if problem:
                self.problems.append((number, problem))
        self.problems.sort()
        if not self.people and not self.problems:
            raise OndeFileError(_("The file holds no person."))
        self.match()

    def read_line(self, number, values, schools, classes):
        missing = [COLUMNS[key] for key in COLUMNS if not values[key]]
        if missing:
            return _("Missing value: %(columns)s.") % {
                "columns": ", ".join(f"« {name} »" for name in missing)
            }
        school = schools.get(values["uai"].upper())
        if school is None:
            return _("No school has the UAI %(uai)s.") % {"uai": values["uai"]}
        role = ROLES.get(normalise(values["role"]))
        if role is None:
            return _(
                "The role « %(role)s » is unknown: « directeur » or « enseignant »."
            ) % {"role": values["role"]}
        if school.pk not in classes:
            classes[school.pk] = {
                normalise(room.title): room
                for room in ClassroomPage.objects.child_of(school)
            }
        labels = [
            label.strip()
            for label in values.get("classes", "").split("|")
            if label.strip()
        ]
        rooms = []
        for label in labels:
            room = classes[school.pk].get(normalise(label))
            if room is None:
                return _("The class « %(label)s » does not exist in %(school)s.") % {
                    "label": label,
                    "school": school.title,
                }
            rooms.append(room)
        if role == Membership.Role.TEACHER and not rooms:
            return _("A teacher needs at least one class (column « Classes »).")
        email = values["email"].lower()
        person = self.people.setdefault(
            email,
            Person(
                email=email,
                first_name=values["first_name"][:150],
                last_name=values["last_name"][:150],
            ),
        )
        person.lines.append(number)
        if role == Membership.Role.DIRECTOR:
            person.places.add((role, school, None))
        # A director who teaches has the classes too.
        for room in rooms:
            person.places.add((Membership.Role.TEACHER, school, room))
        return None

    def match(self):
        User = get_user_model()
        users = {}
        for user in (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=list(self.people))
            .order_by("pk")
        ):
            users.setdefault(user.email_lower, user)
        self.existing = set(
            Membership.objects.filter(
                user__in=users.values(),
                role__in=[Membership.Role.DIRECTOR, Membership.Role.TEACHER],
            ).values_list("user_id", "role", "school_id", "classroom_id")
        )
        for person in self.people.values():
            person.user = users.get(person.email)
            if person.user is None:
                person.action = CREATE
            elif self.missing(person):
                person.action = UPDATE
            else:
                person.action = UNCHANGED

    def missing(self, person):
        return [
            (role, school, room)
            for role, school, room in person.places
            if person.user is None
            or (person.user.pk, role, school.pk, room.pk if room else None)
            not in self.existing
        ]

    def counts(self):
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for person in self.people.values():
            counts[person.action] += 1
        counts["problems"] = len(self.problems)
        return counts

    def summary(self):
        """The preview, as JSON, for the admin's page."""
        people = sorted(
            self.people.values(),
            key=lambda person: (normalise(person.last_name), person.email),
        )
        return {
            "counts": self.counts(),
            "problems": [
                {"line": line, "message": message} for line, message in self.problems
            ],
            "people": [
                {
                    "lines": person.lines,
                    "name": f"{person.first_name} {person.last_name}",
                    "email": person.email,
                    "action": person.action,
                    "places": sorted(
                        place_label(role, school, room)
                        for role, school, room in person.places
                    ),
                }
                for person in people
            ],
        }

    def apply(self):
        if self.problems:
            raise ValueError("A staff import with problems cannot be applied.")
        names = UsernameMaker()
        with transaction.atomic():
            for person in self.people.values():
                places = self.missing(person)
                if person.user is None:
                    user = get_user_model()(
                        username=names.make(person.first_name, person.last_name),
                        first_name=person.first_name,
                        last_name=person.last_name,
                        email=person.email,
                    )
                    user.set_unusable_password()
                    user.save()
                    person.user = user
                for role, school, room in places:
                    Membership.objects.get_or_create(
                        user=person.user, role=role, school=school, classroom=room
                    )
