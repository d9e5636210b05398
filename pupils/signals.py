from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, post_page_move

from audit.log import record
from mediafiles.access import pages_using
from pupils.models import ImageConsent
from pupils.rights import enforce_image_rights, enforce_image_rights_below
from visibility.audience import AudienceMixin

CustomImage = get_image_model()


def enforce_on_pages_using(images):
    pages = Page.objects.none()
    for image in images:
        pages |= pages_using(image)
    for page in pages.distinct().specific():
        enforce_image_rights(page)


@receiver(post_save, sender=ImageConsent)
def log_consent(sender, instance, created, raw=False, **kwargs):
    """Every decision recorded goes to the audit log, on the pupil, in the
    name of who recorded it. A family's own decision keeps their ``user_id``:
    deleting their account takes their name off the entry."""
    if not created or raw:
        return
    data = {"medium": instance.medium, "school_year": instance.school_year}
    by = instance.recorded_by
    if by is not None and instance.pupil.families.filter(pk=by.pk).exists():
        data["user_id"] = by.pk
    action = "ent.consent.given" if instance.given else "ent.consent.withdrawn"
    record(instance.pupil, action, user=by, **data)


@receiver(post_save, sender=ImageConsent)
def withdraw_photos(sender, instance, created, **kwargs):
    """A withdrawn consent takes the pupil's photos off every page where they
    are no longer allowed, at once."""
    if not instance.given:
        enforce_on_pages_using(instance.pupil.images.all())


@receiver(post_save, sender=CustomImage)
def recheck_edited_photo(sender, instance, created, **kwargs):
    """A photo whose people change is checked again where it is shown."""
    if not created:
        enforce_on_pages_using([instance])


@receiver(m2m_changed, sender=CustomImage.pupils.through)
def recheck_named_pupils(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        images = instance.images.all() if reverse else [instance]
        enforce_on_pages_using(images)


@receiver(page_published)
def check_photos_after_publishing(sender, instance, **kwargs):
    """Whatever the way a page was published (edit, workflow approval,
    schedule, revert), it shows only the photos its audience allows; a school
    or class also checks the pages below it, whose audience may have changed."""
    if isinstance(instance, AudienceMixin) and instance.scope_kind:
        for page in [instance, *instance.get_translations()]:
            enforce_image_rights_below(page.specific)
    else:
        enforce_image_rights(instance)


@receiver(post_page_move)
def check_photos_after_moving(sender, instance, **kwargs):
    enforce_image_rights_below(Page.objects.get(pk=instance.pk).specific)
