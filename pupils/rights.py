"""Image rights: a photo is shown only where every pupil on it may be shown.

Public pages need consent to the public web; pages of any other audience need
consent to the ENT. Publishing a page that breaks the rule is refused; when a
consent is withdrawn (or a page becomes more visible), the photos that are no
longer allowed leave the live pages at once and their editors are told.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.images.models import AbstractImage

from mediafiles.access import media_in, stream_fields
from pupils.models import Medium
from visibility.audience import Audience


def required_medium(audience):
    return Medium.WEB if audience == Audience.PUBLIC else Medium.ENT


def images_in(value):
    return (item for item in media_in(value) if isinstance(item, AbstractImage))


def missing_consent(image, audience, reader=None, school_year=None):
    """Why ``image`` may not be shown to ``audience``, or None if it may. The
    pupils are named only if ``reader`` (when given) may name them on a
    photo (``pupils.forms.pupils_taught_by``); the others are counted. The
    consents are those of ``school_year`` (``school_year_of`` a page), the
    current one by default."""
    return missing_consent_for(
        image.title,
        list(image.pupils.all()),
        image.has_identifiable_people,
        audience,
        reader,
        school_year,
    )


def missing_consent_for(
    title, pupils, has_identifiable_people, audience, reader=None, school_year=None
):
    """``missing_consent`` for a picture titled ``title`` showing ``pupils``
    (and maybe other identifiable people), before it is stored."""
    if not has_identifiable_people and not pupils:
        return None
    medium = required_medium(audience)
    if not pupils:
        if medium == Medium.WEB:
            return _(
                "the picture “%(image)s” shows identifiable people but names no "
                "pupil: say who appears on it, or untick “identifiable people”, "
                "before showing it on the public web"
            ) % {"image": title}
        return None
    refused = [pupil for pupil in pupils if not pupil.consents(medium, school_year)]
    if not refused:
        return None
    named = [str(pupil) for pupil in known_to(reader, refused)]
    others = len(refused) - len(named)
    if not named:
        return ngettext(
            "the picture “%(image)s” cannot be shown on %(medium)s: no consent "
            "for %(count)s pupil this school year",
            "the picture “%(image)s” cannot be shown on %(medium)s: no consent "
            "for %(count)s pupils this school year",
            others,
        ) % {"image": title, "medium": Medium(medium).label, "count": others}
    if others:
        named.append(
            ngettext("%(count)s other pupil", "%(count)s other pupils", others)
            % {"count": others}
        )
    return _(
        "the picture “%(image)s” cannot be shown on %(medium)s: no consent for "
        "%(pupils)s this school year"
    ) % {
        "image": title,
        "medium": Medium(medium).label,
        "pupils": ", ".join(named),
    }


def known_to(reader, pupils):
    """The ``pupils`` that ``reader`` may know by name: all of them when no
    reader is given."""
    if reader is None:
        return pupils
    if not reader.is_authenticated:
        return []
    from pupils.forms import pupils_taught_by

    known = set(
        pupils_taught_by(reader)
        .filter(pk__in=[pupil.pk for pupil in pupils])
        .values_list("pk", flat=True)
    )
    return [pupil for pupil in pupils if pupil.pk in known]


def consent_problems(values, audience, reader=None):
    """The reasons, one per image, that forbid showing ``values`` (StreamField
    values) to ``audience``, told to ``reader``."""
    problems = []
    for value in values:
        for image in images_in(value):
            reason = missing_consent(image, audience, reader)
            if reason and reason not in problems:
                problems.append(reason)
    return problems


def photo_problems(title, pupils, identifiable, audience, reader=None):
    """Why a photo about to be stored (``title``, showing ``pupils``) may not
    be shown to ``audience``: the same reasons as for a stored one."""
    reason = missing_consent_for(title, list(pupils), identifiable, audience, reader)
    return [reason] if reason else []


def school_year_of(page):
    """The school year whose consents cover the photos of ``page``: that of
    its class when the class is archived (last year's class notebook stays as
    it was, unless a family has since refused), else None: the current one."""
    from schools.models import archived_classes

    for path, school_year in archived_classes().items():
        if page.path.startswith(path):
            return school_year
    return None


def without_refused_photos(page, audience, school_year=None):
    """Remove from ``page`` (in memory) every block whose photo may not be
    shown to ``audience``; return those photos."""
    removed = []
    for field in stream_fields(page):
        stream = getattr(page, field.name)
        for index in reversed(range(len(stream))):
            refused = [
                image
                for image in images_in(stream[index].value)
                if missing_consent(image, audience, school_year=school_year)
            ]
            if refused:
                removed.extend(image for image in refused if image not in removed)
                del stream[index]
    return removed


def enforce_image_rights(page):
    """Take out of the live ``page`` every block whose photo may no longer be
    shown to its audience; publish the result and tell its editors. A draft in
    progress is kept (without those photos either)."""
    from visibility.models import PageAudience

    if not page.live or not stream_fields(page):
        return []
    row = PageAudience.objects.filter(page_id=page.pk).first()
    audience = Audience(row.audience) if row else Audience.PUBLIC
    draft = (
        page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    )
    removed = without_refused_photos(page, audience)
    year = school_year_of(page) if removed else None
    if year is not None:
        # An archived class's notebook: judged again by that year's consents.
        page = type(page).objects.get(pk=page.pk)
        removed = without_refused_photos(page, audience, year)
    if not removed:
        return []
    page.save_revision(log_action=False).publish(
        log_action=False, skip_permission_checks=True
    )
    if draft is not None:
        without_refused_photos(draft, audience, year)
        draft.save_revision(log_action=False)
    log_removal(page, removed, audience, year)
    tell_editors(page, removed, audience, year)
    return removed


def log_removal(page, images, audience, school_year=None):
    """The page's history says which photos the ENT took off and why: the
    reason of the change that caused it (an erasure, a departure…), else the
    consent rule, counting the pupils without naming them (the entry outlives
    the consents)."""
    from audit.log import current_reason, record

    nobody = AnonymousUser()
    reason = current_reason() or "; ".join(
        why
        for image in images
        if (why := missing_consent(image, audience, nobody, school_year))
    )
    record(
        page,
        "ent.photo.removed",
        reason=reason,
        images=[image.title for image in images],
        audience=str(audience),
    )


def enforce_image_rights_below(page):
    """``enforce_image_rights`` on ``page`` and every live page under it."""
    for each in [page, *page.get_descendants().live().specific()]:
        enforce_image_rights(each.specific)


def tell_editors(page, images, audience, school_year=None):
    """Tell the page's editors and its school's directors which photos left
    it, each naming only the pupils they may know."""
    from django.contrib.auth import get_user_model

    from accounts.models import Membership
    from visibility.models import PageAudience

    recipients = {}
    for person in (page.owner, getattr(page.get_latest_revision(), "user", None)):
        if person and person.email:
            recipients[person.pk] = person
    row = PageAudience.objects.filter(page_id=page.pk).first()
    if row and row.school_key:
        directors = (
            get_user_model()
            .objects.filter(
                memberships__role=Membership.Role.DIRECTOR,
                memberships__school__translation_key=row.school_key,
            )
            .exclude(email="")
            .distinct()
        )
        recipients.update((person.pk, person) for person in directors)
    for person in sorted(recipients.values(), key=lambda person: person.email):
        reasons = [
            reason
            for image in images
            if (reason := missing_consent(image, audience, person, school_year))
        ]
        send_mail(
            _("A photo was taken off “%(page)s”") % {"page": page.title},
            _(
                "Hello,\n\nThe ENT has taken a photo off the page “%(page)s” "
                "because %(reasons)s.\n\nThe rest of the page is unchanged. You "
                "can see it here: %(url)s\n\nThe ENT of the district"
            )
            % {
                "page": page.title,
                "reasons": "; ".join(reasons),
                "url": page.get_full_url(),
            },
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
