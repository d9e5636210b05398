"""The library, lived in Chromium (issue 14, items 5 and 7).

A teacher proposes a resource with its file, the district team publishes it
from its dashboard, and a colleague finds it; on a phone, the results come
before the filters and a ticked filter applies at once.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_without_chromium
from tests.factories import pdf_file
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()

TITLE = "Fiches de calcul mental pour le CP"
PHONE = {"width": 390, "height": 844}


def resource_state(demo_server, title):
    """What the demo database holds about the resource titled ``title``."""
    script = (
        "import json\n"
        "from resources.models import ResourcePage\n"
        f"page = ResourcePage.objects.get(title={title!r})\n"
        "state = page.current_workflow_state\n"
        "print(json.dumps({\n"
        "    'live': page.live,\n"
        "    'owner': page.owner.username,\n"
        "    'kind': page.kind,\n"
        "    'collection': page.document.collection.name if page.document else None,\n"
        "    'workflow': state.status if state else None,\n"
        "    'url': page.url,\n"
        "}))\n"
    )
    output = demo_server.manage("shell", "-c", script)
    return json.loads(output.strip().splitlines()[-1])


def fill_box(journey, name, value):
    """Fill the text box named ``name``: in Wagtail's form a field alone in
    its panel gives the panel its name too, so the label alone is ambiguous."""
    journey.page.get_by_role("textbox", name=name).first.fill(value)
    journey.count(f"fill « {name} »")


@pytest.fixture(scope="module")
def worksheet(tmp_path_factory):
    """A real, small, valid PDF, as a teacher has on their computer."""
    path = tmp_path_factory.mktemp("worksheet") / "calcul-mental-cp.pdf"
    path.write_bytes(pdf_file("Calcul mental : les doubles", path.name).read())
    return path


def test_a_teacher_proposes_the_team_publishes_and_a_colleague_finds_it(
    demo_server, browser, worksheet, tmp_path
):
    # Ms Moreau proposes a resource with its file.
    teacher = Journey(browser, demo_server, "ens.moreau")
    teacher.click("link", "Ressources", exact=True)
    teacher.click("link", "Proposer une ressource")
    expect(
        teacher.page.get_by_text("L’équipe de circonscription décide")
    ).to_be_visible()
    fill_box(teacher, "Titre", TITLE)
    fill_box(teacher, "Résumé", "Dix fiches de calcul mental sur les doubles.")
    teacher.choose_file("Fichier", worksheet)
    teacher.check("CP", exact=True)
    teacher.select("Domaine ou discipline", "Mathématiques")
    teacher.select(re.compile(r"^\s*Licence"), "CC BY")
    # The author is the teacher herself, already filled in.
    expect(teacher.page.get_by_role("textbox", name="Auteur*")).to_have_value(
        "Isabelle Moreau"
    )
    teacher.click("button", "Envoyer pour validation")
    teacher.sees(TITLE)
    teacher.within_budget(10)
    proposal = resource_state(demo_server, TITLE)
    assert proposal["owner"] == "ens.moreau"
    assert proposal["kind"] == "document"
    assert proposal["collection"] == "Ressources"
    assert proposal["workflow"] == "in_progress"
    assert not proposal["live"]
    teacher.close()

    # Mr Marchand, of the district team, publishes it from his dashboard.
    team = Journey(browser, demo_server, "cpc.marchand")
    team.click("link", "Modifier le site")
    row = team.page.get_by_role("row").filter(has_text=TITLE)
    team.click("button", "Actions", within=row)
    team.click("button", "Approuver", exact=True, within=row)
    team.within_budget(3)
    published = resource_state(demo_server, TITLE)
    assert published["live"]
    assert published["workflow"] is None  # no longer waiting for anyone
    team.close()
    # The worker updates the search index once the publication is committed
    # (``pages.indexing``), as it sends e-mails.
    demo_server.work_the_queue(tmp_path / "outbox")

    # A colleague finds it in the library, with its file.
    colleague = Journey(browser, demo_server, "ens.garnier")
    colleague.click("link", "Ressources", exact=True)
    colleague.fill("Rechercher dans la bibliothèque", "calcul mental")
    library_search = colleague.page.get_by_role("search", name="Trouver une ressource")
    colleague.click("button", "Rechercher", exact=True, within=library_search)
    colleague.click("link", TITLE)
    expect(colleague.page.get_by_role("heading", level=1)).to_have_text(TITLE)
    download = colleague.page.get_by_role("link", name=re.compile("Télécharger"))
    expect(download.first).to_be_visible()
    colleague.close()


def test_on_a_phone_results_come_first_and_a_ticked_filter_applies_at_once(
    demo_server, browser
):
    visitor = Journey(browser, demo_server, viewport=PHONE)
    page = visitor.page
    page.goto(demo_server + "/ressources/")
    count = page.get_by_role("status").filter(has_text="ressource")
    filters = page.get_by_role("heading", name="Filtrer")
    first_result = page.get_by_role("heading", level=3).first
    assert count.bounding_box()["y"] < filters.bounding_box()["y"]
    assert first_result.bounding_box()["y"] < filters.bounding_box()["y"]
    # No button to press: ticking is enough.
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_have_count(0)
    total = int(re.match(r"\d+", count.inner_text()).group())
    maths = page.locator("label").filter(has_text=re.compile(r"^\s*Mathématiques"))
    expected = int(re.search(r"\((\d+)\)", maths.first.inner_text()).group(1))
    assert 0 < expected < total
    # DSFR draws the box on the label, which is what a person taps.
    maths.first.click()
    visitor.count("tick « Mathématiques »")
    expect(count).to_have_text(re.compile(rf"^{expected} ressources?$"))
    expect(page).to_have_url(re.compile(r"[?&]matiere=mathematiques"))
    # The filter holds in the address: the same page comes back on reload.
    page.reload()
    expect(count).to_have_text(re.compile(rf"^{expected} "))
    visitor.within_budget(1)
    visitor.close()
