from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import post_page_move

from visibility.audience import refresh_audiences


@receiver(post_save)
def refresh_audience_on_save(sender, instance, raw, update_fields, **kwargs):
    """A page's published audience lives in its row: saving the row (creating,
    publishing, copying, translating) refreshes its effective audience, its
    subtree's and its translations'. Saves of other columns only (drafts,
    locks) change nothing; fixtures are refreshed as a whole afterwards."""
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and not {"audience", "path"} & set(update_fields):
        return
    refresh_audiences(instance)
    for translation in Page.objects.filter(
        translation_key=instance.translation_key
    ).exclude(pk=instance.pk):
        refresh_audiences(translation)


@receiver(post_page_move)
def refresh_audience_on_move(sender, instance, **kwargs):
    refresh_audiences(Page.objects.get(pk=instance.pk))
