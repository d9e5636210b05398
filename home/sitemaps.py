from django.contrib.auth.models import AnonymousUser

from wagtail.contrib.sitemaps import Sitemap

from visibility.audience import visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, limited to what an anonymous visitor may see."""

    def items(self):
        return visible_pages(super().items(), AnonymousUser())
