from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.embeds.finders import get_finders

from accounts.models import ScopeGroup
from pages.forms import PUBLISHING_ACTIONS, AudiencePageForm
from visibility.audience import is_district_team

# What the district team alone decides or chooses: teachers and directors
# propose a resource with its file, and the team publishes it.
TEAM_FIELDS = ("document", "audience", "date")


def embeddable(url):
    return any(finder.accept(url) for finder in get_finders())


def library_collection(library):
    """The media collection of the library, where proposed files are kept."""
    scope = ScopeGroup.objects.filter(
        page=library, role=ScopeGroup.Role.LIBRARY
    ).first()
    return scope.collection if scope is not None else None


class ResourcePageForm(AudiencePageForm):
    """The form through which teachers propose a resource and the district
    team publishes it.

    The file is chosen in the form itself and stored in the library's
    collection, checked like any upload (``mediafiles.validation``). The
    audience, the date and the choice of a file already uploaded are the
    team's: the other contributors do not see them."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(
            "A worksheet, a sequence, a slideshow: PDF, text or office file."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload = None
        adding = self.instance._state.adding
        if self.for_user is not None and not is_district_team(self.for_user):
            for name in TEAM_FIELDS:
                self.fields.pop(name, None)
            if adding and not self.initial.get("author"):
                # Most often the teacher made it: one field less to fill.
                self.initial["author"] = self.for_user.get_full_name()
        elif "document" in self.fields:
            self.fields["document"].label = _("File of the library")
            self.fields["document"].help_text = _(
                "Or a file already in the library's collection."
            )
        if not adding and self.instance.document_id:
            self.fields["file"].help_text = _(
                "The current file is “%(title)s”: choose another one to replace it."
            ) % {"title": self.instance.document.title}

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
        uploaded = cleaned.get("file")
        if uploaded:
            self.check_upload(uploaded, cleaned)
        document = uploaded or cleaned.get("document") or self.instance.document_id
        given = [value for value in (document, cleaned.get("link"), video) if value]
        chosen = cleaned.get("document")
        chosen_anew = chosen is not None and chosen.pk != self.instance.document_id
        if uploaded and (len(given) > 1 or chosen_anew):
            self.add_error(
                None, _("Give only one of the three: a file, a link or a video.")
            )
        publishing = any(key in self.data for key in PUBLISHING_ACTIONS)
        if publishing and not given:
            self.add_error(
                None, _("Give the resource itself: a file, a link or a video.")
            )
        return cleaned

    def check_upload(self, uploaded, cleaned):
        """Check the file as the document form does, in the library's
        collection; it is stored only when the resource is saved."""
        from wagtail.documents import get_document_model
        from wagtail.documents.forms import get_document_form

        collection = library_collection(self.place) if self.place else None
        if collection is None:
            self.add_error("file", _("The library has no collection for its files."))
            return
        DocumentForm = get_document_form(get_document_model())
        upload = DocumentForm(
            data={
                "title": cleaned.get("title") or uploaded.name,
                "collection": collection.pk,
                "tags": "",
            },
            files={"file": uploaded},
            user=self.for_user,
        )
        if upload.is_valid():
            self.upload = upload
            return
        for errors in upload.errors.values():
            for error in errors:
                self.add_error("file", error)

    def save(self, commit=True):
        if self.upload is not None:
            document = self.upload.save(commit=False)
            document.uploaded_by_user = self.for_user
            document.file_size = document.file.size
            document.file.seek(0)
            document._set_file_hash()
            document.file.seek(0)
            document.save()
            self.instance.document = document
        return super().save(commit=commit)
