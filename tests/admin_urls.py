"""Every admin URL pattern, filled with the ids of objects out of someone's
reach, and what that person may not see: shared by the admin URL walk
(``test_admin_allowlist``) and the outside pass against a live server
(``test_admin_outside_pass``)."""

import re

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from accounts.models import Membership
from home.admin_access import media_in_reach
from pupils.models import Pupil
from schools.models import ClassroomPage, SchoolPage
from visibility.audience import visible_pages

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def admin_patterns(patterns=None, prefix="", namespace=None):
    """(route, URL name, parameter names) of every pattern under admin/."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if not route.startswith("admin/") and not "admin/".startswith(route):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from admin_patterns(
                pattern.url_patterns,
                route,
                f"{namespace}:{inner}" if namespace and inner else inner or namespace,
            )
        elif isinstance(pattern, URLPattern) and route.startswith("admin/"):
            name = pattern.name and (
                f"{namespace}:{pattern.name}" if namespace else pattern.name
            )
            yield route, name


def pk_of(value):
    return getattr(value, "pk", value)


def url_for(route, name, foreign):
    """The path of ``route`` with its parameters filled with ``foreign``
    objects (or dummy values), and whether it names one of them."""
    names_foreign = False

    def value(parameter):
        nonlocal names_foreign
        namespace = (name or "").split(":")[0]
        objects = {
            "page_id": pk_of(foreign.page),
            "parent_page_id": pk_of(foreign.page),
            "page_to_move_id": pk_of(foreign.page),
            "destination_id": pk_of(foreign.school),
            "object_id": pk_of(foreign.page),
            "image_id": pk_of(foreign.image),
            "document_id": pk_of(foreign.document),
            "doc_id": pk_of(foreign.document),
            "revision_id": pk_of(foreign.revision),
            "pupil_id": pk_of(foreign.pupil),
        }
        if parameter == "pk":
            objects["pk"] = {
                "pupils": pk_of(foreign.pupil),
                "memberships": pk_of(foreign.membership),
                "wagtailimages_chooser": pk_of(foreign.image),
                "wagtaildocs_chooser": pk_of(foreign.document),
            }.get(namespace, pk_of(foreign.page))
        if parameter in objects:
            names_foreign = True
            return str(objects[parameter])
        return {
            "app_label": "wagtailcore",
            "model_name": "page",
            "content_type_app_name": "news",
            "content_type_model_name": "newspage",
            "app_name": "taggit",
            "action": "delete",
            "action_name": "approve",
            "filter_spec": "original",
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
            "uidb64": "MQ",
            "token": "jeton",
            "mode": "edit",
        }.get(parameter, "1")

    path = REGEX_GROUP.sub(lambda match: value(match["name"]), route)
    path = ROUTE_PARAMETER.sub(lambda match: value(match["name"]), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    path = path.replace(".*", "inconnu")
    return "/" + path, names_foreign


def secrets_for(person):
    """What ``person`` may not see: titles of pages out of their sight, and
    of images and documents out of their collections, pupils of other
    classes or schools, families of other schools."""
    seen = set(
        visible_pages(Page.objects.all(), person).values_list("title", flat=True)
    )
    secrets = set(
        Page.objects.exclude(title__in=seen)
        .exclude(depth=1)
        .values_list("title", flat=True)
    )
    for model in (get_image_model(), get_document_model()):
        reach = set(media_in_reach(model, person).values_list("title", flat=True))
        secrets |= set(
            model.objects.exclude(title__in=reach).values_list("title", flat=True)
        )
    memberships = Membership.objects.filter(user=person)
    classes = memberships.values("classroom")
    directed = memberships.filter(role="director").values("school")
    pupils = Pupil.objects.exclude(classroom__in=classes).exclude(
        classroom__in=ClassroomPage.objects.filter(
            pk__in=[
                classroom.pk
                for school in SchoolPage.objects.filter(pk__in=directed)
                for classroom in ClassroomPage.objects.child_of(school)
            ]
        )
    )
    secrets |= {str(pupil) for pupil in pupils}
    schools = memberships.values("school")
    for family in (
        get_user_model()
        .objects.filter(memberships__role="family")
        .exclude(memberships__school__in=schools)
    ):
        secrets |= {family.get_full_name(), family.email}
    return {secret for secret in secrets if len(secret) > 4}


def facts_for(person):
    """What ``person`` may not see, and the ids of objects out of their reach
    to fill admin URLs with: a page they may not see (in their own school
    when there is one: a directors-only news for a teacher), an image and a
    document of other collections, a pupil and a membership of another
    school."""
    from news.models import NewsPage

    hidden = Page.objects.exclude(
        pk__in=visible_pages(Page.objects.all(), person).values("pk")
    ).exclude(depth=1)
    schools = SchoolPage.objects.filter(
        pk__in=Membership.objects.filter(user=person).values("school")
    )
    page = None
    for school in schools:
        page = page or hidden.filter(path__startswith=school.path).first()
    news = hidden.type(NewsPage)
    page = (
        page
        or news.exclude(
            path__startswith=schools.first().path if schools else "-"
        ).first()
    )
    page = page or hidden.first()
    secrets = secrets_for(person)
    images = get_image_model().objects.exclude(
        pk__in=media_in_reach(get_image_model(), person).values("pk")
    )
    documents = get_document_model().objects.exclude(
        pk__in=media_in_reach(get_document_model(), person).values("pk")
    )
    pupil = next(
        (pupil for pupil in Pupil.objects.order_by("pk") if str(pupil) in secrets),
        None,
    )
    membership = Membership.objects.exclude(school__in=schools).order_by("pk").first()
    missing = 999_999
    return {
        "secrets": sorted(secrets),
        "ids": {
            "page": page.pk,
            "school": page.get_parent().pk,
            "revision": page.latest_revision_id or missing,
            "image": images.values_list("pk", flat=True).first() or missing,
            "document": documents.values_list("pk", flat=True).first() or missing,
            "pupil": pupil.pk if pupil else missing,
            "membership": membership.pk if membership else missing,
        },
    }
