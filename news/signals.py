from django.db.models.signals import post_save
from django.dispatch import receiver

from news.models import NewsPage
from visibility.models import PageTarget


@receiver(post_save, sender=NewsPage)
def keep_targets(sender, instance, raw, update_fields, **kwargs):
    """The schools a published district news item is reserved to, kept
    where the visibility rule reads them. Drafts save only some columns and
    change nothing."""
    if raw or update_fields is not None:
        return
    PageTarget.keep(
        instance, instance.target_schools.values_list("translation_key", flat=True)
    )
