import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

# The two kinds of feed an index page offers, each at its own address
# (``atom/`` and ``rss/``) and named as what it is.
FEED_TYPES = {"atom": Atom1Feed, "rss": Rss201rev2Feed}


class PageFeed(Feed):
    """A feed of the pages listed by an index page: Atom (the default) or
    RSS 2.0. Subclasses list public pages only, whoever asks: feed readers
    are anonymous. The site speaks for the feed and for each entry (Atom
    asks for an author on both)."""

    def __init__(self, index_page, kind="atom"):
        super().__init__()
        self.index_page = index_page
        self.feed_type = FEED_TYPES[kind]

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def site_name(self):
        return self.index_page.get_site().site_name

    def link(self):
        return self.index_page.get_url(self.request)

    def feed_url(self):
        return self.request.build_absolute_uri(self.request.path)

    def description(self):
        return getattr(self.index_page, "intro", "") or self.title()

    def author_name(self):
        return self.site_name()

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_author_name(self, item):
        return self.site_name()

    def item_pubdate(self, item):
        """When it was first published, or else (pages created live, as
        the demo's) the start of its date: Atom entries need a date."""
        if item.first_published_at:
            return item.first_published_at
        day = getattr(item, "date", None) or item.latest_revision_created_at
        if isinstance(day, datetime.datetime):
            return day
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)
