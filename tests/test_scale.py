"""The district generator (``seed_scale``): a valid tree, provisioned places,
and a manifest whose expectations the site meets."""

import io
import json
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page

import pytest

from accounts.models import Membership, ScopeGroup
from bench.scenarios import photo_urls
from home.models import HomePage
from news.models import NewsPage
from resources.models import Licence, ResourcePage
from scale.district import SIZES, District
from schools.models import ClassroomPage, SchoolPage
from visibility.audience import Audience
from visibility.models import PageAudience


@pytest.fixture
def generated(db, tmp_path):
    """The XS district, generated in place of the demo one (rolled back)."""
    for home in HomePage.objects.all():
        home.delete()
    path = tmp_path / "manifest.json"
    call_command("seed_scale", size="XS", seed=3, manifest=path, stdout=io.StringIO())
    return json.loads(path.read_text())


def test_the_generated_district_is_valid_and_as_the_manifest_says(generated, client):
    """One district for both checks: generating it is the slow part."""
    check_the_tree_is_valid_and_complete(generated)
    check_each_persona_sees_what_the_manifest_expects(generated, client)
    check_the_family_sees_every_photo_and_a_visitor_none(generated, client)


def check_the_tree_is_valid_and_complete(generated):
    size = SIZES["XS"]
    assert all(not problems for problems in Page.find_problems())
    for page in Page.objects.filter(depth__lte=4):
        assert page.numchild == page.get_children().count(), page
    assert SchoolPage.objects.count() == size.schools
    assert ClassroomPage.objects.count() == size.classes
    assert NewsPage.objects.count() == size.news
    assert ResourcePage.objects.count() == size.resources
    assert PageAudience.objects.count() == Page.objects.filter(depth__gt=1).count()
    # The busiest class holds the news the size asks for.
    busiest = ClassroomPage.objects.get(
        pk=generated["scenarios"]["publish"]["parent_id"]
    )
    assert busiest.get_children().count() == size.busiest[0]
    # Places are provisioned as in the admin, and staff are in their groups.
    assert ScopeGroup.objects.filter(role=ScopeGroup.Role.DIRECTORS).count() == 2
    assert ScopeGroup.objects.filter(role=ScopeGroup.Role.TEACHERS).count() == 8
    teacher = get_user_model().objects.get(username=generated["personas"]["teacher"])
    scope = ScopeGroup.objects.get(page=busiest, role=ScopeGroup.Role.TEACHERS)
    assert teacher.groups.filter(pk=scope.group_id).exists()
    assert Membership.objects.filter(role="family").values(
        "user"
    ).distinct().count() == (size.families)
    assert not ResourcePage.objects.filter(
        licence=Licence.ALL_RIGHTS_RESERVED, audience=Audience.PUBLIC
    ).exists()


def check_each_persona_sees_what_the_manifest_expects(generated, client):
    users = get_user_model().objects
    for role, expected in generated["expected"]["visible_news"].items():
        user = (
            AnonymousUser()
            if role == "anonymous"
            else users.get(username=generated["personas"][role])
        )
        assert NewsPage.objects.listing(user).count() == expected, role
    counts = generated["expected"]["visible_news"]
    assert counts["anonymous"] < counts["family"] < counts["team"] == SIZES["XS"].news

    def as_persona(role):
        client.logout()
        if role:
            client.force_login(users.get(username=generated["personas"][role]))
        return client

    for name, scenario in generated["scenarios"].items():
        if "url" in scenario:
            response = as_persona(scenario["user"]).get(scenario["url"])
            assert response.status_code == 200, name
    for forbidden in generated["expected"]["forbidden"]:
        response = as_persona(forbidden["user"]).get(forbidden["url"])
        assert response.status_code in (302, 403), forbidden


def check_the_family_sees_every_photo_and_a_visitor_none(generated, client):
    scenario = generated["scenarios"]["photos"]
    family = get_user_model().objects.get(username=generated["personas"]["family"])
    client.force_login(family)
    urls = photo_urls(client.get(scenario["url"]).content.decode())
    assert len(urls) == scenario["photos"] == 12
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
    client.logout()
    for url in urls:
        assert client.get(url).status_code in (302, 403, 404)


def test_the_same_seed_draws_the_same_district():
    def titles(seed):
        district = District(SIZES["XS"], random.Random(seed))  # noqa: S311
        return [news["title"] for news in district.news], district.people[5]

    assert titles("3:XS") == titles("3:XS")
    assert titles("3:XS") != titles("4:XS")


def test_the_generator_refuses_a_database_that_holds_a_site(db):
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="contient déjà un site"):
        call_command("seed_scale", size="XS", stdout=io.StringIO())
    assert Page.objects.count() == pages
