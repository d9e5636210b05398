"""What every page type of the site shares: two of Wagtail's checks made
without the queries they do not need."""

from wagtail.models import Page, PagePermissionTester, PageViewRestriction

# Functions ``(user) -> paths`` of the subtrees that are read-only for
# ``user`` (nobody may add, change, publish or delete there), filled by the
# apps that archive pages (``schoolyear``: last year's classes).
READ_ONLY_RULES = []


class ScopedCopyFormClass:
    """The copy form Wagtail uses for our pages (``pages.moves``), read from
    the page class when the admin asks for it."""

    def __get__(self, instance, owner):
        from pages.moves import ScopedCopyForm

        return ScopedCopyForm


class SitePageMixin:
    """Mixed in every page type of the site, before ``Page``."""

    def get_view_restrictions(self):
        """Wagtail's privacy settings on this page and above it: none, with
        no query, when the page was loaded knowing that the site has none
        (``visibility.routing``)."""
        if getattr(self, "site_has_view_restrictions", True) is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def permissions_for_user(self, user):
        """What ``user`` may do on this page. A row of the explorer, only
        read in its request, keeps its tester: its buttons and columns ask
        for it about thirty times."""
        if not getattr(self, "visible_to_requester", None):
            return AudiencePermissionTester(user, self)
        tester = self.__dict__.get("_ent_permission_tester")
        if tester is None or tester.user is not user:
            tester = self.__dict__["_ent_permission_tester"] = AudiencePermissionTester(
                user, self
            )
        return tester

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        """Wagtail's site root paths, which it reads from the shared cache
        once per page object when asked for an address without the request
        (the explorer's buttons, for each row): kept for the request."""
        from pages.links import request_reader

        if cache_object is None and not kwargs:
            cache_object = request_reader()
        return super()._get_site_root_paths(cache_object, **kwargs)

    def full_clean(self, *args, exclude=None, **kwargs):
        """Wagtail's validation, without asking whether each key of Wagtail's
        own columns (owner, locale, type, revisions…) names a row, nor
        whether the translation key is free in the locale: the database
        refuses a key to nothing and a second translation in a locale, and a
        publication validates the page three times."""
        keys = {
            field.name
            for field in Page._meta.concrete_fields
            if field.many_to_one and getattr(self, field.attname) is not None
        }
        super().full_clean(*args, exclude=keys.union(exclude or ()), **kwargs)

    copy_form_class = ScopedCopyFormClass()


class LeafAwarePermissionTester(PagePermissionTester):
    """Wagtail's permission tester. Whether a page may be deleted or moved
    depends on the pages it would take along, the page itself first: Wagtail
    asks the database, twice for every row of the explorer; the page itself
    often answers (a live page for who may not unpublish, another's page for
    who may only add), and a page without children takes nothing along, so
    the answer is read from the page, with Wagtail's own rule."""

    def can_delete(self, ignore_bulk=False):
        if not self.user.is_active or self.page_is_root or self.user.is_superuser:
            return super().can_delete(ignore_bulk)
        if self.refused_for_the_page_itself():
            return False
        if self.page.numchild:
            return super().can_delete(ignore_bulk)
        return True

    def refused_for_the_page_itself(self):
        """Whether Wagtail's rule refuses deleting the page for the page
        alone, whatever its descendants."""
        if "change" in self.permissions:
            # Without the right to publish, no live page may be taken down.
            return "publish" not in self.permissions and self.page.live
        if "add" in self.permissions:
            # Only one's own pages, and only drafts without the right to publish.
            own = self.page.owner_id == self.user.pk
            return not own or ("publish" not in self.permissions and self.page.live)
        return True

    # Restricted pages stay in their school or class unless the district
    # team moves them (``pages.moves``): Wagtail asks these for every move and
    # copy, single or in bulk, with the destination it is about to use.

    def can_move_to(self, destination):
        from pages.moves import may_take_to

        return super().can_move_to(destination) and may_take_to(
            self.user, self.page, destination
        )

    def can_copy_to(self, destination, recursive=False):
        from pages.moves import may_take_to

        return super().can_copy_to(destination, recursive) and may_take_to(
            self.user, self.page, destination, subtree=recursive
        )


