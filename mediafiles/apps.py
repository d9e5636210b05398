from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaFilesConfig(AppConfig):
    name = "mediafiles"
    verbose_name = _("Images and documents")

    def ready(self):
        from django.core.files.storage import default_storage, storages

        from wagtail.models import UploadedFile

        from mediafiles import signals  # noqa: F401

        # The multiple uploader keeps files waiting for their form in the
        # default storage, which is public (MEDIA_ROOT). Keep them with the
        # other originals instead. Migrations still see Wagtail's own field:
        # its deconstruction reads the storage from ``_storage_callable``.
        field = UploadedFile._meta.get_field("file")
        field.storage = storages["private"]
        field._storage_callable = default_storage
