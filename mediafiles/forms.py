import struct

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from mediafiles.models import Licence
from mediafiles.validation import check_document, clean_image, unreadable_image


def refuse_unreadable(to_python):
    def guarded(data):
        try:
            return to_python(data)
        except (OSError, SyntaxError, ValueError, struct.error) as error:
            raise unreadable_image(getattr(data, "name", "")) from error

    return guarded


# Fields another app adds to the image form, by name, each with how it
# narrows the choice to what the editor may choose: ``pupils`` (above) fills
# it in its ready().
NARROWED_FIELDS = {}


class ImageForm(BaseImageForm):
    """Wagtail's image form, with uploads checked and stripped of metadata."""

    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if "licence" in self.fields:
            # Drag and drop uploads send no licence: the default applies.
            self.fields["licence"].required = False
        for name, narrow in NARROWED_FIELDS.items():
            if name in self.fields and user is not None:
                narrow(self, user)
        if "file" in self.fields:
            # Wagtail's own checks open the image and may fail on a damaged
            # file with an error instead of a message.
            field = self.fields["file"]
            field.to_python = refuse_unreadable(field.to_python)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            return clean_image(uploaded)
        return uploaded

    def clean_pupils(self):
        chosen = self.cleaned_data.get("pupils")
        unseen = getattr(self, "unseen_pupils", [])
        if chosen is None or not unseen:
            return chosen
        return [*chosen, *unseen]

    def clean_licence(self):
        return self.cleaned_data.get("licence") or Licence.ALL_RIGHTS_RESERVED


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, with uploads checked by their content."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_document(uploaded)
        return uploaded
