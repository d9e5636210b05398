from django.db import transaction
from django.dispatch import receiver

from wagtail.signals import page_published

from news.models import NewsPage


@receiver(page_published, sender=NewsPage)
def address_on_publish(sender, instance, **kwargs):
    """Recipients and e-mails are worked out in the background, once the
    publication is committed: publishing never waits for them."""
    from wagtail.models import Locale

    from inbox.notifications import notify_recipients

    if instance.locale_id != Locale.get_default().pk:
        # A translation is the same news item: addressed once, in French.
        return
    page_id = instance.pk
    transaction.on_commit(lambda: notify_recipients.enqueue(page_id))
