"""axe-core finds no WCAG 2.1 A/AA violation on each public page type and on
each admin screen school staff use.

axe-core comes from the npm registry, pinned in package.json and
package-lock.json (``npm ci``, run by ``make install`` when npm is present and
by .ci/run). It is injected from node_modules into each page in Chromium,
never from another host. Without node_modules or Chromium the test is skipped
on a laptop; in CI (``CI=true``) it fails instead.
"""

import json
import os

import pytest

from .conftest import BASE_DIR, skip_without_chromium
from .journeys import DEMO_PASSWORD

pytestmark = pytest.mark.browser
skip_without_chromium()

AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.exists() and not os.environ.get("CI"):
    pytest.skip("axe-core is not installed: run `npm ci`", allow_module_level=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Wagtail's own admin widgets that axe found wanting (the tag field's input,
# the multiple upload's file input) are mended by ent_site/static/js/
# admin-a11y.js: no rule is excluded anywhere.

PUBLIC_PAGES = {
    "home": "/",
    "news index": "/actualites/",
    "news page": "/actualites/inscriptions-en-maternelle-pour-la-rentree-2027/",
    "school": "/ecoles/jules-ferry/",
    "class": "/ecoles/jules-ferry/cm2-lefevre/",
    "library": "/ressources/",
    "resource": "/ressources/geometrie-au-cycle-3-reproduire-des-figures/",
    "standard page": "/a-propos/",
    "personal data": "/donnees-personnelles/",
    "search": "/recherche/?q=classe",
    "login": "/connexion/",
    "forgotten password": "/mot-de-passe-oublie/",
    "404": "/cette-page-n-existe-pas/",
}
# Pages of a signed-in family.
FAMILY_PAGES = {
    "Mon fil": "/mon-fil/",
    "Mon compte": "/mon-compte/",
    "change password": "/mon-compte/mot-de-passe/",
    "403": "/ecoles/jules-ferry/dossier-de-sortie-scolaire-a-valider/",
    "class news": "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/",
}


def run_axe(page):
    """axe's violations of the WCAG 2.1 A/AA rules on the page as it is."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: "tag", values: tags}};
            const results = await axe.run(document, options);
            return results.violations.map((violation) => ({
                id: violation.id,
                help: violation.help,
                nodes: violation.nodes.map(
                    (node) => node.target.join(" ") + " " + node.html.slice(0, 160)
                ),
            }));
        }""",
        WCAG_21_AA,
    )


def describe(violations):
    return json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def signed_in(browser, demo_server):
    """A browser context signed in as each person who is asked for."""
    contexts = {}

    def context_for(username):
        if username not in contexts:
            # axe is injected as a script of the page, which the site's
            # Content-Security-Policy rightly refuses: the browser lets it in.
            context = browser.new_context(locale="fr-FR", bypass_csp=True)
            if username:
                page = context.new_page()
                page.goto(demo_server + "/connexion/")
                page.get_by_label("Identifiant").fill(username)
                page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.wait_for_load_state()
                page.close()
            contexts[username] = context
        return contexts[username]

    yield context_for
    for context in contexts.values():
        context.close()


def check(context, url):
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return run_axe(page)
    finally:
        page.close()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages(name, signed_in, demo_server):
    violations = check(signed_in(None), demo_server + PUBLIC_PAGES[name])
    assert not violations, describe(violations)


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_family_pages(name, signed_in, demo_server):
    violations = check(signed_in("famille.martin"), demo_server + FAMILY_PAGES[name])
    assert not violations, describe(violations)


ADMIN_SCREENS = {
    # name: (account, address; {class}, {news}, {image}, {library} are ids)
    "dashboard": ("dir.lefevre", "/admin/"),
    "explorer": ("dir.lefevre", "/admin/pages/{class}/"),
    "news add form": ("dir.lefevre", "/admin/pages/add/news/newspage/{class}/"),
    "news edit form": ("dir.lefevre", "/admin/pages/{news}/edit/"),
    "images": ("dir.lefevre", "/admin/images/"),
    "image form": ("dir.lefevre", "/admin/images/{image}/"),
    "image upload": ("dir.lefevre", "/admin/images/multiple/add/"),
    "members": ("dir.lefevre", "/admin/memberships/"),
    "pupils": ("dir.lefevre", "/admin/pupils/"),
    "acknowledgement reports": ("dir.lefevre", "/admin/accuses-de-lecture/"),
    "editor's guide": ("dir.lefevre", "/admin/guide/"),
    "teacher's dashboard": ("ens.moreau", "/admin/"),
    "resource form": (
        "ens.moreau",
        "/admin/pages/add/resources/resourcepage/{library}/",
    ),
}
IDS = """
import json
from news.models import NewsPage
from resources.models import ResourceIndexPage
from wagtail.images import get_image_model
from wagtail.models import Collection
news = NewsPage.objects.get(slug="notre-journal-de-classe-est-en-ligne")
school = Collection.objects.get(name="École élémentaire Jules-Ferry")
images = get_image_model().objects.filter(
    collection__in=school.get_descendants(inclusive=True)
)
print(json.dumps({
    "class": news.get_parent().pk,
    "news": news.pk,
    "image": images.order_by("pk").first().pk,
    "library": ResourceIndexPage.objects.get().pk,
}))
"""


@pytest.fixture(scope="module")
def demo_ids(demo_server):
    """The ids the admin's addresses need, from the demo server's database."""
    output = demo_server.manage("shell", "-c", IDS)
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("name", ADMIN_SCREENS)
def test_staff_admin_screens(name, signed_in, demo_server, demo_ids):
    username, address = ADMIN_SCREENS[name]
    violations = check(signed_in(username), demo_server + address.format(**demo_ids))
    assert not violations, describe(violations)


def test_acknowledgement_report(signed_in, demo_server):
    """One news item's report: who has confirmed, who has not."""
    context = signed_in("dir.lefevre")
    page = context.new_page()
    page.goto(demo_server + "/admin/accuses-de-lecture/")
    links = page.locator("table.listing a[href*='/admin/accuses-de-lecture/']")
    assert links.count(), "the demo has no news asking for an acknowledgement"
    report = links.first.get_attribute("href")
    page.close()
    violations = check(context, demo_server + report)
    assert not violations, describe(violations)


def test_axe_finds_what_is_wrong(signed_in, demo_server):
    """The check itself: a picture without a text alternative and a field
    without a label are found."""
    page = signed_in(None).new_page()
    page.goto(demo_server + "/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<img src="/static/guide/eleves.png"><input type="text" name="x">')"""
    )
    found = {violation["id"] for violation in run_axe(page)}
    page.close()
    assert {"image-alt", "label"} <= found, found
