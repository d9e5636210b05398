"""The multiple uploader keeps a file while its form waits to be completed:
that file is already stripped of its metadata, and deleted after a day if
nobody completes the form."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import UploadedFile

import pytest
import time_machine
from PIL import Image

from tests.conftest import login
from tests.test_uploads import jpeg_with_gps_and_xmp
from tests.upload_corpus import pdf_bytes

pytestmark = pytest.mark.django_db


def pending_upload(client, name="sortie-gps.jpg"):
    """Drop a photo on the multiple uploader without a collection: its form
    has to be completed, so Wagtail keeps the file as a pending upload."""
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, jpeg_with_gps_and_xmp())},
    )
    assert response.json()["success"] is True
    return UploadedFile.objects.get(pk=response.json()["uploaded_file_id"])


def on_disk(upload):
    return Path(settings.PRIVATE_MEDIA_ROOT) / upload.file.name


def test_a_pending_photo_waits_without_its_metadata(client):
    login(client, "ien.dubois")
    upload = pending_upload(client)

    data = on_disk(upload).read_bytes()
    with Image.open(io.BytesIO(data)) as kept:
        assert not kept.getexif()
        assert "exif" not in kept.info
        assert "xmp" not in kept.info
        assert kept.size == (800, 1200)  # already turned upright
    for marker in (b"Exif", b"xmpmeta", b"Moreau", b"SN-123456", b"Appareil"):
        assert marker not in data
    assert "sortie-gps" not in upload.file.name  # a name nobody can guess
    # Kept with the other originals, not in the public MEDIA_ROOT.
    public = Path(settings.MEDIA_ROOT) / upload.file.name
    assert on_disk(upload) != public and not public.exists()


def test_a_pending_document_waits_checked_under_a_random_name(client):
    login(client, "ien.dubois")
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("compte-rendu-conseil.pdf", pdf_bytes())},
    )
    upload = UploadedFile.objects.get(pk=response.json()["uploaded_file_id"])
    assert "compte-rendu" not in upload.file.name
    assert upload.file.name.endswith(".pdf")
    assert on_disk(upload).read_bytes() == pdf_bytes()


def test_pending_uploads_nobody_completes_go_after_a_day(client):
    login(client, "ien.dubois")
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=25)):
        forgotten = pending_upload(client, "oubliee.jpg")
    recent = pending_upload(client, "en-cours.jpg")
    forgotten_file, recent_file = on_disk(forgotten), on_disk(recent)
    assert forgotten_file.exists() and recent_file.exists()

    out = io.StringIO()
    call_command("purge_pending_uploads", stdout=out)

    assert not UploadedFile.objects.filter(pk=forgotten.pk).exists()
    assert not forgotten_file.exists()
    assert UploadedFile.objects.filter(pk=recent.pk).exists()
    assert recent_file.exists()
    assert "1 envoi(s) en attente supprimé(s)" in out.getvalue()


def test_a_pending_upload_can_still_be_completed(client):
    login(client, "ien.dubois")
    upload = pending_upload(client)
    prefix = f"uploaded-image-{upload.pk}"
    response = client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{upload.pk}/",
        {
            f"{prefix}-title": "Sortie au musée",
            f"{prefix}-collection": 1,
            f"{prefix}-licence": "cc-by",
            f"{prefix}-tags": "",
        },
    )
    assert response.json()["success"] is True
    assert not UploadedFile.objects.filter(pk=upload.pk).exists()
    assert not on_disk(upload).exists()
