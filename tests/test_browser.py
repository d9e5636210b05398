"""A real visitor: Debian's Chromium, driven by Playwright, on a real server.

The server runs as a newcomer would run it (migrate, seed_demo, runserver) on
its own SQLite database, so this test is independent of the test database
(``demo_server`` in ``tests/conftest.py``).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_without_chromium

pytestmark = pytest.mark.browser

skip_without_chromium()


def test_a_visitor_sees_the_district_home_page_and_nothing_leaves_the_machine(
    demo_server, browser
):
    page = browser.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(demo_server + "/", wait_until="networkidle")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Circonscription de Val-de-Loire Nord"
    assert page.get_by_role("link", name="Se connecter").is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    # The DSFR stylesheet was applied: the header carries the Marianne logo.
    assert page.locator(".fr-header .fr-logo").is_visible()

    assert len(requested) > 3
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}
    page.close()


def log_in(page, base_url, username, path="/connexion/"):
    page.goto(base_url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", "ent-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_family_reads_its_class_news_and_not_the_neighbours(demo_server, browser):
    page = browser.new_page()
    page.goto(demo_server + "/ecoles/jules-ferry/cp-moreau/")
    assert "/connexion/" in page.url
    page.fill("#id_username", "famille.leroy")
    page.fill("#id_password", "ent-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(demo_server + "/ecoles/jules-ferry/cp-moreau/")
    assert page.get_by_role("heading", level=1).inner_text() == "CP de Mme Moreau"
    account = page.get_by_role("link", name="Mon compte : Sandrine Leroy")
    assert account.first.is_visible()
    assert page.get_by_role("link", name="Sortie au musée des Beaux-Arts").is_visible()
    # Staff-only news of the same class stay hidden from families.
    assert page.get_by_text("Décloisonnement en lecture").count() == 0

    response = page.goto(demo_server + "/ecoles/jules-ferry/ce1-garnier/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    assert page.get_by_text("poésies").count() == 0

    page.goto(demo_server + "/recherche/?q=poésies")
    assert page.get_by_text("0 résultat").is_visible()
    page.close()


def test_a_directors_admin_explorer_holds_only_their_school(demo_server, browser):
    page = browser.new_page()
    log_in(page, demo_server, "dir.lefevre", path="/admin/login/")
    # The explorer opens on the sections the director works in: the schools
    # (their own only) and the library, where every teacher proposes.
    page.goto(demo_server + "/admin/pages/")
    listing = page.locator("main").inner_text()
    assert "Écoles" in listing and "Ressources" in listing
    page.get_by_role("link", name="Explorer les sous-pages de « Écoles »").click()
    page.get_by_role("heading", level=1, name="Écoles").wait_for()
    page.get_by_text("École élémentaire Jules-Ferry").first.wait_for()
    listing = page.locator("main").inner_text()
    assert "École élémentaire Jules-Ferry" in listing
    for other in ("Les Coquelicots", "Marie-Curie", "Jean-de-La-Fontaine"):
        assert other not in listing
    page.close()


def test_a_teacher_proposes_the_team_publishes_a_visitor_finds(
    demo_server, browser, tmp_path
):
    title = "Les quadrilatères au CM1"
    teacher = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(teacher, demo_server, "ens.moreau", path="/admin/login/")
    teacher.goto(demo_server + "/admin/pages/")
    teacher.click("button[aria-label*='Ressources']")
    teacher.get_by_role("link", name="Ajouter une sous-page").click()
    teacher.fill("#id_title", title)
    teacher.fill(
        "#id_summary", "Trier, nommer et tracer carrés, rectangles et losanges."
    )
    teacher.fill("#id_link", "https://quadrilateres.circo-demo.fr/")
    teacher.get_by_label("CM1", exact=True).check()
    teacher.select_option("#id_subject", label="Mathématiques")
    teacher.select_option("#id_licence", label="CC BY")
    teacher.fill("#id_author", "Camille Moreau, école Jules-Ferry")
    # Sending it to the team is the form's main button.
    teacher.get_by_role("button", name="Envoyer pour validation").click()
    teacher.wait_for_load_state()
    assert "soumise pour modération" in teacher.locator(".messages").inner_text()
    # The teacher sees the state of the proposal in the library's listing.
    row = teacher.locator("tr", has_text=title)
    assert "en cours de modération" in row.inner_text().lower()
    teacher.close()

    team = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(team, demo_server, "cpc.marchand", path="/admin/login/")
    team.goto(demo_server + "/admin/")
    team.get_by_role("link", name=title).first.click()
    # The team decides the audience, then approves.
    team.select_option("#id_audience", value="public")
    team.get_by_role("button", name="Plus d'actions").click()
    team.get_by_role("button", name="Approuver et Publier", exact=True).click()
    team.wait_for_load_state()
    team.close()
    # The worker updates the search index once the publication is committed
    # (``pages.indexing``), as it sends e-mails.
    demo_server.work_the_queue(tmp_path / "outbox")

    visitor = browser.new_page()
    visitor.goto(demo_server + "/ressources/")
    # DSFR checkboxes are ticked through their label, as a reader does.
    # A ticked filter applies at once (ent_site/static/js/library.js).
    visitor.locator("label", has_text=re.compile(r"^Cycle 3\s\(")).click()
    expect(visitor).to_have_url(re.compile(r"cycle=3"))
    visitor.locator("label", has_text=re.compile(r"^Mathématiques\s\(")).click()
    expect(visitor).to_have_url(re.compile(r"cycle=3.*matiere=mathematiques"))
    assert visitor.get_by_role("link", name=title).is_visible()
    assert visitor.get_by_role("link", name="Rallye lecture CP-CE1").count() == 0

    visitor.goto(demo_server + "/ressources/")
    visitor.fill("#library-query", "quadrilateres")
    library_search = visitor.get_by_role("search", name="Trouver une ressource")
    library_search.get_by_role("button", name="Rechercher").click()
    visitor.wait_for_load_state()
    assert visitor.get_by_role("link", name=title).is_visible()
    assert visitor.locator("#library-count").inner_text() == "1 ressource"
    visitor.get_by_role("link", name=title).click()
    assert "Camille Moreau, école Jules-Ferry, licence CC BY" in (
        visitor.locator("#credit").input_value()
    )
    visitor.close()


def confirmed_count(page):
    text = page.get_by_text(re.compile(r"\d+ sur \d+ (a|ont) confirmé")).inner_text()
    return [int(number) for number in re.findall(r"\d+", text)[:2]]


def test_a_family_acknowledges_and_the_director_sees_it(demo_server, browser):
    museum = "Sortie au musée des Beaux-Arts"
    director = browser.new_page()
    log_in(director, demo_server, "dir.lefevre", path="/admin/login/")
    director.goto(demo_server + "/admin/")
    director.get_by_role("link", name="Accusés de lecture").first.click()
    director.get_by_role("link", name=museum).click()
    confirmed, total = confirmed_count(director)
    # Its class's families and its other teachers: not its author, nor the
    # director (tests/test_acknowledgement_reports.py counts them).
    assert total >= 3
    assert "famille.leroy@ent-demo.fr" in director.locator("main").inner_text()

    family = browser.new_page()
    log_in(family, demo_server, "famille.leroy")
    family.goto(demo_server + "/mon-fil/")
    unread = int(family.locator("#unread-count").inner_text().split()[-1])
    item = family.locator(".ent-feed__item", has_text=museum)
    assert "accusé de lecture demandé" in item.inner_text().lower()
    item.get_by_role("link", name=museum).click()
    family.get_by_role("button", name="J’ai pris connaissance").click()
    family.wait_for_load_state()
    assert family.get_by_text("Vous avez confirmé votre lecture").is_visible()
    remaining = int(family.locator("#unread-count").inner_text().split()[-1])
    assert remaining == unread - 1
    family.close()

    director.reload()
    assert confirmed_count(director) == [confirmed + 1, total]
    director.close()
