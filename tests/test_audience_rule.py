"""The audience rule of DESIGN §4 on page URLs, from the demo's accounts.

The full access matrix over every channel comes with the audiences work; this
checks the page rule on representative cells.
"""

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

DISTRICT_COMMUNITY = (
    "/actualites/semaine-des-mathematiques-des-defis-a-relever-en-famille/"
)
DISTRICT_STAFF = "/actualites/animation-pedagogique-enseigner-la-geometrie-au-cycle-3/"
DISTRICT_DIRECTORS = "/actualites/conseil-des-directeurs-et-directrices-du-10-decembre/"
SCHOOL_COMMUNITY = "/ecoles/jules-ferry/reunion-de-rentree-avec-les-familles/"
SCHOOL_STAFF = "/ecoles/jules-ferry/conseil-des-maitres-du-lundi-7-decembre/"
SCHOOL_DIRECTORS = "/ecoles/jules-ferry/dossier-de-sortie-scolaire-a-valider/"
CLASS_COMMUNITY = "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
CLASS_STAFF = "/ecoles/jules-ferry/cp-moreau/decloisonnement-en-lecture-avec-le-ce1/"
CLASS_DIRECTORS = "/ecoles/jules-ferry/ce1-garnier/equipe-educative-pour-un-eleve/"
OTHER_SCHOOL_CLASS = (
    "/ecoles/les-coquelicots/ps-ms-chevalier/atelier-peinture-avec-les-parents/"
)

# (username, url, allowed)
CELLS = [
    ("sans.role", DISTRICT_COMMUNITY, False),
    ("famille.bernard", DISTRICT_COMMUNITY, True),
    ("famille.bernard", DISTRICT_STAFF, False),
    ("ens.blanc", DISTRICT_STAFF, True),
    ("ens.blanc", DISTRICT_DIRECTORS, False),
    ("dir.chevalier", DISTRICT_DIRECTORS, True),
    ("famille.bernard", SCHOOL_COMMUNITY, True),
    ("famille.petit", SCHOOL_COMMUNITY, False),
    ("ens.moreau", SCHOOL_STAFF, True),
    ("famille.bernard", SCHOOL_STAFF, False),
    ("ens.blanc", SCHOOL_STAFF, False),
    ("dir.lefevre", SCHOOL_DIRECTORS, True),
    ("ens.moreau", SCHOOL_DIRECTORS, False),
    ("dir.chevalier", SCHOOL_DIRECTORS, False),
    ("famille.martin", CLASS_COMMUNITY, True),
    ("famille.bernard", CLASS_COMMUNITY, False),
    ("ens.garnier", CLASS_COMMUNITY, False),
    ("dir.lefevre", CLASS_COMMUNITY, True),
    ("ens.moreau", CLASS_STAFF, True),
    ("famille.martin", CLASS_STAFF, False),
    ("ens.garnier", CLASS_STAFF, False),
    ("dir.lefevre", CLASS_DIRECTORS, True),
    ("ens.garnier", CLASS_DIRECTORS, False),
    ("ens.roux", CLASS_DIRECTORS, False),
    ("famille.martin", OTHER_SCHOOL_CLASS, True),
    ("dir.lefevre", OTHER_SCHOOL_CLASS, False),
    ("ien.dubois", CLASS_DIRECTORS, True),
    ("ien.dubois", OTHER_SCHOOL_CLASS, True),
]


@pytest.mark.parametrize(("username", "url", "allowed"), CELLS)
def test_page_url_follows_the_audience_table(client, username, url, allowed):
    login(client, username)
    response = client.get(url)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    "url", [DISTRICT_COMMUNITY, SCHOOL_STAFF, CLASS_COMMUNITY, CLASS_DIRECTORS]
)
def test_anonymous_visitors_are_asked_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")
