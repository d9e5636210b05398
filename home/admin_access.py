"""The Wagtail admin, closed by default to school staff (DESIGN §4).

Teachers and directors (anyone but the district team and administrators) reach
only the admin views named in ``STAFF_ADMIN_VIEWS``: every other admin URL,
including any a later Wagtail adds, is a 404 for them. On the views they
reach, every object named by the URL or the query string goes through the
visibility rule (pages) or through "who manages what" (images, documents and
uploads of their collections; pupils and members, scoped by their view sets),
and Wagtail's own page permissions refuse the pages they may not see
(``AudiencePagePermissionPolicy``, ``pages.mixins.AudiencePermissionTester``).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve

from wagtail import hooks
from wagtail.admin import filters as wagtail_filters
from wagtail.admin.auth import require_admin_access
from wagtail.admin.models import popular_tags_for_model as wagtail_popular_tags
from wagtail.admin.views.home import RecentEditsPanel
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.views import chooser as wagtail_image_chooser
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from visibility.audience import (
    access_for,
    can_view,
    is_district_team,
    view_restrictions_exist,
    visible_pages,
)

ADMIN_PREFIX = "/admin/"

# The admin views a teacher or a director may open, by URL name, and why.
STAFF_ADMIN_VIEWS = {
    # Getting in and out, and what every admin page loads.
    "wagtailadmin_home": "the dashboard: their drafts, pages to validate",
    "wagtailadmin_login": "signing in (a signed-in person is sent on)",
    "wagtailadmin_logout": "signing out",
    "wagtailadmin_account": "their own name, password and language",
    "wagtailadmin_javascript_catalog": "the admin's translations for its scripts",
    "wagtail_localize:javascript_catalog": "wagtail-localize's script strings",
    "wagtailadmin_sprite": "the admin's icons",
    "wagtailadmin_dismissibles": "remembering the tips they closed (their own)",
    # Pages: the explorer, and writing and validating news.
    "wagtailadmin_explore_root": "the explorer, opened on their section",
    "wagtailadmin_explore": "the explorer on a page they may edit or above it",
    "wagtailadmin_explore_results": "the explorer's listing (filters, pages)",
    "wagtailadmin_api:pages:listing": "the sidebar's page menu",
    "wagtailadmin_api:pages:detail": "the sidebar's page menu, one page",
    "wagtailadmin_pages:search": "searching the pages they may edit",
    "wagtailadmin_pages:search_results": "the results of that search",
    "wagtailadmin_pages:add_subpage": "choosing the type of a new page",
    "wagtailadmin_pages:add": "writing a news item or a page",
    "wagtailadmin_pages:preview_on_add": "previewing it before saving",
    "wagtailadmin_pages:edit": "editing their pages",
    "wagtailadmin_pages:preview_on_edit": "previewing their changes",
    "wagtailadmin_pages:view_draft": "reading their draft",
    "wagtailadmin_pages:delete": "deleting a page they may delete",
    "wagtailadmin_pages:unpublish": "unpublishing (directors)",
    "wagtailadmin_pages:move": "moving a page within their section",
    "wagtailadmin_pages:move_confirm": "confirming that move",
    "wagtailadmin_pages:copy": "copying a page within their section",
    "wagtailadmin_pages:lock": "locking a page while they work on it",
    "wagtailadmin_pages:unlock": "unlocking it",
    "wagtailadmin_pages:revisions_index": "the revisions of their page",
    "wagtailadmin_pages:revisions_view": "reading one revision",
    "wagtailadmin_pages:revisions_compare": "comparing two revisions",
    "wagtailadmin_pages:revisions_revert": "going back to a revision",
    "wagtailadmin_pages:revisions_unschedule": "cancelling a scheduled publication",
    "wagtailadmin_pages:history": "the history of their page",
    "wagtailadmin_pages:history_results": "that history's listing",
    "wagtailadmin_pages:workflow_history": "the validations of their page",
    "wagtailadmin_pages:workflow_history_detail": "one validation in detail",
    "wagtailadmin_pages:workflow_action": "approving or asking for changes",
    "wagtailadmin_pages:collect_workflow_action_data": "the approval's comment",
    "wagtailadmin_pages:confirm_workflow_cancellation": "withdrawing a submission",
    "wagtailadmin_pages:workflow_preview": "previewing the page to validate",
    "wagtail_bulk_action": "acting on several of their pages or media at once",
    "wagtailadmin_editing_sessions:ping": "warning of someone editing alongside",
    "wagtailadmin_editing_sessions:release": "ending that editing session",
    "wagtailadmin_block_preview": "previews of block types (sample content)",
    # Choosers and autocompletes of the edit forms.
    "wagtailadmin_choose_page": "the link chooser, on the pages they may see",
    "wagtailadmin_choose_page_child": "browsing it",
    "wagtailadmin_choose_page_search": "searching it",
    "wagtailadmin_choose_page_external_link": "linking to an address",
    "wagtailadmin_choose_page_email_link": "linking to an e-mail address",
    "wagtailadmin_choose_page_phone_link": "linking to a telephone number",
    "wagtailadmin_choose_page_anchor_link": "linking to an anchor",
    "wagtailadmin_tag_autocomplete": "suggesting the tags they may see",
    "wagtailadmin_tag_model_autocomplete": "the same, for one kind of tags",
    "wagtailimages_chooser:choose": "choosing an image of their collections",
    "wagtailimages_chooser:choose_results": "its listing",
    "wagtailimages_chooser:chosen": "the chosen image",
    "wagtailimages_chooser:create": "uploading an image from the chooser",
    "wagtaildocs_chooser:choose": "choosing a document of their collections",
    "wagtaildocs_chooser:choose_results": "its listing",
    "wagtaildocs_chooser:chosen": "the chosen document",
    "wagtaildocs_chooser:create": "uploading a document from the chooser",
    # Images and documents of their collections.
    "wagtailimages:index": "the images of their collections",
    "wagtailimages:index_results": "that listing",
    "wagtailimages:add": "uploading an image",
    "wagtailimages:edit": "describing an image (people, consent, credit)",
    "wagtailimages:preview": "the image's preview on its form",
    "wagtailimages:add_multiple": "uploading several images",
    "wagtailimages:edit_multiple": "describing each of them",
    "wagtailimages:create_multiple_from_uploaded_image": "completing an upload",
    "wagtailimages:delete_upload_multiple": "cancelling their own upload",
    "wagtaildocs:index": "the documents of their collections",
    "wagtaildocs:index_results": "that listing",
    "wagtaildocs:add": "uploading a document",
    "wagtaildocs:edit": "describing a document",
    "wagtaildocs:add_multiple": "uploading several documents",
    "wagtaildocs:edit_multiple": "describing each of them",
    "wagtaildocs:create_multiple_from_uploaded_document": "completing an upload",
    "wagtaildocs:delete_upload_multiple": "cancelling their own upload",
    # People: directors manage their school's members and pupils.
    "memberships:index": "the members of their school",
    "memberships:index_results": "that listing",
    "memberships:add": "adding a family or a teacher",
    "memberships:edit": "changing a membership",
    "memberships:delete": "removing one",
    "memberships:history": "a membership's history",
    "memberships:history_results": "that history's listing",
    "memberships:usage": "what refers to a membership",
    "memberships:add_to_class": "adding someone found by name or e-mail to a class",
    "memberships:suggestions": "suggesting the people of their school by name",
    "pupils:index": "the pupils of their school",
    "pupils:index_results": "that listing",
    "pupils:add": "adding a pupil",
    "pupils:edit": "a pupil's class, families and image rights",
    "pupils:delete": "removing a pupil",
    "pupils:history": "a pupil's history",
    "pupils:history_results": "that history's listing",
    "pupils:usage": "what refers to a pupil (photos)",
    "pupils:record_consent": "recording a consent from the pupils listing",
    "departures_pupil_left": "recording that a pupil of their school left it",
    "pupils:consent_history": "who recorded each consent of a pupil, and when",
    # Onboarding a school from ONDE (directors, their school only).
    "onde_index": "the schools they may import pupils and families into",
    "onde_upload": "uploading their school's ONDE extraction",
    "onde_preview": "what the import would create, update or refuse",
    "onde_apply": "applying that import in the background",
    "onde_progress": "the progress of that import",
    "onde_status": "that progress, as JSON for its bar",
    # Read acknowledgements of the news they wrote or direct.
    "acknowledgement_reports": "the news that ask for an acknowledgement",
    "acknowledgement_report": "who has and has not confirmed",
    "acknowledgement_remind": "reminding those who have not",
    "acknowledgement_export": "exporting the list",
    # Invitations: directors invite their school's families and teachers.
    "invitations_index": "who of their school has activated their account",
    "invitations_send_all": "inviting all those of their school not activated",
    "invitations_send_one": "inviting one person of their school again",
    "invitations_print_sheets": "the login sheets of one of their classes",
    # Help.
    "editor_guide": "the editors' guide (docs/guide-editeur.md), the same for all",
}

# URL keywords naming a page, and the views where ``pk`` is a page.
PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id"}
PAGE_PK_VIEWS = {
    "wagtailadmin_pages:revisions_compare",
    "wagtailadmin_api:pages:detail",
}
IMAGE_KWARGS = {"image_id"}
IMAGE_PK_VIEWS = {"wagtailimages_chooser:chosen"}
DOCUMENT_KWARGS = {"document_id", "doc_id"}
DOCUMENT_PK_VIEWS = {"wagtaildocs_chooser:chosen"}


def is_open_to(user):
    """Whether ``user`` has the whole admin: the district team and
    administrators, and visitors (whom Wagtail sends to its login page)."""
    return not user.is_authenticated or is_district_team(user)


# Pages: Wagtail's own permission checks go through the visibility rule.


def visible_or_root(pages, user):
    """``pages`` that ``user`` may see, and the tree's root (no page), as a
    filter on the page id: search backends accept no other (the admin API's
    ``?search=``)."""
    access = access_for(user)
    if access.team:
        return pages
    seen = (
        Page.objects.filter(access.visible() | Q(depth=1))
        .exclude(drafts_hidden_from(access))
        .values("pk")
    )
    return pages.filter(pk__in=seen)


def drafts_hidden_from(access):
    """Pages whose unpublished draft is reserved to directors ``access`` is
    not among (as one short condition; ``hides_its_draft`` judges each page
    opened, for the other audiences too)."""
    hidden = Q(has_unpublished_changes=True) & Q(
        latest_revision__content__audience="directors"
    )
    if access.directed_schools:
        hidden &= ~Q(audience_info__school_key__in=access.directed_schools)
    return hidden


class AudiencePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, narrowed to the pages a person may see: a
    teacher who edits their class does not explore, search or list its
    directors-only news (one page at a time: ``pages.mixins``)."""

    def explorable_instances(self, user):
        """Asked by the explorer's check and by its listing: built once per
        request (the user object lives as long as the request)."""
        known = user.__dict__.get("_ent_explorable_pages")
        if known is None:
            known = user.__dict__["_ent_explorable_pages"] = visible_or_root(
                super().explorable_instances(user), user
            )
        return known.all()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and (instance.depth == 1 or can_view(user, instance))


