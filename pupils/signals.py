from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published

from home.audience import AudienceMixin
from mediafiles.access import pages_using
from pupils.models import ImageConsent
from pupils.rights import enforce_image_rights


@receiver(post_save, sender=ImageConsent)
def withdraw_photos(sender, instance, created, **kwargs):
    """A withdrawn consent takes the pupil's photos off every page where they
    are no longer allowed, at once."""
    if instance.given:
        return
    pages = Page.objects.none()
    for image in instance.pupil.images.all():
        pages |= pages_using(image)
    for page in pages.distinct().specific():
        enforce_image_rights(page)


@receiver(page_published)
def check_photos_after_publishing(sender, instance, **kwargs):
    """Whatever the way a page was published (edit, workflow approval,
    schedule), it and the pages below it show only the photos their audience
    allows."""
    if not isinstance(instance, AudienceMixin):
        return
    enforce_image_rights(instance)
    if instance.scope_kind:
        for page in instance.get_descendants().live().specific():
            if isinstance(page, AudienceMixin):
                enforce_image_rights(page)
