from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue

from visibility.audience import (
    Audience,
    default_audience_under,
    is_district_team,
    most_restrictive,
)

# The buttons that make a page visible, now or after validation.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")

# What a page about to be published is checked against, beyond its form:
# callables ``(streams, audience, user)`` returning problems to show. The
# image rights (``pupils``, a domain app above) declare theirs in its ready().
PUBLISHING_CHECKS = []


class MediaRulesPageForm(WagtailAdminPageForm):
    """The edit form of every page with a body: images and documents must come
    from the editor's own collections, and a page is published only with the
    photos its audience allows."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        self.place = parent_page or (
            None if self.instance._state.adding else self.instance.get_parent()
        )

    def clean(self):
        cleaned = super().clean()
        if "audience" in self.fields and cleaned.get("audience") not in Audience.values:
            # Drafts skip required fields: an audience must still be a real one.
            self.add_error("audience", _("Choose who may read this page."))
            cleaned.pop("audience", None)
        streams = [
            value for value in cleaned.values() if isinstance(value, StreamValue)
        ]
        self.check_media_origin(streams)
        self.check_links(cleaned, streams)
        audience = self.publishing_audience(cleaned)
        if audience is not None:
            for check in PUBLISHING_CHECKS:
                for problem in check(streams, audience, self.for_user):
                    self.add_error(None, capfirst(problem) + ".")
        return cleaned

    def publishing_audience(self, cleaned):
        """The audience the page is about to be made visible to, when it is
        being published or sent for validation (None otherwise)."""
        if self.place is None or not any(
            key in self.data for key in PUBLISHING_ACTIONS
        ):
            return None
        return most_restrictive(
            cleaned.get("audience")
            or getattr(self.instance, "audience", Audience.PUBLIC),
            default_audience_under(self.place),
        )

    def check_media_origin(self, streams):
        """Refuse images and documents of other schools, even in a crafted
        request; those the page already had may stay."""
        from mediafiles.access import may_choose, may_see, media_in, stream_fields

        if self.for_user is None or is_district_team(self.for_user):
            return
        already = set()
        if not self.instance._state.adding:
            for field in stream_fields(self.instance):
                current = getattr(self.instance, field.name)
                already.update((type(item), item.pk) for item in media_in(current))
        for item in media_in(streams):
            if (type(item), item.pk) in already or may_choose(self.for_user, item):
                continue
            if may_see(self.for_user, item):
                message = _(
                    "“%(title)s” is not in your school's collections: choose "
                    "another one."
                ) % {"title": item.title}
            else:
                # Named only to those who may see it.
                message = _(
                    "An image or document of this page is not in your school's "
                    "collections: choose another one."
                )
            if message not in self.non_field_errors():
                self.add_error(None, message)

    def rich_texts(self, read, streams):
        """The HTML of the page's rich text fields, each read by
        ``read(name)``, and of the rich texts in ``streams``."""
        from wagtail.fields import RichTextField

        from pages.links import rich_texts_in

        texts = [
            read(field.name)
            for field in self._meta.model._meta.get_fields()
            if isinstance(field, RichTextField)
        ]
        for stream in streams:
            texts.extend(rich_texts_in(stream))
        return texts

    def check_links(self, cleaned, streams):
        """Refuse links to pages the editor may not see, and documents or
        images they may not choose, even in a crafted request; those the page
        already had may stay. The message names none of them."""
        from mediafiles.access import stream_fields
        from pages.links import forbidden_references, references

        if self.for_user is None or is_district_team(self.for_user):
            return
        already = set()
        if not self.instance._state.adding:
            page = self.instance
            already = references(
                self.rich_texts(
                    lambda name: getattr(page, name),
                    [getattr(page, field.name) for field in stream_fields(page)],
                )
            )
        if forbidden_references(
            self.for_user, self.rich_texts(cleaned.get, streams), already
        ):
            self.add_error(
                None,
                _(
                    "A link or a picture in the text points to something you "
                    "may not use: remove it or choose another target."
                ),
            )


class AudiencePageForm(MediaRulesPageForm):
    """The edit form of an audience-bearing page.

    A new page starts with the audience of the page it is added to (never
    wider than its type's default: a class starts reserved to its community).
    Only people who may publish here may change the audience: for the others
    the field is shown but locked.
    """

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        adding = self.instance._state.adding
        if adding and parent_page is not None:
            default = self.instance._meta.get_field("audience").default
            if getattr(parent_page.specific, "scope_kind", None) == "class":
                # A class's news is for its community first, even in a class
                # open to everyone: making it public is a choice.
                default = most_restrictive(default, Audience.COMMUNITY)
            self.initial["audience"] = most_restrictive(
                default, default_audience_under(parent_page)
            )
        if self.for_user is not None and not self.may_publish(adding, parent_page):
            field = self.fields["audience"]
            field.disabled = True
            field.help_text = gettext_lazy(
                "Only the people who may publish this page may change who can "
                "read it: ask your school's director."
            )

    def may_publish(self, adding, parent_page):
        if adding:
            if parent_page is None:
                return False
            return parent_page.permissions_for_user(self.for_user).can_publish_subpage()
        return self.instance.permissions_for_user(self.for_user).can_publish()
