"""Images and documents, stored where no web server serves them.

Every original, rendition and document lives in the ``private`` storage under a
random name; visitors only reach them through views that check who is asking
(``mediafiles.views``).
"""

import os
import secrets

from django.core.files import File
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    WagtailImageField,
    get_upload_to,
)
from wagtail.images.models import Image as WagtailImage
from wagtail.models import UploadedFile


def private_storage():
    return storages["private"]


def random_name(folder, filename):
    """A name nobody can guess, keeping only the (checked) extension."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{folder}/{secrets.token_hex(16)}{extension}"


def document_upload_to(instance, filename):
    return random_name("documents", filename)


class Licence(models.TextChoices):
    CC_BY = "cc-by", "CC BY"
    CC_BY_SA = "cc-by-sa", "CC BY-SA"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA"
    CC0 = "cc0", "CC0"
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


class CustomImage(AbstractImage):
    file = WagtailImageField(
        verbose_name=_("file"),
        storage=private_storage,
        upload_to=get_upload_to,
        width_field="width",
        height_field="height",
    )
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Who made the picture, e.g. « Classe de CE1, école Jules-Ferry »."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=32,
        choices=Licence.choices,
        default=Licence.ALL_RIGHTS_RESERVED,
    )
    has_identifiable_people = models.BooleanField(
        _("identifiable people appear on it"),
        default=True,
        help_text=_(
            "Untick only if nobody can be recognised on the picture (a drawing, "
            "a landscape, children seen from behind…)."
        ),
    )

    pupils = models.ManyToManyField(
        "pupils.Pupil",
        verbose_name=_("pupils on the picture"),
        related_name="images",
        blank=True,
        help_text=_(
            "Every pupil who can be recognised: the picture is shown only where "
            "all their families consent."
        ),
    )

    admin_form_fields = (
        *WagtailImage.admin_form_fields,
        "credit",
        "licence",
        "has_identifiable_people",
        "pupils",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def get_upload_to(self, filename):
        return random_name("original_images", filename)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_file_name = instance.__dict__.get("file")
        return instance

    def save(self, *args, **kwargs):
        """Whatever the way a file arrives (form, drag and drop, completed
        upload, command), it is checked and stripped of its metadata before it
        is kept."""
        from mediafiles.validation import clean_image

        replaced = None
        is_new = self.file and (
            not self.file._committed
            or self.file.name != getattr(self, "_stored_file_name", None)
        )
        if is_new and not getattr(self.file.file, "ent_checked", False):
            if self.file._committed:
                replaced = self.file.name
            self.file.open("rb")
            uploaded = File(self.file.file, name=os.path.basename(self.file.name))
            self.file = clean_image(uploaded)
            self._set_image_file_metadata()
        super().save(*args, **kwargs)
        self._stored_file_name = self.file.name
        if replaced and replaced != self.file.name:
            self.file.storage.delete(replaced)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        return random_name("images", filename)

    @property
    def url(self):
        return reverse(
            "serve_rendition", args=[self.pk, os.path.basename(self.file.name)]
        )


class CustomDocument(AbstractDocument):
    file = models.FileField(
        verbose_name=_("file"), storage=private_storage, upload_to=document_upload_to
    )

    admin_form_fields = WagtailDocument.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def clean(self):
        # Wagtail checks the extension of the stored file; when the upload was
        # refused there is none, and the form already says why.
        if self.file:
            super().clean()

    @property
    def filename(self):
        """The name a download gets: the title, not the stored random name."""
        extension = os.path.splitext(self.file.name)[1].lower()
        return f"{slugify(self.title)[:80] or 'document'}{extension}"


class PendingUpload(models.Model):
    """When a file of the multiple uploader arrived, while its form waits to
    be completed (Wagtail's ``UploadedFile`` keeps no date). Those nobody
    completes are deleted after a day (``purge_pending_uploads``)."""

    upload = models.OneToOneField(
        UploadedFile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ent_pending",
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return os.path.basename(self.upload.file.name)
