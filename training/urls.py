"""The training space's own views, beside the session pages (included
under ``formations/`` by ``ent_site.urls``). Each part adds its paths."""

from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("<int:session_id>/inscription/", views.register, name="register"),
    path("<int:session_id>/desinscription/", views.cancel, name="cancel"),
]
