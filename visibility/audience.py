"""Audiences (DESIGN §4): who may see a page, read relative to its scope.

A page's audience applies at its *scope*: the district, the school or the class
in whose subtree it sits. Every audience-bearing page on the way from the root
to a page must admit a user for that page to be visible. Because the scopes
nest (district ⊃ school ⊃ class), that is the same as the most restrictive
audience of the chain, read at the deepest scope: the page's *effective
audience*, kept in ``visibility.PageAudience`` (one row per page) so that "which
pages may this user see" is one indexed filter (``visible_pages``), whatever
the number of pages. A page without a row is visible to the team only.

Scopes are stored as the translation keys of the school and class pages, and a
translation takes its source's audience: translations never widen it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

# The name of the group of the district team (provisioned by ``accounts``).
DISTRICT_TEAM_GROUP = "Équipe de circonscription"

# Page models whose ``addressed_to`` ("director", "teacher" or empty) narrows
# district pages to one role; a domain app declares its own in its ``ready()``.
ADDRESSED_BY_ROLE = []


def addressed_by_role(model):
    """Declare ``model`` (a page model with an ``addressed_to`` field) as
    addressed to one role: the visibility rule then reads it."""
    if model not in ADDRESSED_BY_ROLE:
        ADDRESSED_BY_ROLE.append(model)


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
        from visibility.models import PageAudience

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
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from wagtail.coreutils import get_supported_content_language_variant

    from visibility.models import PageAudience

    steplen = Page.steplen
    # Wagtail's default locale (``Locale.get_default``), named by its code
    # so that no statement reads it.
    default_language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    # Within the caller's transaction when there is one (a publication):
    # a failure here fails the caller, no savepoint needed.
    with transaction.atomic(savepoint=False):
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
            .values(
                "pk",
                "path",
                "translation_key",
                "locale_id",
                "content_type_id",
                "audience_info__audience",
            )
        )
        own = {}
        kinds = {}
        keys = {page["translation_key"] for page in pages}
        # Only the page types of the subtree (a translation's source has the
        # type of the translation).
        types = {page["content_type_id"] for page in pages}
        for model in audience_models():
            if ContentType.objects.get_for_model(model).pk not in types:
                continue
            for values in model.objects.filter(
                Q(path__startswith=root.path)
                | Q(translation_key__in=keys, locale__language_code=default_language)
            ).values("pk", "audience", "translation_key", "locale__language_code"):
                own[values["pk"]] = values["audience"]
                kinds[values["pk"]] = model.scope_kind
                if values["locale__language_code"] == default_language:
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

        before = {
            page["path"]: page["audience_info__audience"]
            for page in pages
            if page["audience_info__audience"]
        }
        PageAudience.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["audience", "school_key", "classroom_key"],
            batch_size=1000,
        )
        log_audience_changes(before, rows)


def log_audience_changes(before, rows):
    """Write to the audit log the pages whose effective audience changed
    (``before`` and ``rows``: by path): one entry on the highest page of each
    change, counting the pages below it that changed with it. A new page has
    no audience before: it changes nothing."""
    from audit.log import record

    changed = {
        path: (before[path], row.audience)
        for path, row in rows.items()
        if path in before and before[path] != row.audience
    }
    steplen = Page.steplen
    below = {}
    for path in changed:
        ancestors = (path[:end] for end in range(steplen, len(path), steplen))
        top = next((each for each in ancestors if each in changed), path)
        below[top] = below.get(top, 0) + 1
    for page in Page.objects.filter(path__in=below).specific():
        old, new = changed[page.path]
        count = below[page.path]
        record(
            page,
            "ent.audience.changed",
            pages=count,
            from_label=str(Audience(old).label),
            to_label=str(Audience(new).label),
            **{"from": old, "to": new},
        )


# Who may see what


def is_district_team(user):
    return access_for(user).team


@dataclass
class Access:
    """What a user's memberships open, resolved once per request."""

    user_id: int | None = None
    team: bool = False
    # Whether the user may open the Wagtail admin (its ``access_admin``
    # permission), for the link shown in the header.
    admin: bool = False
    roles: set = field(default_factory=set)
    member_schools: set = field(default_factory=set)
    staff_schools: set = field(default_factory=set)
    directed_schools: set = field(default_factory=set)
    taught_classes: set = field(default_factory=set)
    family_classes: set = field(default_factory=set)
    # Paths closed by Wagtail privacy settings (``closed_paths``).
    closed: list | None = None
    # The filter of ``visible``, built once per request: a page, its news
    # and its events are read with the same one. Never kept with the person
    # in the shared cache (``__getstate__``).
    built: object = field(default=None, repr=False, compare=False)

    def __getstate__(self):
        return {**self.__dict__, "built": None}

    def visible(self):
        """A filter on pages: their ``visibility.PageAudience`` row admits this
        user, and no Wagtail privacy setting closes them to this user (built
        once for this access: Django copies a filter's subqueries when a
        query uses it, so one filter serves every query of the request)."""
        if self.built is None:
            self.built = self.build_visible()
        return self.built

    def build_visible(self):
        """The filter of ``visible``.

        The rows are read in a subquery whose length depends on the kinds of
        memberships, not on their number: each scope key appears in one
        condition (and the schools once more for reserved news)."""
        from visibility.models import PageAudience, PageTarget

        community_or_staff = [Audience.COMMUNITY, Audience.STAFF]
        # District news reserved to some schools reach those schools only,
        # whatever their audience.
        reserved = PageTarget.objects.filter(page_id=OuterRef("page_id"))

        def in_schools(schools):
            if not schools:
                return ~Exists(reserved)
            return ~Exists(reserved) | Exists(reserved.filter(school_key__in=schools))

        for_me = in_schools(self.member_schools)
        # District news addressed to one role: to directors, read by
        # directors only; to teachers, by teachers and directors (of the
        # chosen schools, if any). What is addressed to families is read by
        # everyone its audience admits there, the staff of those schools
        # included, so that they can answer the families.
        # The models are those that declared it (``addressed_by_role``).
        for model in ADDRESSED_BY_ROLE:
            narrowed = model.objects.filter(
                pk=OuterRef("page_id"), addressed_to__in=["director", "teacher"]
            )
            by_role = Q(school_key__isnull=False) | ~Exists(narrowed)
            if self.roles & {"director", "teacher"}:
                by_role |= Exists(narrowed.filter(addressed_to="teacher")) & in_schools(
                    self.staff_schools
                )
            if "director" in self.roles:
                by_role |= Exists(
                    narrowed.filter(addressed_to="director")
                ) & in_schools(self.directed_schools)
            for_me &= by_role
        district = []
        if self.roles:
            district.append(Audience.COMMUNITY)
        if self.roles & {"director", "teacher"}:
            district.append(Audience.STAFF)
        if "director" in self.roles:
            district.append(Audience.DIRECTORS)
        rows = Q(audience=Audience.PUBLIC)
        if district:
            rows |= Q(school_key__isnull=True, audience__in=district)
        rows &= for_me
        # A page without a row yet is visible to nobody but the team.
        if self.directed_schools:
            # A director sees everything of their school and its classes.
            rows |= Q(school_key__in=self.directed_schools)
        # The pages of a school itself (not of its classes): its staff see
        # its community and staff pages, its families its community pages.
        school = Q(classroom_key__isnull=True)
        staff_schools = self.staff_schools - self.directed_schools
        if staff_schools:
            rows |= school & Q(
                school_key__in=staff_schools, audience__in=community_or_staff
            )
        family_schools = self.member_schools - self.staff_schools
        if family_schools:
            rows |= school & Q(
                school_key__in=family_schools, audience=Audience.COMMUNITY
            )
        # The pages of a class: the same for its teachers and its families.
        if self.taught_classes:
            rows |= Q(
                classroom_key__in=self.taught_classes, audience__in=community_or_staff
            )
        family_classes = self.family_classes - self.taught_classes
        if family_classes:
            rows |= Q(classroom_key__in=family_classes, audience=Audience.COMMUNITY)
        # Correlated on the page: a listing is read in date order and stops
        # at a page's worth, and one page is checked by its key alone.
        visible = Q(Exists(PageAudience.objects.filter(rows, page_id=OuterRef("pk"))))
        for path in self.closed_paths():
            visible &= ~Q(path__startswith=path)
        return visible

    def closed_paths(self):
        """Paths of the sections a Wagtail privacy setting closes to this
        user. Audiences are the way to address pages; these settings, if an
        editor uses them anyway, only ever narrow who sees a section, on
        every channel. Usually none exist: then no query is made."""
        if self.closed is None:
            self.closed = (
                list(self.closing_restrictions().values_list("page__path", flat=True))
                if view_restrictions_exist()
                else []
            )
        return self.closed

    def closing_restrictions(self):
        """The Wagtail privacy settings this user does not pass."""
        from wagtail.models import PageViewRestriction

        restrictions = PageViewRestriction.objects.all()
        if self.user_id is None:
            return restrictions
        groups = get_user_model().groups.through.objects.filter(user_id=self.user_id)
        passed = PageViewRestriction.groups.through.objects.filter(
            group_id__in=groups.values("group_id")
        ).values("pageviewrestriction_id")
        return restrictions.exclude(restriction_type=PageViewRestriction.LOGIN).exclude(
            restriction_type=PageViewRestriction.GROUPS, pk__in=passed
        )


