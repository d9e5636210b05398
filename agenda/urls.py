"""The agenda's own views (included under ``agenda/`` by ``ent_site.urls``)."""

from django.urls import path  # noqa: F401

app_name = "agenda"

urlpatterns = []
