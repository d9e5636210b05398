from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from news.models import NewsPage


class NewsFeed(Feed):
    """The public news of the district (an Atom feed): public content only,
    whoever asks."""

    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("News of %(site)s") % {"site": self.index_page.get_site().site_name}

    def link(self):
        return self.index_page.get_url(self.request)

    def subtitle(self):
        return self.index_page.intro

    def items(self):
        root = self.index_page.get_site().root_page
        return NewsPage.objects.listing(AnonymousUser()).descendant_of(root)[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
