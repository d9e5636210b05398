"""The agenda's own views (included under ``agenda/`` by ``ent_site.urls``)."""

from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("public.ics", views.public_feed, name="public_feed"),
    path("flux/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("changer-adresse/", views.reset_feed, name="reset_feed"),
]
