from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from news.models import NewsPage
from pages.feeds import PageFeed


class NewsFeed(PageFeed):
    """The public news of the district."""

    def title(self):
        return _("News of %(site)s") % {"site": self.index_page.get_site().site_name}

    def subtitle(self):
        return self.index_page.intro or None

    def items(self):
        root = self.index_page.get_site().root_page
        return NewsPage.objects.listing(AnonymousUser()).descendant_of(root)[:30]

    def item_description(self, item):
        return item.intro