register_permission_policy(Page, AudiencePagePermissionPolicy(Page))


@hooks.register("construct_explorer_page_queryset")
def only_visible_pages_in_explorer(parent_page, pages, request):
    """The explorer lists only explorable pages, which are visible ones
    (``AudiencePagePermissionPolicy``): it says so to the permission checks
    of each row, which then ask nothing more."""
    if access_for(request.user).team:
        return pages
    return pages.annotate(visible_to_requester=Value(True))


# After Wagtail's own hooks, which add the counts.
@hooks.register("construct_homepage_summary_items", order=1000)
def no_site_counts_for_staff(request, summary_items):
    """The dashboard's counts are of the whole site: the team's only."""
    if not access_for(request.user).team:
        summary_items[:] = []


# Images, documents and uploads: those of the collections they work in.


def media_in_reach(model, user):
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ["change", "choose"])


def check_pages(user, ids):
    ids = {str(pk) for pk in ids}
    if not all(pk.isdigit() for pk in ids):
        raise Http404
    if len(visible_or_root(Page.objects.filter(pk__in=ids), user)) != len(ids):
        raise Http404
    # Wagtail's permission checks ask again (``pages.mixins``): known now.
    user.__dict__.setdefault("_ent_seen_pages", {}).update(
        dict.fromkeys(map(int, ids), True)
    )


