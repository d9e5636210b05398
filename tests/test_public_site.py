"""What a visitor sees: every public template, in French, with the DSFR."""

import datetime

from django.test import RequestFactory

import pytest

from home.views import server_error
from news.models import NewsPage
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import login
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

MUSEUM_TRIP = "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"

PUBLIC_URLS = [
    "/",
    "/actualites/",
    "/actualites/inscriptions-en-maternelle-pour-la-rentree-2027/",
    "/actualites/etiquette/maternelle/",
    "/ecoles/",
    "/ecoles/jules-ferry/",
    "/ecoles/jules-ferry/cm2-lefevre/",
    "/ecoles/jules-ferry/fete-de-lecole-le-samedi-27-juin/",
    "/ressources/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/recherche/",
    "/recherche/?q=école",
    "/connexion/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_render_in_french_for_a_visitor(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Se connecter" in html
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in html
    for link in ("Mentions légales", "Données personnelles", "Accessibilité"):
        assert link in html


def test_home_page_shows_the_district_its_latest_public_news_and_schools(client):
    html = client.get("/").content.decode()
    assert "<h1>Circonscription de Val-de-Loire Nord</h1>" in html
    assert "Inscriptions en maternelle pour la rentrée 2027" in html
    assert "École maternelle Les Coquelicots" in html
    assert "Dernières actualités" in html
    # News addressed to a community, the staff or the directors stay off it.
    assert "Conseil des directeurs" not in html
    assert "Conseil des maîtres" not in html
    assert "Sortie au musée" not in html


def test_school_page_lists_its_classes_and_news(client):
    html = client.get("/ecoles/jules-ferry/").content.decode()
    assert "CM2 de M. Lefèvre" in html
    assert "Fête de l&#x27;école le samedi 27 juin" in html
    assert "0451001J" in html
    assert "Dossier de sortie scolaire" not in html


def test_class_page_shows_levels_teachers_and_news(client):
    html = client.get("/ecoles/jules-ferry/cm2-lefevre/").content.decode()
    assert "CM2" in html
    assert "Paul Lefèvre" in html
    assert "Notre journal de classe est en ligne" in html


def test_dates_are_written_the_french_way(client):
    classroom = ClassroomPage.objects.get(slug="cm2-lefevre")
    news = NewsPageFactory(
        parent=classroom,
        title="Sortie au musée des Beaux-Arts de décembre",
        date=datetime.date(2026, 12, 3),
    )
    html = client.get(news.url).content.decode()
    assert "Publié le jeudi 3 décembre 2026" in html
    listing = client.get(classroom.url).content.decode()
    assert "3 décembre 2026" in listing


def test_header_names_the_logged_in_person_and_offers_logout(client):
    login(client, "famille.martin")
    html = client.get("/").content.decode()
    assert "Élodie Martin" in html
    assert "Se déconnecter" in html
    assert "Se connecter" not in html


def test_private_pages_send_visitors_to_login_and_back(client):
    response = client.get("/ecoles/jules-ferry/cp-moreau/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/ecoles/jules-ferry/cp-moreau/"


def test_refused_members_get_a_french_403_that_reveals_nothing(client):
    login(client, "famille.bernard")
    response = client.get(
        "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert "musée" not in html
    assert "pique-nique" not in html


def test_members_read_their_class_news(client):
    login(client, "famille.martin")
    response = client.get(
        "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
    )
    assert response.status_code == 200
    assert "pique-nique" in response.content.decode()


def test_unknown_pages_get_a_french_404(client):
    response = client.get("/ecoles/ecole-inconnue/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_server_errors_get_a_french_page_without_the_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", "1e3"])
def test_listing_pagination_survives_bad_input(client, page):
    response = client.get("/actualites/", {"page": page})
    assert response.status_code == 200


def test_listing_paginates_ten_by_ten(client):
    school = SchoolPage.objects.get(slug="marie-curie")
    for number in range(12):
        NewsPageFactory(parent=school, title=f"Menu de la cantine, semaine {number}")
    first = client.get(school.url).content.decode()
    assert first.count('class="fr-card fr-enlarge-link"') == 10
    assert "Plus anciennes" in first
    older = client.get(school.url).context["news_page"].older_url
    second = client.get(school.url + older).content.decode()
    assert second.count('class="fr-card fr-enlarge-link"') == 3


def test_search_finds_public_pages(client):
    html = client.get("/recherche/", {"q": "potager"}).content.decode()
    assert "Le potager de l&#x27;école a donné ses premières courges" in html
    assert "1 résultat" in html


def test_search_never_shows_restricted_news_to_visitors(client):
    html = client.get("/recherche/", {"q": "conseil"}).content.decode()
    assert "Conseil des directeurs" not in html
    assert "Conseil des maîtres" not in html


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/actualites/atom/", "application/atom+xml"),
        ("/actualites/rss/", "application/rss+xml"),
    ],
)
def test_news_feed_is_public_only(client, url, content_type):
    response = client.get(url)
    assert response["Content-Type"].startswith(content_type)
    xml = response.content.decode()
    assert "Inscriptions en maternelle pour la rentrée 2027" in xml
    assert "Fête de l&#x27;école" in xml or "Fête de l'école" in xml
    for private in ("Semaine des mathématiques", "Conseil des", "Sortie au musée"):
        assert private not in xml


def test_sitemap_lists_public_pages_only(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/ecoles/jules-ferry/cm2-lefevre/" in xml
    assert "/actualites/inscriptions-en-maternelle-pour-la-rentree-2027/" in xml
    assert "/ecoles/jules-ferry/cp-moreau/" not in xml
    assert "semaine-des-mathematiques" not in xml
    for news in NewsPage.objects.exclude(audience="public"):
        assert news.url_path.split("/")[-2] not in xml
