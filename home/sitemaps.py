from wagtail.contrib.sitemaps import Sitemap

from home.audience import only_public


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, limited to pages whose effective audience is public."""

    def items(self):
        return only_public(super().items())