def view_restrictions_exist():
    """Whether any Wagtail privacy setting exists, kept with the site's
    structure: saving or deleting one changes the cache's version
    (``visibility.cache``)."""
    from wagtail.models import PageViewRestriction

    from visibility.cache import remember

    return remember("view-restrictions", PageViewRestriction.objects.exists)


def access_for(user):
    """The ``Access`` of ``user``, cached on the user object for the request:
    none for a visitor; for a logged-in person, read with the person
    (``visibility.backends``) or else in one query."""
    cached = getattr(user, "_ent_access", None)
    if cached is not None:
        return cached
    if user.is_authenticated:
        keep_access(user, with_access(get_user_model().objects.filter(pk=user.pk)))
    else:
        user._ent_access = Access()
    return user._ent_access


def with_access(users):
    """``users`` with what opens their access: one row per membership (one
    row without membership), each saying whether the person is in the
    district team and may open the admin."""
    from django.contrib.auth.models import Group, Permission

    admin_permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    return users.annotate(
        in_team=Exists(
            Group.objects.filter(user=OuterRef("pk"), name=DISTRICT_TEAM_GROUP)
        ),
        may_open_admin=Exists(
            admin_permission.filter(
                Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))
            )
        ),
        membership_role=F("memberships__role"),
        membership_school=F("memberships__school__translation_key"),
        membership_classroom=F("memberships__classroom__translation_key"),
    )


