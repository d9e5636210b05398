from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from training.models import TrainingSessionPage
from training.registration import promote_waiting_list
from visibility.models import PageTarget


@receiver(post_save, sender=TrainingSessionPage)
def keep_targets(sender, instance, raw, update_fields, **kwargs):
    """The schools a published session is reserved to, kept where the
    visibility rule reads them (as for district news)."""
    if raw or update_fields is not None:
        return
    PageTarget.keep(
        instance, instance.target_schools.values_list("translation_key", flat=True)
    )


@receiver(page_published, sender=TrainingSessionPage)
def give_new_places(sender, instance, **kwargs):
    """A session published with more places: the people waiting get them."""
    promote_waiting_list(instance)