def check_media(model, user, ids):
    ids = {str(pk) for pk in ids}
    if not all(pk.isdigit() for pk in ids):
        raise Http404
    if media_in_reach(model, user).filter(pk__in=ids).count() != len(ids):
        raise Http404


def check_belongs_to_page(kwargs, page_id):
    """A revision or a validation named with a page is one of that page's."""
    from wagtail.models import Revision, TaskState, WorkflowState

    page = {"object_id": str(page_id)}
    checks = {
        "revision_id": Revision.page_revisions.filter(**page),
        "workflow_state_id": WorkflowState.objects.filter(**page),
        "task_state_id": TaskState.objects.filter(
            workflow_state__object_id=str(page_id)
        ),
    }
    for key, queryset in checks.items():
        if key in kwargs and not queryset.filter(pk=kwargs[key]).exists():
            raise Http404


def check_upload(user, upload_id):
    from wagtail.models import UploadedFile

    if not UploadedFile.objects.filter(pk=upload_id, uploaded_by_user=user).exists():
        raise Http404


def check_bulk_action(request, match):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    kwargs = match.kwargs
    models = {
        ("wagtailcore", "page"): Page,
        (
            get_image_model()._meta.app_label,
            get_image_model()._meta.model_name,
        ): get_image_model(),
        (
            get_document_model()._meta.app_label,
            get_document_model()._meta.model_name,
        ): get_document_model(),
    }
    model = models.get((kwargs["app_label"], kwargs["model_name"]))
    action_class = bulk_action_registry.get_bulk_action_class(
        kwargs["app_label"], kwargs["model_name"], kwargs["action"]
    )
    if model is None or action_class is None:
        raise Http404
    ids = request.GET.getlist("id")
    if "all" in ids:
        parent = request.GET.get("childOf")
        if model is Page:
            if parent is None or not parent.isdigit():
                raise Http404
            check_pages(request.user, [parent])
        ids = list(
            action_class(request, model).get_all_objects_in_listing_query(parent)
        )
    if not ids:
        raise Http404
    if model is Page:
        check_pages(request.user, ids)
    else:
        check_media(model, request.user, ids)


