"""Journey of a director onboarding her school from ONDE (issue 15): upload
the extraction, read the preview, apply it, and watch the progress bar of
the background import reach its end (the e-mail worker runs it)."""

import pytest

from onboarding import sample
from tests.conftest import skip_without_chromium
from tests.journeys import Journey
from tests.test_onboarding_onde import JULES_FERRY

pytestmark = pytest.mark.browser
skip_without_chromium()


def test_a_director_imports_her_school_from_onde(browser, demo_server, tmp_path):
    path = tmp_path / "CSVExtraction.csv"
    path.write_bytes(sample.onde_file(sample.onde_rows(JULES_FERRY, pupils=30)))
    count = (
        "from pupils.models import Pupil;"
        "print(Pupil.objects.exclude(match_key='').count())"
    )
    journey = Journey(browser, demo_server, "dir.lefevre")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Importer depuis ONDE")
        journey.click("link", "Déposer son fichier ONDE")
        journey.choose_file("Extraction ONDE", str(path))
        journey.click("button", "Voir l'aperçu de l'import")
        journey.sees("Élèves du fichier")
        journey.click("button", "Appliquer l'import")
        journey.sees("En attente")
        assert demo_server.manage("shell", "--no-imports", "-c", count).strip() == "0"
        # The worker beside the site runs the import; the bar follows it.
        demo_server.manage("db_worker", "--backend", "notifications", "--batch")
        journey.sees("L'import est terminé.")
        bar = journey.page.locator("progress")
        assert bar.get_attribute("value") == bar.get_attribute("max") == "30"
        journey.within_budget(6)
    finally:
        journey.close()
    assert demo_server.manage("shell", "--no-imports", "-c", count).strip() == "30"