class AudiencePermissionTester(LeafAwarePermissionTester):
    """What a person may do on one page: nothing at all on a page they may
    not see, whatever the groups they are in (a class's teachers and its
    directors-only news)."""

    def __init__(self, user, page):
        from visibility.audience import access_for

        super().__init__(user, page)
        self.hidden = (
            user.is_authenticated
            and not self.page_is_root
            and not access_for(user).team
            # Routed pages and the rows of the explorer are read knowing it.
            and not getattr(page, "visible_to_requester", None)
            and (
                not self.seen(user, page)
                # Those who may publish here read every audience of the place.
                or ("publish" not in self.permissions and self.draft_hidden(user, page))
            )
        )
        if self.hidden or self.read_only(user, page):
            self.permissions = set()

    @staticmethod
    def read_only(user, page):
        """Whether ``page`` is in a read-only subtree for ``user`` (asked once
        per request, like ``seen``)."""
        if not user.is_authenticated or not READ_ONLY_RULES or access_is_team(user):
            return False
        known = user.__dict__.get("_ent_read_only_paths")
        if known is None:
            known = user.__dict__["_ent_read_only_paths"] = [
                path for rule in READ_ONLY_RULES for path in rule(user)
            ]
        return any(page.path.startswith(path) for path in known)

    @staticmethod
    def draft_hidden(user, page):
        return hides_its_draft(user, page)

    @staticmethod
    def seen(user, page):
        """Whether ``user`` may see ``page``, asked once per request (the user
        object lives as long as the request) however many checks ask it."""
        from visibility.audience import can_view

        known = user.__dict__.setdefault("_ent_seen_pages", {})
        if page.pk not in known:
            known[page.pk] = can_view(user, page)
        return known[page.pk]

    def can_edit(self):
        return not self.hidden and super().can_edit()

    def can_view_revisions(self):
        return not self.hidden and super().can_view_revisions()

    def can_lock(self):
        return not self.hidden and super().can_lock()

    def can_unlock(self):
        return not self.hidden and super().can_unlock()

    def can_copy(self):
        return not self.hidden and super().can_copy()


def access_is_team(user):
    from visibility.audience import access_for

    return access_for(user).team


# Drafts: a draft reserved to fewer people than its live page (a director
# narrowing a class's news to directors before rewriting it) is theirs alone.


def admits(access, audience, school_key, classroom_key):
    """Whether ``access`` is among ``audience`` read at the scope of
    ``school_key`` and ``classroom_key`` (DESIGN §4), for staff."""
    from visibility.audience import Audience

    if access.team or audience == Audience.PUBLIC:
        return True
    directs = school_key in access.directed_schools
    if audience == Audience.DIRECTORS:
        return directs if school_key else bool(access.directed_schools)
    if classroom_key:
        if directs or classroom_key in access.taught_classes:
            return True
        return audience == Audience.COMMUNITY and classroom_key in access.family_classes
    if school_key:
        if audience == Audience.STAFF:
            return school_key in access.staff_schools
        return school_key in access.member_schools
    return bool(access.staff_schools) if audience == Audience.STAFF else True


def hides_its_draft(user, page):
    """Whether the unpublished draft of ``page`` is reserved to people
    ``user`` is not among."""
    from visibility.audience import RANK, Audience, access_for
    from visibility.models import PageAudience

    if not page.has_unpublished_changes or page.latest_revision_id is None:
        return False
    draft = page.latest_revision.content.get("audience")
    row = PageAudience.objects.filter(page_id=page.pk).first()
    if draft not in Audience.values or row is None:
        return False
    if RANK[Audience(draft)] <= RANK[Audience(row.audience)]:
        return False
    return not admits(access_for(user), draft, row.school_key, row.classroom_key)