def keep_access(user, rows):
    """Resolve the ``Access`` of ``user`` from its rows (``with_access``)
    and keep it on the user object."""
    access = Access(user_id=user.pk)
    for row in rows:
        access.team = user.is_superuser or row.in_team
        access.admin = user.is_superuser or row.may_open_admin
        role, school_key = row.membership_role, row.membership_school
        if role is None:
            continue
        access.roles.add(role)
        access.member_schools.add(school_key)
        if role == "director":
            access.directed_schools.add(school_key)
            access.staff_schools.add(school_key)
        elif role == "teacher":
            access.staff_schools.add(school_key)
            access.taught_classes.add(row.membership_classroom)
        else:
            access.family_classes.add(row.membership_classroom)
    user._ent_access = access


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


def visibility(user):
    """An annotation telling whether ``user`` may read each page of a
    queryset: the same rule as ``visible_pages``, read in the query that
    loads the page."""
    if access_for(user).team:
        return Value(True)
    return Case(
        When(access_for(user).visible(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def visible_pages_for_search(queryset, user):
    """``visible_pages`` in a form search backends accept (they filter on
    indexed fields only, such as the page id)."""
    if access_for(user).team:
        return queryset
    return queryset.filter(pk__in=visible_pages(Page.objects.all(), user).values("pk"))
