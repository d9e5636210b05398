from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class PageFeed(Feed):
    """An Atom feed of the pages listed by an index page. Subclasses list
    public pages only, whoever asks: feed readers are anonymous."""

    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return self.index_page.get_url(self.request)

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
