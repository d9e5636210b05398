from django.utils.translation import gettext as _

from home.forms import AudiencePageForm


class NewsPageForm(AudiencePageForm):
    def clean(self):
        cleaned = super().clean()
        from news.models import NewsIndexPage

        if (
            cleaned.get("target_schools")
            and self.place is not None
            and not isinstance(self.place.specific, NewsIndexPage)
        ):
            self.add_error(
                "target_schools",
                _("Only district news may be addressed to chosen schools."),
            )
        return cleaned
