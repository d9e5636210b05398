"""With MEDIA_ACCEL_REDIRECT set, Django checks who asks for a file and names
it for nginx; it never sends the bytes itself (tests/test_nginx.py runs nginx)."""

import pytest

from mediafiles.accel import internal_url
from mediafiles.models import CustomDocument
from tests.conftest import login
from tests.test_media_queries import photo_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def accel(settings):
    settings.MEDIA_ACCEL_REDIRECT = "/_prive/"


def test_a_photo_is_named_for_nginx_with_its_headers(client, accel):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/_prive/images/")
    assert response.content == b""
    assert response.get("Content-Length", "0") == "0"
    assert response["Content-Type"].startswith("image/")
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_document_is_named_for_nginx_as_a_download(client, accel):
    login(client, "famille.petit")
    document = CustomDocument.objects.get(title__startswith="Menus")
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_prive/" + document.file.name
    assert response.content == b""
    assert response.get("Content-Length", "0") == "0"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]


def test_no_file_is_named_for_who_may_not_see_it(client, accel):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    login(client, "famille.petit")
    response = client.get(url)
    assert response.status_code == 403
    assert "X-Accel-Redirect" not in response


def test_the_internal_url_is_quoted_and_stays_in_private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    named = internal_url("/_prive/", str(tmp_path / "documents" / "Réunion 1.pdf"))
    assert named == "/_prive/documents/R%C3%A9union%201.pdf"
    with pytest.raises(ValueError):
        internal_url("/_prive/", str(tmp_path.parent / "elsewhere.pdf"))
