"""« Données personnelles » tells the truth (issue 16 §6): what the ENT keeps,
how long (read from the settings), who sees it, the rights and how to use
them; and the processing register downloads for the district's DPO."""

import csv
import datetime
import io
import re
from html import unescape

from django.contrib.auth import get_user_model

import pytest
from pypdf import PdfReader

from privacy.durations import days, in_words
from pupils.models import ImageConsent, Pupil
from tests.conftest import login

pytestmark = pytest.mark.django_db

PAGE = "/donnees-personnelles/"
CSV = "/admin/registre-des-traitements/registre.csv"
PDF = "/admin/registre-des-traitements/registre.pdf"
REGISTER = "/admin/registre-des-traitements/"

# Distinct values, each written in words only once by the page.
CHANGED = {
    "ENT_ARCHIVE_DAYS": (730, "2 ans"),
    "ENT_DEPARTURE_DAYS": (45, "45 jours"),
    "ENT_DEPARTURE_NOTICE_DAYS": (10, "10 jours"),
    "ENT_AUDIT_LOG_DAYS": (180, "6 mois"),
    "ENT_IMPORT_DAYS": (21, "3 semaines"),
    "SESSION_COOKIE_AGE": (8 * 3600, "8 heures"),
    "AXES_COOLOFF_TIME": (datetime.timedelta(minutes=30), "30 minutes"),
}


