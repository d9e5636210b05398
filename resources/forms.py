from django.utils.translation import gettext as _

from wagtail.embeds.finders import get_finders

from mediafiles.access import may_choose
from pages.forms import PUBLISHING_ACTIONS, AudiencePageForm
from visibility.audience import is_district_team


def embeddable(url):
    return any(finder.accept(url) for finder in get_finders())


class ResourcePageForm(AudiencePageForm):
    """The form through which teachers propose a resource and the district
    team publishes it."""

    def clean(self):
        cleaned = super().clean()
        video = cleaned.get("video_url")
        if video and not embeddable(video):
            self.add_error(
                "video_url",
                _(
                    "This video cannot be embedded: give its address on "
                    "PeerTube (apps.education.fr), Vimeo, Dailymotion or "
                    "YouTube, or give it as a link."
                ),
            )
        document = cleaned.get("document")
        if (
            document is not None
            and document.pk != self.instance.document_id
            and self.for_user is not None
            and not is_district_team(self.for_user)
            and not may_choose(self.for_user, document)
        ):
            self.add_error(
                "document",
                _("This file is not in the library's collection: upload it again."),
            )
        publishing = any(key in self.data for key in PUBLISHING_ACTIONS)
        if publishing and not (cleaned.get("document") or cleaned.get("link") or video):
            self.add_error(
                None, _("Give the resource itself: a file, a link or a video.")
            )
        return cleaned