def check_editing_session(request, match):
    kwargs = match.kwargs
    if "app_label" not in kwargs:
        return  # releasing: Wagtail checks the session is theirs
    try:
        content_type = ContentType.objects.get_by_natural_key(
            kwargs["app_label"], kwargs["model_name"]
        )
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    if model is None or not issubclass(model, Page):
        raise Http404
    check_pages(request.user, [kwargs["object_id"]])


def check_objects(request, match):
    """Every page, image, document or upload the URL names must be within
    the person's reach; otherwise the view does not exist for them."""
    user, name, kwargs = request.user, match.view_name, match.kwargs
    pages = [kwargs[key] for key in PAGE_KWARGS & kwargs.keys()]
    if name in PAGE_PK_VIEWS:
        pages.append(kwargs["pk"])
    if pages:
        check_pages(user, pages)
        check_belongs_to_page(kwargs, pages[0])
    images = [kwargs[key] for key in IMAGE_KWARGS & kwargs.keys()]
    if name in IMAGE_PK_VIEWS:
        images.append(kwargs["pk"])
    if images:
        check_media(get_image_model(), user, images)
    documents = [kwargs[key] for key in DOCUMENT_KWARGS & kwargs.keys()]
    if name in DOCUMENT_PK_VIEWS:
        documents.append(kwargs["pk"])
    if documents:
        check_media(get_document_model(), user, documents)
    if "uploaded_file_id" in kwargs:
        check_upload(user, kwargs["uploaded_file_id"])
    if name == "wagtail_bulk_action":
        check_bulk_action(request, match)
    elif name.startswith("wagtailadmin_editing_sessions:"):
        check_editing_session(request, match)


# Tags: only those used on what the person may see.


