from django.db.models.signals import post_save
from django.dispatch import receiver

from training.models import TrainingSessionPage
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
