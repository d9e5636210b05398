"""Last year's classes, archived when the next year opens: read-only for
school staff, still read by those who could read them (their memberships to
the old class are kept), then deleted ``ENT_ARCHIVE_DAYS`` later."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import provisioning
from audit.log import because, record
from news.models import NewsPage
from pupils.models import Pupil
from schools.models import ClassroomPage, archived_classes
from visibility.cache import forget_everything


def archived_class_paths(user):
    """The tree paths of the archived classes: nobody but the district team
    adds, changes, publishes or deletes a page there
    (``pages.mixins.READ_ONLY_RULES``)."""
    return list(archived_classes())


def news_count(classroom):
    return NewsPage.objects.descendant_of(classroom).count()


def archive_class(classroom, *, by=None, on=None, reason=""):
    """Archive ``classroom`` on ``on`` (today by default): its teachers lose
    their rights to edit it, its members keep reading it. Twice changes
    nothing."""
    if classroom.archived_on is not None:
        return False
    on = on or datetime.date.today()
    with transaction.atomic(), because(reason, by):
        ClassroomPage.objects.filter(pk=classroom.pk).update(archived_on=on)
        classroom.archived_on = on
        forget_everything()
        provisioning.archive_classroom(classroom)
        record(
            classroom,
            "ent.class.archived",
            user=by,
            school_year=classroom.school_year,
            news=news_count(classroom),
        )
    return True


def deletion_due(today=None):
    """The archived classes whose time is over: archived more than
    ``ENT_ARCHIVE_DAYS`` ago."""
    today = today or datetime.date.today()
    limit = today - datetime.timedelta(days=settings.ENT_ARCHIVE_DAYS)
    return ClassroomPage.objects.filter(archived_on__lt=limit).order_by("path")


def still_has_present_pupils(classroom):
    """A pupil never placed in a class of the new year (a school whose
    classes were copied and whose ONDE file never came) is not deleted with
    the old class: the class waits, and the team is told."""
    return Pupil.objects.filter(classroom=classroom, left_on__isnull=True).exists()


def media_of(classroom):
    """The photos and documents of ``classroom``'s collection that no page
    outside the class uses: they go with it."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, ReferenceIndex

    from accounts.models import ScopeGroup

    scope = (
        ScopeGroup.objects.filter(page=classroom, role=ScopeGroup.Role.TEACHERS)
        .select_related("collection")
        .first()
    )
    if scope is None or scope.collection is None:
        return []
    collections = scope.collection.get_descendants(inclusive=True)
    pages = ContentType.objects.get_for_model(Page)
    media = []
    for model in (get_image_model(), get_document_model()):
        for item in model.objects.filter(collection__in=collections):
            used_by = ReferenceIndex.get_references_to(item).filter(
                base_content_type=pages
            )
            paths = Page.objects.filter(
                pk__in=[int(pk) for pk in used_by.values_list("object_id", flat=True)]
            ).values_list("path", flat=True)
            if all(path.startswith(classroom.path) for path in paths):
                media.append(item)
    return media


def delete_archived_class(classroom):
    """Delete ``classroom``, its news, its memberships and the photos and
    documents only it used (their files go when the transaction commits; the
    collection, if anything is left in it, is retired by the provisioning
    signals); the log keeps it."""
    with (
        transaction.atomic(),
        because(
            _("Archived for more than %(days)s days")
            % {"days": settings.ENT_ARCHIVE_DAYS}
        ),
    ):
        record(
            classroom,
            "ent.class.deleted",
            school_year=classroom.school_year,
            news=news_count(classroom),
            archived_on=classroom.archived_on.isoformat(),
        )
        media = media_of(classroom)
        # Departed pupils still attached to it go with it (their families'
        # accounts are deleted by ``departures`` long before).
        classroom.delete()
        for item in media:
            item.delete()


def forget_unopened_files(now=None):
    """The ONDE file of a school prepared for a new year and never opened is
    kept ``ENT_IMPORT_DAYS`` after it was sent, as an import's is; then it
    is emptied (preparing the school again sends it anew)."""
    from django.utils import timezone

    from schoolyear.models import Rollover

    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ENT_IMPORT_DAYS)
    return (
        Rollover.objects.filter(applied_at__isnull=True, prepared_at__lt=limit)
        .exclude(content=b"")
        .update(content=b"")
    )