def text_of(response):
    """The page's text, tags removed and spaces joined."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# Durations in words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (datetime.timedelta(days=90), "3 mois"),
        (datetime.timedelta(days=365), "1 an"),
        (datetime.timedelta(days=730), "2 ans"),
        (datetime.timedelta(days=15), "15 jours"),
        (datetime.timedelta(days=1), "1 jour"),
        (datetime.timedelta(days=14), "2 semaines"),
        (datetime.timedelta(minutes=15), "15 minutes"),
        (datetime.timedelta(minutes=1), "1 minute"),
        (3600, "1 heure"),
        (1209600, "2 semaines"),
        (45, "45 secondes"),
    ],
)
def test_durations_are_written_in_french_words(value, words):
    assert in_words(value) == words


def test_days_of_a_retention_setting():
    assert days(90) == "3 mois"
    assert days(366) == "366 jours"


# The page


def test_a_visitor_reads_the_page(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = text_of(response)
    for heading in (
        "Finalités",
        "Base légale",
        "Les données conservées, et pour combien de temps",
        "Destinataires",
        "Vos droits, et comment les exercer",
    ):
        assert heading in text
    assert "arrêté du 30 novembre 2006 modifié" in text
    assert "Mission d'intérêt public" in text
    # The district's introduction, editable in the admin, comes first.
    assert "ne garde de chacun que ce qui lui sert" in text


def test_the_page_states_each_retention_period_from_the_settings(client):
    text = text_of(client.get(PAGE))
    # The defaults: 90, 15 and 365 days, two weeks, 15 minutes.
    assert (
        "3 mois après le départ de leur dernier enfant de la circonscription "
        "(un courriel les prévient 15 jours avant)" in text
    )
    assert "supprimées 1 an après l'ouverture de la nouvelle année scolaire" in text
    assert "1 an après la modification" in text
    assert "2 semaines au plus, ou jusqu'à la déconnexion" in text
    assert "15 minutes après le dernier échec" in text
    assert "Le lien d'activation fonctionne 2 semaines" in text
    assert "le code d'une fiche de connexion 2 mois" in text
    assert "pendant 1 jour" in text  # a « Mot de passe oublié » link


def test_the_page_changes_when_a_setting_changes(client, settings):
    before = text_of(client.get(PAGE))
    for name, (value, _words) in CHANGED.items():
        setattr(settings, name, value)
    after = text_of(client.get(PAGE))
    for name, (_value, words) in CHANGED.items():
        assert words not in before, name
        assert words in after, name
    assert "45 jours après le départ de leur dernier enfant" in after
    assert "(un courriel les prévient 10 jours avant)" in after
    assert "3 mois après le départ" not in after


def test_the_pupils_data_are_exactly_what_the_models_hold(client):
    text = text_of(client.get(PAGE))
    assert "Prénom, initiale du nom, classe" in text
    assert "empreinte calculée avec une clé secrète" in text
    # Nothing the models do not hold.
    for absent in ("date de naissance", "téléphone", "adresse postale", "sexe"):
        assert absent not in text.lower()
    # A field added to these models must be added to the register too.
    pupil_fields = {field.name for field in Pupil._meta.concrete_fields}
    pupil_fields |= {field.name for field in Pupil._meta.many_to_many}
    assert pupil_fields == {
        "id",
        "classroom",
        "first_name",
        "last_initial",
        "match_key",
        "families",
        "left_on",
    }
    assert {field.name for field in ImageConsent._meta.concrete_fields} == {
        "id",
        "pupil",
        "medium",
        "given",
        "school_year",
        "recorded_by",
        "recorded_at",
    }
    user_fields = {field.name for field in get_user_model()._meta.concrete_fields}
    assert not user_fields & {"birth_date", "phone", "address"}


def test_the_page_names_the_rights_and_links_to_my_account(client):
    response = client.get(PAGE)
    text = text_of(response)
    assert "Droit d'accès" in text
    assert "« Mon compte » › « Télécharger mes données »" in text
    assert "« Mon compte » › « Demander l'effacement »" in text
    assert "Droit de rectification" in text
    assert "réclamation à la CNIL" in text
    content = response.content.decode()
    assert 'href="/mon-compte/"' in content
    assert 'href="/mon-compte/mes-donnees/"' in content
    assert 'href="/mon-compte/effacement/"' in content


def test_without_a_dpo_the_public_reads_a_neutral_sentence(client, settings):
    settings.ENT_DPO_CONTACT = ""
    text = text_of(client.get(PAGE))
    assert "peut être joint par l'intermédiaire de la circonscription" in text
    assert "À compléter" not in text
    assert "ENT_DPO_CONTACT" not in text


def test_without_a_dpo_the_team_is_told_to_fill_it_in(client, settings):
    settings.ENT_DPO_CONTACT = ""
    settings.ENT_CONTROLLER_NAME = "IA-DASEN du Loiret"
    text = text_of(login(client, "ien.dubois").get(PAGE))
    assert "À compléter par la circonscription" in text
    assert "À compléter (ENT_DPO_CONTACT)" in text
    assert "ENT_CONTROLLER_NAME" not in text
    assert "IA-DASEN du Loiret" in text


def test_the_dpo_contact_is_shown_when_set(client, settings):
    settings.ENT_DPO_CONTACT = "dpd@ac-demo.fr, 21 rue Saint-Étienne, 45000 Orléans"
    settings.ENT_CONTROLLER_NAME = "Le DASEN du Loiret"
    settings.ENT_CONTROLLER_ADDRESS = "Cité administrative Coligny, 45000 Orléans"
    settings.ENT_HOSTING = "Hébergeur Exemple, 1 rue du Port, 44000 Nantes"
    for who in (None, "ien.dubois"):
        if who:
            login(client, who)
        text = text_of(client.get(PAGE))
        assert "dpd@ac-demo.fr, 21 rue Saint-Étienne, 45000 Orléans" in text
        assert "Le DASEN du Loiret" in text
        assert "Cité administrative Coligny" in text
        assert "Hébergeur Exemple" in text
        assert "À compléter" not in text


def test_the_page_is_reached_from_every_footer(client):
    assert 'href="/donnees-personnelles/"' in client.get("/").content.decode()


# The register, for the DPO


def csv_tables(response):
    """The export's two parts: {heading: [contents]} and the data rows as
    dicts."""
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    blank = rows.index([])
    general = {}
    for heading, content in rows[1:blank]:
        general.setdefault(heading, []).append(content)
    header, *data = rows[blank + 1 :]
    return general, [dict(zip(header, row, strict=True)) for row in data]


def test_the_team_downloads_the_register_as_csv(client, settings):
    settings.ENT_DPO_CONTACT = "dpd@ac-demo.fr"
    response = login(client, "ien.dubois").get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')
    general, data = csv_tables(response)
    assert general["Délégué à la protection des données"] == ["dpd@ac-demo.fr"]
    assert general["Responsable du traitement"] == ["À compléter (ENT_CONTROLLER_NAME)"]
    assert any("arrêté du 30 novembre 2006" in text for text in general["Base légale"])
    assert {row["Catégorie de personnes"] for row in data} == {
        "Familles",
        "Élèves",
        "Personnels des écoles",
        "Équipe de circonscription",
        "Toute personne qui se connecte",
    }
    families = [row for row in data if row["Catégorie de personnes"] == "Familles"]
    assert families[0]["Données"].startswith("Compte : identifiant, prénom et nom")
    assert "3 mois après le départ" in families[0]["Durée de conservation"]
    assert all(row["Qui y a accès"] for row in data)


def test_the_csv_has_the_same_periods_as_the_page(client, settings):
    for name, (value, _words) in CHANGED.items():
        setattr(settings, name, value)
    page = text_of(client.get(PAGE))
    _general, data = csv_tables(login(client, "cpc.marchand").get(CSV))
    retentions = " ".join(row["Durée de conservation"] for row in data)
    for name, (_value, words) in CHANGED.items():
        assert words in retentions, name
    for row in data:
        assert row["Durée de conservation"] in page


def test_the_team_downloads_the_register_as_pdf(client, settings):
    settings.ENT_DEPARTURE_DAYS = 45
    response = login(client, "ien.dubois").get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Registre des traitements" in text
    assert "45 jours après le départ" in text
    assert "Toute personne qui se connecte" in text


def test_the_team_finds_the_register_in_the_admin(client):
    login(client, "ien.dubois")
    menu = client.get("/admin/").content.decode()
    assert "Registre des traitements" in menu
    page = client.get(REGISTER)
    assert page.status_code == 200
    html = page.content.decode()
    assert CSV in html
    assert PDF in html
    assert "ENT_DPO_CONTACT" in html  # still to fill in in the demo


@pytest.mark.parametrize("username", ["dir.lefevre", "ens.moreau"])
def test_school_staff_get_a_404(client, username):
    login(client, username)
    for url in (REGISTER, CSV, PDF):
        assert client.get(url).status_code == 404, url
    assert "Registre des traitements" not in client.get("/admin/").content.decode()


def test_families_and_visitors_do_not_get_the_register(client):
    for url in (REGISTER, CSV, PDF):
        assert client.get(url).status_code in (302, 404), url
    login(client, "famille.martin")
    for url in (REGISTER, CSV, PDF):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"Registre" not in response.content


def test_the_team_edits_the_introduction_the_rest_stays_from_the_register(client):
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    from privacy.models import PrivacyPage

    page = PrivacyPage.objects.get()
    login(client, "ien.dubois")
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "intro": rich_text("<p>La circonscription protège vos données.</p>"),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    client.logout()
    text = text_of(client.get(PAGE))
    assert "La circonscription protège vos données." in text
    assert "3 mois après le départ de leur dernier enfant" in text


def test_the_page_tells_what_the_agenda_and_training_keep(client):
    text = text_of(client.get(PAGE))
    assert "L'adresse secrète de votre agenda personnel" in text
    assert "Les animations pédagogiques auxquelles ils sont inscrits" in text
    assert "La présence à chaque date d'une animation" in text
    assert "le directeur ou la directrice de leur école (les heures de ses " in text
    # The feedback form: what is kept, what is not.
    assert "le questionnaire de fin d'animation, anonyme" in text.lower()
    assert "sans le nom" in text
    assert "seulement si au moins trois participants ont répondu" in text
    assert "Supprimer le compte supprime le fait qu'ils ont répondu" in text
