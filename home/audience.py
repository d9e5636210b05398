"""Audiences (DESIGN §4): who may see a page, read relative to its scope.

A page's audience applies at its *scope*: the district, the school or the class
in whose subtree it sits. Every audience-bearing page on the way from the root
to a page must admit a user for that page to be visible. Because the scopes
nest (district ⊃ school ⊃ class), that is the same as the most restrictive
audience of the chain, read at the deepest scope: the page's *effective
audience*, kept in ``home.PageAudience`` (one row per page) so that "which
pages may this user see" is one indexed filter (``visible_pages``), whatever
the number of pages. A page without a row is visible to the team only.

Scopes are stored as the translation keys of the school and class pages, and a
translation takes its source's audience: translations never widen it.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
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
        from home.models import PageAudience

        row = PageAudience.objects.filter(page_id=self.pk).first()
        return Audience(row.audience) if row else Audience(self.audience)


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


# Keeping effective audiences up to date


def refresh_audiences(root):
    """Recompute the effective audience of ``root`` and of every page below
    it, in a fixed number of queries.

    Every page gets a row: a page without an audience of its own takes its
    parent's. A translation takes its audience from its source page (the
    default locale's page with the same translation key).
    """
    from django.db import transaction

    from wagtail.models import Locale

    from home.models import PageAudience

    steplen = Page.steplen
    with transaction.atomic():
        parent_path = root.path[:-steplen]
        inherited = {
            row.page.path: row
            for row in PageAudience.objects.select_for_update()
            .filter(
                page__path__in=[
                    parent_path[:end]
                    for end in range(steplen, len(parent_path) + 1, steplen)
                ]
            )
            .select_related("page")
        }
        pages = list(
            Page.objects.filter(path__startswith=root.path)
            .order_by("path")
            .values("pk", "path", "translation_key", "locale_id")
        )
        own = {}
        kinds = {}
        keys = {page["translation_key"] for page in pages}
        default_locale = Locale.get_default().pk
        for model in audience_models():
            for values in model.objects.filter(
                Q(path__startswith=root.path)
                | Q(translation_key__in=keys, locale_id=default_locale)
            ).values("pk", "audience", "translation_key", "locale_id"):
                own[values["pk"]] = values["audience"]
                kinds[values["pk"]] = model.scope_kind
                if values["locale_id"] == default_locale:
                    own[values["translation_key"]] = values["audience"]

        rows = {}
        for page in pages:
            parent = None
            path = page["path"][:-steplen]
            while path and parent is None:
                parent = rows.get(path) or inherited.get(path)
                path = path[:-steplen]
            audience = own.get(page["translation_key"], own.get(page["pk"]))
            row = PageAudience(
                page_id=page["pk"],
                audience=audience or Audience.PUBLIC,
                school_key=parent.school_key if parent else None,
                classroom_key=parent.classroom_key if parent else None,
            )
            if parent:
                row.audience = most_restrictive(row.audience, parent.audience)
            if kinds.get(page["pk"]) == "school":
                row.school_key, row.classroom_key = page["translation_key"], None
            elif kinds.get(page["pk"]) == "class":
                row.classroom_key = page["translation_key"]
            rows[page["path"]] = row

        PageAudience.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["audience", "school_key", "classroom_key"],
            batch_size=1000,
        )


# Who may see what


def is_district_team(user):
    return access_for(user).team


@dataclass
class Access:
    """What a user's memberships open, resolved once per request."""

    team: bool = False
    roles: set = field(default_factory=set)
    member_schools: set = field(default_factory=set)
    staff_schools: set = field(default_factory=set)
    directed_schools: set = field(default_factory=set)
    taught_classes: set = field(default_factory=set)
    family_classes: set = field(default_factory=set)
    # Sections closed by a Wagtail privacy setting this user does not pass.
    closed_paths: list = field(default_factory=list)

    def visible(self):
        """A filter on ``home.PageAudience`` rows (``audience_info__…``)."""
        from home.models import PageTarget

        # District news reserved to some schools reach those schools only,
        # whatever their audience.
        reserved = PageTarget.objects.values("page_id")
        for_me = ~Q(pk__in=reserved)
        if self.member_schools:
            for_me |= Q(pk__in=reserved.filter(school_key__in=self.member_schools))
        # A page without a row yet is visible to nobody but the team.
        allowed = Q(audience_info__audience=Audience.PUBLIC) & for_me
        district = Q(audience_info__school_key__isnull=True) & for_me
        school = Q(audience_info__classroom_key__isnull=True)

        def audience(value):
            return Q(audience_info__audience=value)

        if self.roles:
            allowed |= district & audience(Audience.COMMUNITY)
        if self.roles & {"director", "teacher"}:
            allowed |= district & audience(Audience.STAFF)
        if "director" in self.roles:
            allowed |= district & audience(Audience.DIRECTORS)
            # A director sees everything of their school and its classes.
            allowed |= Q(audience_info__school_key__in=self.directed_schools)
        if self.member_schools:
            allowed |= (
                school
                & audience(Audience.COMMUNITY)
                & Q(audience_info__school_key__in=self.member_schools)
            )
        if self.staff_schools:
            allowed |= (
                school
                & audience(Audience.STAFF)
                & Q(audience_info__school_key__in=self.staff_schools)
            )
        if self.taught_classes | self.family_classes:
            allowed |= audience(Audience.COMMUNITY) & Q(
                audience_info__classroom_key__in=self.taught_classes
                | self.family_classes
            )
        if self.taught_classes:
            allowed |= audience(Audience.STAFF) & Q(
                audience_info__classroom_key__in=self.taught_classes
            )
        for path in self.closed_paths:
            allowed &= ~Q(path__startswith=path)
        return allowed


