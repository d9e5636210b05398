"""The demo district: idempotent, complete, described by its manifest."""

import io
import json

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wagtail.models import Page, Site

import pytest

from accounts.models import Membership
from schools.models import ClassroomPage, SchoolPage

pytestmark = pytest.mark.django_db


def seed(tmp_path, *args):
    manifest = tmp_path / "manifest.json"
    out = io.StringIO()
    call_command("seed_demo", "--force", "--manifest", str(manifest), *args, stdout=out)
    return json.loads(manifest.read_text(encoding="utf-8")), out.getvalue()


def counts():
    return (
        Page.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )


def test_running_the_seed_again_changes_nothing(tmp_path):
    before = counts()
    first, _out = seed(tmp_path)
    second, _out = seed(tmp_path)
    assert counts() == before
    assert first == second


def test_the_demo_is_a_realistic_district():
    kinds = set(SchoolPage.objects.values_list("kind", flat=True))
    assert kinds == {"maternelle", "elementaire", "primaire"}
    assert SchoolPage.objects.count() >= 4
    assert ClassroomPage.objects.count() >= 12
    assert all(classroom.levels.exists() for classroom in ClassroomPage.objects.all())


def test_the_manifest_lists_every_role(tmp_path):
    manifest, out = seed(tmp_path)
    users = {user["username"]: user for user in manifest["users"]}
    roles = {user["role"] for user in users.values()}
    assert roles == {"team", "director", "teacher", "family", "none"}
    assert sum(user["role"] == "director" for user in users.values()) >= 2

    martin = users["famille.martin"]["memberships"]
    assert {m["school"] for m in martin} == {"jules-ferry", "les-coquelicots"}
    assert all(m["role"] == "family" and m["class"] for m in martin)
    assert users["sans.role"]["memberships"] == []

    client_password = users["famille.martin"]["password"]
    assert (
        get_user_model()
        .objects.get(username="famille.martin")
        .check_password(client_password)
    )
    # Every account is printed with its password.
    for username in users:
        assert username in out
    assert client_password in out


def test_the_manifest_has_news_for_each_audience_at_each_scope(tmp_path):
    manifest, _out = seed(tmp_path)
    news = [page for page in manifest["pages"] if page["kind"] == "news"]
    combinations = {(page["scope"], page["audience"]) for page in news}
    for scope in ("district", "school", "class"):
        for audience in ("public", "community", "staff", "directors"):
            assert (scope, audience) in combinations

    kinds = {page["kind"] for page in manifest["pages"]}
    assert {"news", "school", "class", "standard", "index"} <= kinds
    slugs = {page["school"] for page in manifest["pages"] if page["school"]}
    assert "jules-ferry" in slugs


def test_the_manifest_describes_pages_as_the_site_serves_them(client, tmp_path):
    manifest, _out = seed(tmp_path)
    for page in manifest["pages"]:
        response = client.get(page["url"])
        if page["audience"] == "public":
            assert response.status_code == 200, page["url"]
        else:
            assert response.status_code == 302, page["url"]
    assert manifest["channels"]["search"] == "/recherche/?q={q}"
    for url in manifest["channels"]["rss"] + [manifest["channels"]["sitemap"]]:
        assert client.get(url).status_code == 200


def test_the_seed_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())


def site_address():
    site = Site.objects.get(is_default_site=True)
    return site.hostname, site.port, site.site_name


def test_a_new_database_gets_the_address_of_wagtailadmin_base_url():
    """The site Wagtail makes at ``migrate`` is not one of ours: the first
    seed (this session's, ``conftest``) gives it the demo's address."""
    assert site_address() == ("testserver", 80, "ENT Val-de-Loire Nord")


def test_seeding_again_leaves_the_site_address_alone(tmp_path):
    Site.objects.filter(is_default_site=True).update(
        hostname="ent.circonscription.fr", port=443, site_name="ENT de Saint-Aubin"
    )
    seed(tmp_path)
    assert site_address() == ("ent.circonscription.fr", 443, "ENT de Saint-Aubin")


def test_the_site_address_changes_when_asked(tmp_path):
    seed(tmp_path, "--site-address", "demo.ac-exemple.fr:8443")
    hostname, port, _name = site_address()
    assert (hostname, port) == ("demo.ac-exemple.fr", 8443)


def test_a_wrong_site_address_is_refused_and_changes_nothing():
    before = site_address()
    with pytest.raises(CommandError, match="n’est pas une adresse"):
        call_command(
            "seed_demo", force=True, site_address="demo:port", stdout=io.StringIO()
        )
    assert site_address() == before
