"""A file the multiple uploader keeps while its form waits to be completed
is judged and stripped of its metadata before it is written, and dated."""

import os
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile

from mediafiles.models import PendingUpload
from mediafiles.validation import check_document, clean_image


@receiver(pre_save, sender=UploadedFile)
def clean_pending_file(sender, instance, **kwargs):
    """Wagtail keeps the raw request file; keep what the upload form would
    keep instead, under a name nobody can guess."""
    if not instance.file or instance.file._committed:
        return
    model = None
    if instance.for_content_type_id is not None:
        content_type = ContentType.objects.get_for_id(instance.for_content_type_id)
        model = content_type.model_class()
    instance.file.open("rb")
    uploaded = File(instance.file.file, name=os.path.basename(instance.file.name))
    if model is get_image_model():
        uploaded = clean_image(uploaded)
    elif model is get_document_model():
        check_document(uploaded)
    extension = os.path.splitext(uploaded.name)[1].lower()[:10]
    uploaded.name = f"{secrets.token_hex(16)}{extension}"
    instance.file = uploaded


@receiver(post_save, sender=UploadedFile)
def date_pending_file(sender, instance, created, **kwargs):
    if created:
        PendingUpload.objects.create(upload=instance)
