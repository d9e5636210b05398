from django.utils.translation import gettext as _

from pages.forms import AudiencePageForm


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
        elif cleaned.get("target_schools") and cleaned.get("audience") == "public":
            self.add_error(
                "audience",
                _(
                    "A news item for chosen schools cannot be public: choose "
                    "who may read it in those schools."
                ),
            )
        elif (
            cleaned.get("addressed_to") in ("director", "teacher")
            and cleaned.get("audience") == "public"
            and self.place is not None
            and isinstance(self.place.specific, NewsIndexPage)
        ):
            self.add_error(
                "audience",
                _(
                    "A district news item for directors or teachers cannot be "
                    "public: choose who may read it."
                ),
            )
        return cleaned
