"""*Mon fil*: everything addressed to a person, newest first.

The feed holds the news a person may see (the one visibility rule) from the
places they belong to: the district, their schools and their classes. Public
news of other schools stay on those schools' pages.
"""

import datetime

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from inbox.models import ReadMark, Recipient
from visibility.audience import access_for
from visibility.cache import STRUCTURE_SECONDS, version
from visibility.people import person_token

# News dated before this are not counted as unread any more.
UNREAD_WINDOW = datetime.timedelta(days=60)

SOURCES = {
    "circonscription": _("District"),
    "ecole": _("My schools"),
    "classe": _("My classes"),
}


def source_filter(access, source=None):
    district = Q(audience_info__school_key__isnull=True)
    schools = access.member_schools
    school = Q(
        audience_info__school_key__in=schools,
        audience_info__classroom_key__isnull=True,
    )
    classes = access.taught_classes | access.family_classes
    classroom = Q(audience_info__classroom_key__in=classes) | Q(
        audience_info__classroom_key__isnull=False,
        audience_info__school_key__in=access.directed_schools,
    )
    return {
        "circonscription": district,
        "ecole": school,
        "classe": classroom,
    }.get(source, district | school | classroom)


def addressed_news(user, source=None):
    """The news of ``user``'s feed, newest first."""
    from news.models import NewsPage

    access = access_for(user)
    news = NewsPage.objects.listing(user)
    if not access.team or source:
        news = news.filter(source_filter(access, source))
    return news


def place_title(model, key):
    """The title of the school or class (``model``) whose translation key
    is the news item's ``key``, in the news item's language: read in the
    feed's own statement."""
    return Subquery(
        model.objects.filter(
            translation_key=OuterRef(f"audience_info__{key}"),
            locale_id=OuterRef("locale_id"),
        ).values("title")[:1]
    )


def feed_for(user, source=None):
    """The feed, with ``is_read``, ``awaits_acknowledgement`` and the
    school and class each item comes from (``school_title``,
    ``classroom_title``: empty for the district's news)."""
    from schools.models import ClassroomPage, SchoolPage

    return (
        addressed_news(user, source)
        .cards()
        .annotate(
            school_title=place_title(SchoolPage, "school_key"),
            classroom_title=place_title(ClassroomPage, "classroom_key"),
            is_read=Exists(ReadMark.objects.filter(user=user, page=OuterRef("pk"))),
            awaits_acknowledgement=Q(acknowledgement_required=True)
            & Exists(
                Recipient.objects.filter(
                    user=user,
                    page=OuterRef("pk"),
                    asked_to_acknowledge=True,
                    acknowledged_at__isnull=True,
                )
            ),
        )
    )


def unread(user):
    news = addressed_news(user).filter(date__gte=timezone.localdate() - UNREAD_WINDOW)
    return news.exclude(Exists(ReadMark.objects.filter(user=user, page=OuterRef("pk"))))


def unread_key(user):
    return f"unread:{user.pk}"


def count_unread(user):
    """The number of ``unread`` news, kept in the shared cache while nothing
    it is read from changes: no page saved anywhere (the site's structure
    version), the same access (``visibility.people``), the same day, and no
    read mark written since (``mark_read`` drops it)."""
    stamp = (version(), person_token(user), timezone.localdate())
    kept = cache.get(unread_key(user))
    if kept is not None and kept[0] == stamp:
        return kept[1]
    count = unread(user).count()
    if stamp[1] is not None:
        cache.set(unread_key(user), (stamp, count), STRUCTURE_SECONDS)
    return count


def unread_count(request):
    """Context processor: the number shown beside "Mon fil" in the header,
    computed only if a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: count_unread(user))}


def mark_read(user, page_id):
    """``user`` has read the page ``page_id``: one statement whether or not it
    was read before."""
    ReadMark.objects.bulk_create(
        [ReadMark(user=user, page_id=page_id)], ignore_conflicts=True
    )
    cache.delete(unread_key(user))


def opened(request, page):
    """``request.user`` opens ``page``: it is read now (unless the page was
    loaded knowing it was read already, ``with_recipient``). Returns their
    recipient row when an acknowledgement is awaited from them."""
    user = request.user
    if not user.is_authenticated or getattr(request, "is_preview", False):
        return None
    if not getattr(page, "reader_has_read", False):
        mark_read(user, page.pk)
    if not getattr(page, "acknowledgement_required", False):
        return None
    if hasattr(page, "reader_is_recipient"):
        # Read with the page (``with_recipient``).
        if not page.reader_is_recipient:
            return None
        return Recipient(
            page_id=page.pk, user=user, acknowledged_at=page.reader_acknowledged_at
        )
    return Recipient.objects.filter(
        user=user, page_id=page.pk, asked_to_acknowledge=True
    ).first()


def with_recipient(pages, user):
    """``pages`` with whether ``user`` has read them already, whether they are
    one of their recipients asked to confirm, and when they acknowledged it:
    read with a news item when it is served."""
    if not user.is_authenticated:
        return pages
    mine = Recipient.objects.filter(
        user=user, page=OuterRef("pk"), asked_to_acknowledge=True
    )
    return pages.annotate(
        reader_has_read=Exists(ReadMark.objects.filter(user=user, page=OuterRef("pk"))),
        reader_is_recipient=Exists(mine),
        reader_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
    )
