"""The dashboard of each role (issue 14, item 1): where they may publish, their
drafts, the acknowledgements in progress and, for a director, the pupils with
no consent recorded. Wagtail's own panels stay beside them (what awaits
their review, their pages in a validation)."""

from django.db.models import F, IntegerField
from django.db.models.functions import Cast
from django.urls import reverse

from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from accounts.models import Membership
from accounts.scopes import schools_directed_by
from agenda.models import AgendaIndexPage, EventPage
from inbox.reports import report_listing
from news.models import NewsIndexPage, NewsPage
from pupils.models import NO_CONSENT, Pupil, without_consent
from schools.models import ClassroomPage
from training.models import TrainingIndexPage, TrainingSessionPage
from visibility.audience import access_for

ACKNOWLEDGEMENTS_SHOWN = 5
DRAFTS_SHOWN = 10


def publishing_places(user, district_index=NewsIndexPage):
    """The places ``user`` may publish news (or events) in, each once: the
    district's index (``district_index``: news or agenda) for the team; their
    school for a director; their classes."""
    access = access_for(user)
    places = []
    if access.team:
        places.extend(district_index.objects.live().order_by("path"))
    places.extend(schools_directed_by(user).order_by("title"))
    taught = Membership.objects.filter(user=user, role=Membership.Role.TEACHER).values(
        "classroom"
    )
    places.extend(
        ClassroomPage.objects.filter(pk__in=taught, archived_on__isnull=True).order_by(
            "title"
        )
    )
    seen, kept = set(), []
    for place in places:
        if place.pk in seen:
            continue
        seen.add(place.pk)
        if place.permissions_for_user(user).can_add_subpage():
            kept.append(place)
    return kept


class PublishNewsPanel(Component):
    """« Publier une actualité », one button per place."""

    name = "publish_news"
    template_name = "home/dashboard/publish_news.html"
    order = 10
    page_model = NewsPage
    district_index = NewsIndexPage

    def places(self, user):
        return publishing_places(user, self.district_index)

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        content_type = self.page_model._meta
        return {
            "places": [
                {
                    "title": place.title,
                    "url": reverse(
                        "wagtailadmin_pages:add",
                        args=(
                            content_type.app_label,
                            content_type.model_name,
                            place.pk,
                        ),
                    ),
                }
                for place in self.places(user)
            ]
        }


class AddEventPanel(PublishNewsPanel):
    """« Ajouter un événement », one button per place, beside the news."""

    name = "add_event"
    template_name = "home/dashboard/add_event.html"
    order = 11
    page_model = EventPage
    district_index = AgendaIndexPage


class AddSessionPanel(PublishNewsPanel):
    """For the district team: « Ajouter une animation pédagogique »."""

    name = "add_session"
    template_name = "home/dashboard/add_session.html"
    order = 12
    page_model = TrainingSessionPage

    def places(self, user):
        return [
            index
            for index in TrainingIndexPage.objects.live().order_by("path")
            if index.permissions_for_user(user).can_add_subpage()
        ]


def drafts_of(user):
    """The pages whose latest version ``user`` saved and nobody published or
    sent for validation yet, newest first, among those they may edit."""
    in_validation = WorkflowState.objects.active().filter(
        base_content_type=get_default_page_content_type()
    )
    pages = (
        Page.objects.filter(has_unpublished_changes=True, latest_revision__user=user)
        .exclude(
            pk__in=in_validation.annotate(
                page_id=Cast("object_id", IntegerField())
            ).values("page_id")
        )
        .select_related("latest_revision")
        .order_by(F("latest_revision__created_at").desc(), "-pk")
        .specific()
    )
    drafts = []
    for page in pages[: DRAFTS_SHOWN * 2]:
        permissions = page.permissions_for_user(user)
        if permissions.hidden or not permissions.can_edit():
            continue
        drafts.append(
            {
                "page": page,
                "title": page.get_latest_revision_as_object().title,
                "saved_at": page.latest_revision.created_at,
                "edit_url": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                # A draft never published may be deleted; one of a live page
                # is taken up again (deleting would take the page offline).
                "delete_url": (
                    reverse("wagtailadmin_pages:delete", args=(page.pk,))
                    if not page.live and permissions.can_delete()
                    else None
                ),
            }
        )
        if len(drafts) == DRAFTS_SHOWN:
            break
    return drafts


class DraftsPanel(Component):
    """The person's own drafts, with « reprendre » and « supprimer »."""

    name = "my_drafts"
    template_name = "home/dashboard/drafts.html"
    order = 20

    def get_context_data(self, parent_context):
        return {"drafts": drafts_of(parent_context["request"].user)}


class AcknowledgementsPanel(Component):
    """The acknowledgements not all confirmed yet, with their counts."""

    name = "acknowledgements_in_progress"
    template_name = "home/dashboard/acknowledgements.html"
    order = 30

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        listing = report_listing(user).filter(confirmed__lt=F("addressed"))
        return {
            "reports": list(listing[:ACKNOWLEDGEMENTS_SHOWN]),
            "more": listing.count() > ACKNOWLEDGEMENTS_SHOWN,
            "index_url": reverse("acknowledgement_reports"),
        }


def pupils_without_consent(user):
    """The pupils of the schools ``user`` directs with nothing recorded this
    school year for one medium or both (the « sans accord » filter of the
    pupils list): those still there, in this year's classes or, until the
    school's ONDE file places them, in last year's archived ones."""
    classrooms = ClassroomPage.objects.none()
    for school in schools_directed_by(user):
        classrooms |= ClassroomPage.objects.child_of(school)
    return without_consent(
        Pupil.objects.filter(classroom__in=classrooms, left_on__isnull=True)
    )


class PupilsWithoutConsentPanel(Component):
    """For a director: how many pupils of the school have no consent."""

    name = "pupils_without_consent"
    template_name = "home/dashboard/pupils_without_consent.html"
    order = 40

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "count": pupils_without_consent(user).count(),
            "url": reverse("pupils:index") + f"?accord={NO_CONSENT}",
        }


def panels_for(request):
    user = request.user
    access = access_for(user)
    panels = [
        PublishNewsPanel(),
        AddEventPanel(),
        DraftsPanel(),
        AcknowledgementsPanel(),
    ]
    if access.team:
        panels.append(AddSessionPanel())
    if access.directed_schools:
        panels.append(PupilsWithoutConsentPanel())
    return panels
