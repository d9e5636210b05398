from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from pages.feeds import PageFeed
from resources.models import ResourcePage
from visibility.audience import visible_pages


class ResourceFeed(PageFeed):
    """The newest public resources of the library."""

    def title(self):
        return _("New resources of %(site)s") % {
            "site": self.index_page.get_site().site_name
        }

    def items(self):
        resources = ResourcePage.objects.live().child_of(self.index_page)
        return visible_pages(resources, AnonymousUser()).order_by(
            "-date", "-first_published_at", "-pk"
        )[:30]

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.author or self.site_name()
