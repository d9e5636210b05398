"""Audiences (DESIGN §4): who may see a page, read relative to its scope.

A page's audience applies at its *scope*: the district, the school or the class
in whose subtree it sits. Every audience-bearing page on the way from the root
to a page must admit a user for that page to be visible: the effective audience
is the most restrictive one on the chain, never wider than a parent's.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public: everyone")
    COMMUNITY = "community", _("Community: families and staff")
    STAFF = "staff", _("Staff: teachers and directors")
    DIRECTORS = "directors", _("Directors only")


RANK = {
    Audience.PUBLIC: 0,
    Audience.COMMUNITY: 1,
    Audience.STAFF: 2,
    Audience.DIRECTORS: 3,
}


def most_restrictive(*audiences):
    return max(audiences, key=lambda audience: RANK[audience])


def audience_field(default=Audience.PUBLIC):
    return models.CharField(
        _("audience"),
        max_length=16,
        choices=Audience.choices,
        default=default,
        db_index=True,
        help_text=_(
            "Who may read this page. It can never be seen by more people than "
            "the page it is published under."
        ),
    )


class AudienceMixin(models.Model):
    """A page that carries its own audience (an ``audience_field``), relative
    to its scope."""

    # "school" and "class" pages open a scope for the pages below them.
    scope_kind = None

    class Meta:
        abstract = True

    @property
    def effective_audience(self):
        """The most restrictive audience of this page and its ancestors."""
        audiences = [self.audience]
        for ancestor in self.get_ancestors().specific():
            if isinstance(ancestor, AudienceMixin):
                audiences.append(ancestor.audience)
        return most_restrictive(*audiences)


def audience_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, AudienceMixin)
    ]


def default_audience_under(parent):
    """The audience a new page gets under ``parent`` (news inherit it)."""
    parent = parent.specific
    if isinstance(parent, AudienceMixin):
        return parent.effective_audience
    return Audience.PUBLIC


def only_public(queryset):
    """Restrict a page queryset to pages whose effective audience is public.

    A page is excluded when it, or any of its ancestors, carries a non-public
    audience. The SQL has a fixed size whatever the number of pages.
    """
    for model in audience_models():
        restricted_prefix = model.objects.exclude(audience=Audience.PUBLIC).filter(
            path=Substr(OuterRef("path"), 1, Length("path"))
        )
        queryset = queryset.exclude(Exists(restricted_prefix))
    return queryset


def audience_chain(page):
    """The audience-bearing pages from the root down to ``page`` included."""
    page = page.specific
    chain = [a for a in page.get_ancestors().specific() if isinstance(a, AudienceMixin)]
    if isinstance(page, AudienceMixin):
        chain.append(page)
    return chain


def is_district_team(user):
    from accounts.models import DISTRICT_TEAM_GROUP

    return user.is_superuser or user.groups.filter(name=DISTRICT_TEAM_GROUP).exists()


ADMITTED_ROLES = {
    Audience.COMMUNITY: {"director", "teacher", "family"},
    Audience.STAFF: {"director", "teacher"},
    Audience.DIRECTORS: {"director"},
}


def _admits(audience, school, classroom, memberships):
    """Whether one of ``memberships`` is in ``audience`` at that scope."""
    roles = ADMITTED_ROLES[audience]
    for membership in memberships:
        if membership.role not in roles:
            continue
        if school is None:
            return True
        if membership.school_id != school.pk:
            continue
        if classroom is None or membership.role == "director":
            return True
        if membership.classroom_id == classroom.pk:
            return True
    return False


def can_view(user, page):
    """Whether ``user`` may read ``page``, following the audience table."""
    chain = audience_chain(page)
    if all(node.audience == Audience.PUBLIC for node in chain):
        return True
    if not user.is_authenticated:
        return False
    if is_district_team(user):
        return True
    memberships = list(user.memberships.all())
    school = classroom = None
    for node in chain:
        if node.scope_kind == "school":
            school = node
        elif node.scope_kind == "class":
            classroom = node
        if node.audience != Audience.PUBLIC and not _admits(
            node.audience, school, classroom, memberships
        ):
            return False
    return True


def visible_pages(queryset, user):
    """The pages of ``queryset`` that ``user`` may see in listings, search and
    feeds: the one helper every channel goes through.

    The district team sees everything; everybody else sees pages whose
    effective audience is public. Listing private pages to their members by
    membership is the next step of this helper (page URLs already follow
    ``can_view``).
    """
    if user.is_authenticated and is_district_team(user):
        return queryset
    return only_public(queryset)
