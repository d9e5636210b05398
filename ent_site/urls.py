from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts import password_views
from home import public as home_public
from home import views as home_views
from home.health import ok as health_ok
from home.sitemaps import PublicSitemap
from inbox import views as inbox_views
from invitations import views as invitations_views
from mediafiles import views as mediafiles_views
from pupils import views as pupils_views
from rights import views as rights_views
from visibility import converters  # noqa: F401 (registers <id:…>)

urlpatterns = [
    # Named as Wagtail's own views, which they wrap (``home.admin_access``).
    path(
        "admin/choose-page/<int:parent_page_id>/",
        home_views.browse_page_chooser,
        name="wagtailadmin_choose_page_child",
    ),
    path(
        "admin/pages/",
        home_views.explore,
        name="wagtailadmin_explore_root",
    ),
    path(
        "admin/pages/<int:parent_page_id>/",
        home_views.explore,
        name="wagtailadmin_explore",
    ),
    path(
        "admin/pages/<int:parent_page_id>/results/",
        home_views.explore,
        {"results": True},
        name="wagtailadmin_explore_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/<int:document_id>/<str:document_filename>",
        mediafiles_views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "images/<int:rendition_id>/<str:filename>",
        mediafiles_views.serve_rendition,
        name="serve_rendition",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}),
    path("robots.txt", home_public.robots_txt, name="robots_txt"),
    path("manifest.webmanifest", home_public.manifest, name="web_manifest"),
    path("sante/", health_ok),
]

urlpatterns += i18n_patterns(
    path(
        "connexion/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe-oublie/",
        password_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        password_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/enregistre/",
        password_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("recherche/", home_views.search, name="search"),
    path("plan-du-site/", home_public.site_plan, name="site_plan"),
    path("mon-compte/", pupils_views.my_account, name="my_account"),
    path(
        "mon-compte/mot-de-passe/",
        password_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mon-compte/courriels/",
        inbox_views.notification_choice,
        name="notification_choice",
    ),
    path("mon-compte/mes-donnees/", rights_views.my_data, name="my_data"),
    path(
        "mon-compte/effacement/",
        rights_views.erasure,
        name="erasure_request",
    ),
    path("mon-fil/", inbox_views.my_feed, name="my_feed"),
    path("formations/", include("training.urls")),
    path("agenda/", include("agenda.urls")),
    path(
        "mon-fil/accuse/<id:page_id>/",
        inbox_views.acknowledge,
        name="acknowledge",
    ),
    path("desabonnement/<str:token>/", inbox_views.unsubscribe, name="unsubscribe"),
    path(
        "activer-mon-compte/",
        invitations_views.activate_with_code,
        name="activate_with_code",
    ),
    path(
        "activer-mon-compte/mot-de-passe/",
        invitations_views.choose_password,
        name="activate_choose_password",
    ),
    path(
        "activer/<uidb64>/<token>/",
        invitations_views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
