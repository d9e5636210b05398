"""The training space's own views, beside the session pages (included
under ``formations/`` by ``ent_site.urls``). Each part adds its paths."""

from django.urls import path  # noqa: F401

app_name = "training"

urlpatterns = []