def tags_in_reach(user, tags):
    """``tags`` used on a page ``user`` may see, or on an image or a document
    of their collections."""
    from taggit.models import TaggedItem

    if access_for(user).team:
        return tags
    seen = visible_pages(Page.objects.all(), user).values("pk")
    used = Q()
    for relation in tags.model._meta.related_objects:
        through = relation.related_model
        if through is TaggedItem:
            for model in (get_image_model(), get_document_model()):
                used |= Exists(
                    TaggedItem.objects.filter(
                        tag_id=OuterRef("pk"),
                        content_type=ContentType.objects.get_for_model(model),
                        object_id__in=media_in_reach(model, user).values("pk"),
                    )
                )
            continue
        fields = {field.name: field for field in through._meta.get_fields()}
        target = getattr(fields.get("content_object"), "related_model", None)
        if isinstance(target, type) and issubclass(target, Page):
            used |= Exists(
                through.objects.filter(
                    tag_id=OuterRef("pk"), content_object_id__in=seen
                )
            )
    return tags.filter(used) if used else tags.none()


def popular_tags_in_reach(model, count=10):
    """Wagtail's most used tags of images or documents (the tag filter of
    their listings and choosers), counted on the reader's collections only:
    a tag used only in another school is never offered."""
    from taggit.models import Tag, TaggedItem

    from pages.links import reader

    user = reader()
    if access_for(user).team:
        return wagtail_popular_tags(model, count)
    items = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=media_in_reach(model, user).values("pk"),
    )
    return (
        Tag.objects.filter(taggit_taggeditem_items__in=items)
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


# Wagtail offers no hook for these: its modules are given the scoped version.
wagtail_filters.popular_tags_for_model = popular_tags_in_reach
wagtail_image_chooser.popular_tags_for_model = popular_tags_in_reach


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete (``wagtail.admin.views.tags``), suggesting
    only the tags of what the person may see."""
    from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT

    from taggit.models import Tag, TagBase

    tag_model = Tag
    if app_name and model_name:
        try:
            content_type = ContentType.objects.get_by_natural_key(app_name, model_name)
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        tag_model = content_type.model_class()
        if tag_model is None or not issubclass(tag_model, TagBase):
            raise Http404
    term = request.GET.get("term", "")
    tags = tag_model.objects.none()
    if term:
        tags = tags_in_reach(
            request.user, tag_model.objects.filter(name__istartswith=term)
        )
    names = tags.order_by("name").values_list("name", flat=True)
    return JsonResponse(list(names[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False)


STAFF_VIEW_REPLACEMENTS = {
    "wagtailadmin_tag_autocomplete": require_admin_access(tag_autocomplete),
    "wagtailadmin_tag_model_autocomplete": require_admin_access(tag_autocomplete),
}


class StaffAdminAllowlistMiddleware:
    """Answers 404 to school staff for every admin URL that is not on
    ``STAFF_ADMIN_VIEWS``, or that names an object out of their reach."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(ADMIN_PREFIX):
            return None
        if not view_restrictions_exist():
            # Wagtail's listings read every privacy setting once per request
            # to mark the private pages (``test_page_is_public``): none here.
            request.all_page_view_restriction_paths = ()
        if is_open_to(request.user):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404 as error:
            raise Http404 from error
        if match.url_name is None or match.view_name not in STAFF_ADMIN_VIEWS:
            raise Http404
        check_objects(request, match)
        replacement = STAFF_VIEW_REPLACEMENTS.get(match.view_name)
        if replacement is not None:
            return replacement(request, *view_args, **view_kwargs)
        return None


class ScopedRecentEditsPanel(RecentEditsPanel):
    """The dashboard's recent edits, without the pages (or drafts) the person
    may no longer see."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["last_edits"] = [
            (date, page)
            for date, page in context["last_edits"]
            if not page.permissions_for_user(user).hidden
        ]
        return context


@hooks.register("construct_homepage_panels")
def scoped_recent_edits(request, panels):
    if access_for(request.user).team:
        return
    panels[:] = [
        ScopedRecentEditsPanel() if isinstance(panel, RecentEditsPanel) else panel
        for panel in panels
    ]