def access_for(user):
    """The ``Access`` of ``user``, cached on the user object for the request."""
    cached = getattr(user, "_ent_access", None)
    if cached is not None:
        return cached
    from accounts.models import DISTRICT_TEAM_GROUP, Membership

    access = Access()
    group_ids = set()
    if user.is_authenticated:
        groups = dict(user.groups.values_list("pk", "name"))
        group_ids = set(groups)
        access.team = user.is_superuser or DISTRICT_TEAM_GROUP in groups.values()
        memberships = Membership.objects.filter(user=user).values_list(
            "role", "school__translation_key", "classroom__translation_key"
        )
        for role, school_key, classroom_key in memberships:
            access.roles.add(role)
            access.member_schools.add(school_key)
            if role == "director":
                access.directed_schools.add(school_key)
                access.staff_schools.add(school_key)
            elif role == "teacher":
                access.staff_schools.add(school_key)
                access.taught_classes.add(classroom_key)
            else:
                access.family_classes.add(classroom_key)
    if not access.team:
        access.closed_paths = closed_sections(user, group_ids)
    user._ent_access = access
    return access


def closed_sections(user, group_ids):
    """Paths of the sections a Wagtail privacy setting closes to ``user``.
    Audiences are the way to address pages; these settings, if an editor uses
    them anyway, only ever narrow who sees a section, on every channel."""
    from wagtail.models import PageViewRestriction

    closed = []
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related(
        "groups"
    )
    for restriction in restrictions:
        if user.is_authenticated and (
            restriction.restriction_type == PageViewRestriction.LOGIN
            or (
                restriction.restriction_type == PageViewRestriction.GROUPS
                and group_ids & {group.pk for group in restriction.groups.all()}
            )
        ):
            continue
        closed.append(restriction.page.path)
    return closed


def visible_pages(queryset, user):
    """The pages of ``queryset`` that ``user`` may see: the one helper every
    channel goes through (page URLs, listings, search, feeds, sitemap,
    documents, the admin's page chooser)."""
    access = access_for(user)
    if access.team:
        return queryset
    return queryset.filter(access.visible())


def can_view(user, page):
    """Whether ``user`` may read ``page``."""
    return visible_pages(Page.objects.filter(pk=page.pk), user).exists()


def visible_pages_for_search(queryset, user):
    """``visible_pages`` in a form search backends accept (they filter on
    indexed fields only, such as the page id)."""
    if access_for(user).team:
        return queryset
    return queryset.filter(pk__in=visible_pages(Page.objects.all(), user).values("pk"))
