from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from news import signals  # noqa: F401
        from news.models import NewsPage
        from visibility.audience import addressed_by_role

        # News addressed to directors or teachers reach that role only.
        addressed_by_role(NewsPage)
