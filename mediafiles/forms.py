from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from mediafiles.validation import check_document, clean_image


class ImageForm(BaseImageForm):
    """Wagtail's image form, with uploads checked and stripped of metadata."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            return clean_image(uploaded)
        return uploaded


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, with uploads checked by their content."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_document(uploaded)
        return uploaded
